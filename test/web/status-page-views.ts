/**
 * Hand-built StatusViews for the status page tests: every kind of domain and host the
 * page must show (the demo's scenarios, a failed lookup, hostile strings), without
 * running a poller. Plain data, exactly what buildStatusView returns.
 */
import type { KmsProductResult, TcpProbeResult } from '../../src/kms/client/result.js';
import type { HistoryEntry } from '../../src/monitor/history.js';
import type { StatusView } from '../../src/monitor/status-view.js';
import { evaluate } from '../../src/monitor/evaluate.js';
import { EstateEvents } from '../../src/monitor/events/index.js';
import { findingKey } from '../../src/monitor/findings.js';

type ViewDomain = StatusView['domains'][number];
type ViewResolver = ViewDomain['resolvers'][number];
type ViewHost = StatusView['hosts'][number];
type SrvRecord = ViewResolver['records'][number];

export const GENERATED_AT = '2025-06-02T10:00:00.000Z';
const AT = '2025-06-02T09:59:50.000Z';
export const WINDOWS_EPID = '03612-04573-012-100001-03-1033-20348.0000-0452024';
export const OFFICE_EPID = '03612-00206-580-300001-03-1033-20348.0000-0452024';
export const HWID = '1AB0C0FFEE000001';

export const PRODUCTS = [
  { product: 'lab-windows', threshold: 25 },
  { product: 'lab-windows-server', threshold: 5 },
  { product: 'lab-office', threshold: 5 },
];

/**
 * Each host name is its own machine, as on a real estate: its own address and hardware ID
 * (evaluate() counts machines by address and port, and by ePID and HWID). The first host
 * named gets 127.0.0.1 and HWID 1AB0C0FFEE000001.
 */
const machineIndex = new Map<string, number>();
function indexOf(host: string): number {
  let i = machineIndex.get(host);
  if (i === undefined) machineIndex.set(host, (i = machineIndex.size + 1));
  return i;
}
export const addressOf = (host: string) =>
  `127.0.${Math.floor(indexOf(host) / 250)}.${indexOf(host) % 250}`;
const hwidOf = (host: string) =>
  `1AB0C0FFEE${indexOf(host).toString(16).toUpperCase().padStart(6, '0')}`;

export function record(host: string, port = 1688, priority = 0, weight = 0): SrvRecord {
  return { host, port, priority, weight, ttl: 300, addresses: ['127.0.0.1'], addressError: null };
}

export function resolver(records: SrvRecord[], over: Partial<ViewResolver> = {}): ViewResolver {
  return {
    resolver: '127.0.0.1:5353',
    success: true,
    rcode: 'NOERROR',
    ttl: 300,
    durationSeconds: 0.0021,
    serviceUnavailable: false,
    truncatedRecords: 0,
    records,
    error: null,
    ...over,
  };
}

export function domain(name: string, resolvers: ViewResolver[], over: Partial<ViewDomain> = {}) {
  return { domain: name, resolversDisagree: false, missingExpectedHosts: [], resolvers, ...over };
}

export function tcp(host: string, port: number, up: boolean): TcpProbeResult {
  return {
    host,
    port,
    address: '127.0.0.1',
    up,
    durationSeconds: up ? 0.0004 : 0.0003,
    timestamp: AT,
    error: up
      ? null
      : {
          reason: 'connect_refused',
          code: null,
          message: 'connect ECONNREFUSED 127.0.0.1:' + port,
        },
  };
}

export function product(
  host: string,
  port: number,
  slug: string,
  over: Partial<KmsProductResult> = {},
): KmsProductResult {
  const threshold = PRODUCTS.find((p) => p.product === slug)?.threshold ?? 25;
  return {
    host,
    port,
    address: '127.0.0.1',
    product: slug,
    success: true,
    protocol: 6,
    epid: slug === 'lab-office' ? OFFICE_EPID : WINDOWS_EPID,
    hwid: hwidOf(host),
    hostBuild: 20348,
    keyInstallDate: '2024-02-14T00:00:00.000Z',
    activeClients: threshold * 2,
    threshold,
    activationIntervalMinutes: 120,
    renewalIntervalMinutes: 10080,
    durationSeconds: 0.0031,
    phases: { connect: 0.0004, bind: 0.001, request: 0.0017 },
    timestamp: AT,
    error: null,
    ...over,
  };
}

export function refused(host: string, port: number, slug: string): KmsProductResult {
  return product(host, port, slug, {
    success: false,
    epid: null,
    hwid: null,
    hostBuild: null,
    keyInstallDate: null,
    activeClients: null,
    activationIntervalMinutes: null,
    renewalIntervalMinutes: null,
    error: {
      reason: 'kms_error',
      code: '0xC004F042',
      message: 'the host refused the request with 0xC004F042',
    },
  });
}

export function host(
  name: string,
  domains: string[],
  products: KmsProductResult[] | null = null,
  { port = 1688, up = true } = {},
): ViewHost {
  return {
    host: name,
    port,
    domains,
    static: false,
    addresses: [addressOf(name)],
    addressError: null,
    tcp: { ...tcp(name, port, up), address: addressOf(name) },
    reachability: [{ ...tcp(name, port, up), address: addressOf(name) }],
    products: products ?? PRODUCTS.map((p) => product(name, port, p.product)),
  };
}

function historyFor(hosts: ViewHost[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const h of hosts) {
    const key = `${h.host}:${h.port}`;
    if (h.tcp) {
      entries.push({
        timestamp: h.tcp.timestamp,
        kind: 'tcp',
        target: key,
        detail: null,
        success: h.tcp.up,
        reason: h.tcp.error?.reason ?? null,
        message: h.tcp.error?.message ?? null,
        durationSeconds: h.tcp.durationSeconds,
      });
    }
    for (const p of h.products) {
      entries.push({
        timestamp: p.timestamp,
        kind: 'kms',
        target: key,
        detail: p.product,
        success: p.success,
        reason: p.error?.reason ?? null,
        message: p.error ? `${p.error.code ?? ''} ${p.error.message}`.trim() : null,
        durationSeconds: p.durationSeconds,
      });
    }
  }
  return entries;
}

export function view(domains: ViewDomain[], hosts: ViewHost[], over: Partial<StatusView> = {}) {
  const result: StatusView = {
    generatedAt: GENERATED_AT,
    ready: true,
    poll: {
      rounds: 3,
      kmsSweeps: 1,
      overruns: 0,
      lastPollTimestamp: Date.parse(AT) / 1000,
      lastPollDurationSeconds: 0.05,
      lastKmsSweepTimestamp: Date.parse(AT) / 1000,
    },
    products: PRODUCTS,
    domains,
    hosts,
    hostsCut: 0,
    history: historyFor(hosts),
    ...over,
  };
  return over.events ? result : withEvents(result);
}

/**
 * The view's events as the state's journal makes them: its probe log in time order, then
 * its findings, raised when the view was generated.
 */
export function withEvents(v: StatusView): StatusView {
  const events = new EstateEvents();
  const log = [...v.history].sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));
  for (const entry of log) events.probe(entry);
  const at = Date.parse(v.generatedAt);
  for (const f of evaluate({ ...v, events: [] }).problems) {
    events.finding(f, 'raised', findingKey(f), at);
  }
  v.events = events.events();
  return v;
}

/** One of each: what the demo shows, plus a failed lookup. */
export function scenariosView(): StatusView {
  const hosts = [
    host('kms1.healthy.lab.test', ['healthy.lab.test']),
    host('kms2.healthy.lab.test', ['healthy.lab.test']),
    host(
      'kms.lowcount.lab.test',
      ['lowcount.lab.test'],
      [
        product('kms.lowcount.lab.test', 1688, 'lab-windows', { activeClients: 12 }),
        product('kms.lowcount.lab.test', 1688, 'lab-windows-server'),
        product('kms.lowcount.lab.test', 1688, 'lab-office'),
      ],
    ),
    host(
      'kms.nooffice.lab.test',
      ['nooffice.lab.test'],
      [
        product('kms.nooffice.lab.test', 1688, 'lab-windows'),
        product('kms.nooffice.lab.test', 1688, 'lab-windows-server'),
        refused('kms.nooffice.lab.test', 1688, 'lab-office'),
      ],
    ),
    host('kms-old.stale.lab.test', ['stale.lab.test'], [], { up: false }),
    host('kms.stale.lab.test', ['stale.lab.test']),
    host('kms.single.lab.test', ['single.lab.test']),
    host('kms1.split.lab.test', ['split.lab.test']),
    host('kms2.split.lab.test', ['split.lab.test']),
  ];
  const domains = [
    domain('healthy.lab.test', [
      resolver([
        record('kms1.healthy.lab.test', 1688, 0, 60),
        record('kms2.healthy.lab.test', 1688, 0, 40),
      ]),
      // The same records from a second resolver, whose cache has counted the TTL down.
      resolver(
        [
          { ...record('kms1.healthy.lab.test', 1688, 0, 60), ttl: 290 },
          { ...record('kms2.healthy.lab.test', 1688, 0, 40), ttl: 290 },
        ],
        { resolver: '127.0.0.2:5353' },
      ),
    ]),
    domain('lowcount.lab.test', [
      resolver([record('kms.lowcount.lab.test'), record('kms1.healthy.lab.test', 1688, 10)]),
    ]),
    domain('nooffice.lab.test', [
      resolver([record('kms.nooffice.lab.test'), record('kms1.healthy.lab.test', 1688, 10)]),
    ]),
    domain('stale.lab.test', [
      resolver([record('kms-old.stale.lab.test'), record('kms.stale.lab.test', 1688, 10)]),
    ]),
    domain('single.lab.test', [resolver([record('kms.single.lab.test')])]),
    domain('norecord.lab.test', [
      resolver([], {
        rcode: 'NXDOMAIN',
        ttl: 60,
        error: { reason: 'nxdomain', message: '_vlmcs._tcp.norecord.lab.test does not exist' },
      }),
    ]),
    domain(
      'split.lab.test',
      [
        resolver([record('kms1.split.lab.test'), record('kms2.split.lab.test')]),
        resolver([record('kms1.split.lab.test')], { resolver: '127.0.0.2:5353' }),
      ],
      { resolversDisagree: true },
    ),
    domain('broken.lab.test', [
      resolver([], {
        success: false,
        rcode: null,
        ttl: null,
        durationSeconds: 2,
        error: { reason: 'timeout', message: 'no answer from 127.0.0.1:5353 within 2000 ms' },
      }),
    ]),
  ];
  return view(domains, hosts);
}

export const HOSTILE = {
  script: '<script>window.__pwned=1</script>',
  img: '"><img src=x onerror="window.__pwned=2">',
  attr: "' autofocus onfocus='window.__pwned=3",
  style: '<style>body{display:none}</style>',
  link: 'javascript:window.__pwned=4',
  bidi: 'kms\u202Eevil',
};

/** Every string field that came from DNS or a KMS host carries markup or script. */
export function hostileView(): StatusView {
  const name = `${HOSTILE.script}${HOSTILE.img}.evil.test`;
  const all = Object.values(HOSTILE).join(' ');
  const hostileProduct = product(name, 1688, 'lab-windows', {
    epid: `${HOSTILE.script}${HOSTILE.img}`.slice(0, 63),
    hwid: HOSTILE.img,
    address: HOSTILE.attr,
  });
  const failing = product(name, 1688, 'lab-office', {
    success: false,
    activeClients: null,
    error: { reason: 'kms_error', code: HOSTILE.img, message: all },
  });
  const evilProductSlug = product(name, 1688, HOSTILE.script, { activeClients: 3, threshold: 25 });
  const h = {
    ...host(name, [`${HOSTILE.img}.test`], [hostileProduct, failing, evilProductSlug]),
    addresses: [HOSTILE.attr],
    tcp: {
      ...tcp(name, 1688, false),
      address: HOSTILE.img,
      error: { reason: 'connect_refused' as const, code: HOSTILE.script, message: all },
    },
  };
  const domains = [
    domain(
      `${HOSTILE.img}.test`,
      [
        resolver(
          [
            {
              ...record(name),
              addresses: [HOSTILE.attr],
              addressError: { reason: 'nxdomain', message: all },
            },
          ],
          {
            resolver: HOSTILE.img,
            rcode: HOSTILE.script,
          },
        ),
        resolver([], {
          resolver: HOSTILE.script,
          success: false,
          error: { reason: 'malformed', message: all },
        }),
      ],
      { resolversDisagree: true, missingExpectedHosts: [HOSTILE.img, HOSTILE.bidi] },
    ),
  ];
  const v = view(domains, [h], {
    products: [...PRODUCTS, { product: HOSTILE.script, threshold: 25 }],
  });
  v.history.push({
    timestamp: HOSTILE.img,
    kind: 'dns',
    target: HOSTILE.script,
    detail: HOSTILE.img,
    success: false,
    reason: HOSTILE.attr,
    message: all,
    durationSeconds: 1,
  });
  return withEvents(v);
}
