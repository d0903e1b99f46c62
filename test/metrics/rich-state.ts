/**
 * A fixed, rich MonitorState for the metrics golden file: every family has series, and
 * every way a domain, host or product can look is present once. Filled through the
 * state's own methods, as the poller fills it, with fixed times so the text never moves:
 *
 * - ok.example.test: two resolvers agree on two machines that answer every product (kms1
 *   over two addresses);
 * - norecord.example.test: NXDOMAIN (no _vlmcs._tcp record);
 * - broken.example.test: SERVFAIL at one resolver, a timeout at the other;
 * - mixed.example.test: a host down, one refusing Office (0xC004F042) with one of its two
 *   addresses refusing TCP, one below N, one with no address, one with label values that
 *   need escaping; its resolvers disagree, two records were cut by the record limit, an
 *   expected host is missing, and its last host is cut by limits.hosts_total;
 * - two static hosts, one of which times out on the KMS exchange;
 * - two rounds (counters above 1), one overrun.
 */
import type { SrvLookupResult, SrvRecord } from '../../src/dns/index.js';
import type { KmsProductResult, TcpProbeResult } from '../../src/kms/client/result.js';
import type { PlannedProduct } from '../../src/monitor/plan.js';
import { trustResult } from '../../src/kms/trust/index.js';
import { MonitorState } from '../../src/monitor/state.js';
import { mergeTargets } from '../../src/monitor/targets.js';
import {
  FORGED_LOOKING_OBJECT,
  GENUINE_LOOKING_OBJECT,
} from '../../src/lab/adba/sample-objects.js';
import { labObject } from '../helpers/adba-objects.js';

export const RICH_PRODUCTS: PlannedProduct[] = [
  { slug: 'windows-client', nPolicy: 25 },
  { slug: 'windows-server', nPolicy: 5 },
  { slug: 'office-2016', nPolicy: 5 },
  // Planned (docs/coverage.md §7): the hosts that refuse office-2016 refuse it too.
  { slug: 'office-ltsc-2024', nPolicy: 5, planned: true },
];

const V4 = '127.0.0.1:53';
const V6 = '[::1]:53';
/** 2025-01-02T03:04:05Z, the end of the second round. */
const T = Date.UTC(2025, 0, 2, 3, 4, 5);
const AT = new Date(T).toISOString();

function record(host: string, addresses: string[], priority = 0, weight = 10): SrvRecord {
  return {
    host,
    port: 1688,
    priority,
    weight,
    ttl: 3600,
    addresses,
    addressError:
      addresses.length === 0 ? { reason: 'nxdomain', message: `${host} does not exist` } : null,
  };
}

function answered(
  domain: string,
  resolver: string,
  records: SrvRecord[],
  truncated = 0,
): SrvLookupResult {
  return {
    domain,
    resolver,
    success: true,
    rcode: 'NOERROR',
    ttl: 3600,
    records,
    serviceUnavailable: false,
    truncatedRecords: truncated,
    transport: 'udp',
    durationSeconds: 0.0125,
    error: null,
    failedResolvers: [],
  };
}

function lookups(): SrvLookupResult[] {
  const ok = [
    record('kms1.ok.example.test', ['127.0.1.1', '::1']),
    record('kms2.ok.example.test', ['127.0.1.2'], 10, 0),
  ];
  const mixed = [
    record('down.mixed.example.test', ['127.0.2.1']),
    record('refuses.mixed.example.test', ['127.0.2.2', '127.0.2.12']),
    record('low.mixed.example.test', ['127.0.2.3']),
    record('noaddr.mixed.example.test', []),
    record('odd.mixed.example.test', ['127.0.2.5'], 20, 5),
    record('cut.mixed.example.test', ['127.0.2.6'], 30),
  ];
  return [
    answered('ok.example.test', V4, ok),
    answered('ok.example.test', V6, ok),
    {
      ...answered('norecord.example.test', V4, []),
      rcode: 'NXDOMAIN',
      ttl: 300,
      error: { reason: 'nxdomain', message: '_vlmcs._tcp.norecord.example.test does not exist' },
    },
    {
      ...answered('broken.example.test', V4, []),
      success: false,
      rcode: 'SERVFAIL',
      ttl: null,
      error: { reason: 'servfail', message: 'the server answered SERVFAIL' },
    },
    {
      ...answered('broken.example.test', V6, []),
      success: false,
      rcode: null,
      ttl: null,
      transport: null,
      durationSeconds: 2,
      error: { reason: 'timeout', message: 'no answer within 2 s' },
    },
    answered('mixed.example.test', V4, mixed, 2),
    // The second resolver does not publish the odd host: the resolvers disagree.
    answered('mixed.example.test', V6, mixed.slice(0, 4), 2),
  ];
}

const STATIC = [
  { host: '127.0.3.1', port: 1688 },
  { host: '127.0.3.2', port: 1688 },
];

function tcp(host: string, port: number, address: string | null, up: boolean): TcpProbeResult {
  return {
    host,
    port,
    address,
    up,
    durationSeconds: up ? 0.0004 : 0.0011,
    timestamp: AT,
    error: up
      ? null
      : address === null
        ? { reason: 'no_address', code: null, message: 'the host name has no address' }
        : { reason: 'connect_refused', code: null, message: 'refused the connection' },
  };
}

function kms(
  host: string,
  address: string,
  product: PlannedProduct,
  answer: Partial<KmsProductResult>,
): KmsProductResult {
  return {
    host,
    port: 1688,
    address,
    product: product.slug,
    success: true,
    protocol: 6,
    epid: '06401-00206-568-123456-03-1033-20348.0000-0542024',
    hwid: '3A1C049600B60076',
    hostBuild: 20348,
    keyInstallDate: '2024-02-23',
    activeClients: 50,
    threshold: product.nPolicy,
    activationIntervalMinutes: 120,
    renewalIntervalMinutes: 10080,
    durationSeconds: 0.0031,
    phases: { connect: 0.0004, bind: 0.001, request: 0.0017 },
    timestamp: AT,
    error: null,
    ...answer,
  };
}

const FAILED = {
  success: false,
  epid: null,
  hwid: null,
  hostBuild: null,
  keyInstallDate: null,
  activeClients: null,
  activationIntervalMinutes: null,
  renewalIntervalMinutes: null,
} as const;

/** What each host answers for each product in a round. */
function answer(host: string, product: PlannedProduct): Partial<KmsProductResult> {
  if (host.startsWith('down.') || host.startsWith('noaddr.'))
    return {
      ...FAILED,
      protocol: null,
      address: null,
      error: { reason: 'connect_refused', code: null, message: 'refused the connection' },
    };
  if (host.startsWith('refuses.') && product.slug.startsWith('office-'))
    return {
      ...FAILED,
      error: { reason: 'kms_error', code: '0xC004F042', message: 'host key does not cover it' },
    };
  if (host.startsWith('low.')) return { activeClients: 3 };
  // Another machine than kms1 (same ePID and HWID would make them one).
  if (host.startsWith('kms2.'))
    return { epid: '06401-00206-568-654321-03-1033-20348.0000-0542024', hwid: '3A1C049600B60077' };
  if (host.startsWith('odd.'))
    return {
      protocol: 4,
      epid: 'back\\slash "quoted"\nnewline',
      hwid: null,
      hostBuild: null,
      keyInstallDate: null,
      activationIntervalMinutes: null,
      renewalIntervalMinutes: null,
    };
  if (host === '127.0.3.1') return { protocol: 5, hwid: null, activeClients: 25 };
  if (host === '127.0.3.2')
    return { ...FAILED, error: { reason: 'timeout', code: null, message: 'no answer in time' } };
  return {};
}

/** The rich state after two rounds, the second of which overran its interval. */
export function richState(): MonitorState {
  const state = new MonitorState();
  const all = lookups();
  const domains = [
    {
      domain: 'mixed.example.test',
      expectedHosts: ['gone.mixed.example.test', 'low.mixed.example.test.'],
    },
  ];
  for (let round = 0; round < 2; round++) {
    const started = round === 0 ? T - 130_000 : T - 70_000;
    for (const lookup of all) state.recordLookup(lookup, AT);
    // 10 hosts, a limit of 9: the last one (cut.mixed) is left unprobed.
    const { targets, cut } = mergeTargets(all, STATIC, 9);
    state.applyDiscovery({ lookups: all, targets, hostsCut: cut, domains });
    for (const target of targets) {
      const addresses = target.addresses.length === 0 ? [null] : target.addresses;
      const results = addresses.map((address, i) =>
        tcp(
          target.host,
          target.port,
          address,
          address !== null &&
            !target.host.startsWith('down.') &&
            !(target.host.startsWith('refuses.') && i === 0),
        ),
      );
      state.recordReachability(target.key, results);
      for (const product of RICH_PRODUCTS)
        state.recordKms(
          target.key,
          kms(target.host, target.addresses[0] ?? '', product, answer(target.host, product)),
        );
    }
    state.recordRoundEnd(started, round === 0 ? started + 5_000 : T, true, true);
    if (round === 1) state.recordOverrun();
  }
  // The authenticity checks of the first host: one of each verdict, and one not run.
  const [first] = state.hosts.values();
  if (first) {
    first.trust = {
      timestamp: new Date(T).toISOString(),
      verdict: 'failed',
      checks: [
        trustResult('control_unknown_id', 'failed', 'answered with count 50'),
        trustResult('count_echo', 'suspicious', 'N=25 → 50, N=13 → 26'),
        trustResult('epid_stable', 'pass', 'the same ePID in 2 answers'),
        trustResult('clock_window', 'not_run', 'off'),
      ],
      epids: {},
    };
  }
  addAdbaForests(state);
  return state;
}

/** Two ADBA forests: one read (a genuine-looking and a forged-looking object), one failing. */
function addAdbaForests(state: MonitorState): void {
  state.adba.configure([
    { name: 'corp', url: 'ldaps://dc1.corp.example.test' },
    { name: 'lab', url: 'ldaps://dc.lab.example.test' },
  ]);
  const at = new Date(T).toISOString();
  const objects = [labObject(GENUINE_LOOKING_OBJECT), labObject(FORGED_LOOKING_OBJECT)];
  const container = 'CN=Activation Objects,CN=Microsoft SPP,CN=Services,CN=Configuration,DC=corp';
  state.adba.record(
    { forest: 'corp', ok: true, container, objects, truncated: false, pages: 1, durationMs: 42 },
    at,
  );
  const failure = { forest: 'lab', ok: false, phase: 'bind', durationMs: 7 } as const;
  state.adba.record({ ...failure, reason: 'bind', message: 'invalid credentials (49)' }, at);
  state.adba.record({ ...failure, reason: 'bind', message: 'invalid credentials (49)' }, at);
}
