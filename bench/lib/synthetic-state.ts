/**
 * A MonitorState filled with synthetic results, through the state's own methods (as the
 * poller fills it): `hosts` KMS hosts, two per domain, `products` products each, 5 % of
 * them failing with a named reason so failure counters have series too. For rendering
 * benchmarks that must not depend on a network.
 */
import type { SrvLookupResult } from '../../src/dns/index.js';
import type { KmsProductResult, TcpProbeResult } from '../../src/kms/client/result.js';
import { MonitorState } from '../../src/monitor/state.js';
import { mergeTargets } from '../../src/monitor/targets.js';
import type { PlannedProduct } from '../../src/monitor/plan.js';

export const SYNTHETIC_PRODUCTS: PlannedProduct[] = [
  { slug: 'windows-client', nPolicy: 25 },
  { slug: 'windows-server', nPolicy: 5 },
  { slug: 'office-2016', nPolicy: 5 },
];

const RESOLVER = '10.0.0.53:53';

export function syntheticState(hosts: number, products = SYNTHETIC_PRODUCTS): MonitorState {
  const state = new MonitorState();
  const lookups: SrvLookupResult[] = [];
  const domains = Math.ceil(hosts / 2);
  for (let d = 0; d < domains; d++) {
    const domain = `site${d}.corp.example.com`;
    const records = [0, 1]
      .filter((j) => 2 * d + j < hosts)
      .map((j) => ({
        host: `kms${j + 1}.site${d}.corp.example.com`,
        port: 1688,
        priority: j,
        weight: 10,
        ttl: 3600,
        addresses: [`10.${(d >> 8) & 255}.${d & 255}.${j + 1}`],
        addressError: null,
      }));
    lookups.push({
      domain,
      resolver: RESOLVER,
      success: true,
      rcode: 'NOERROR',
      ttl: 3600,
      records,
      serviceUnavailable: false,
      truncatedRecords: 0,
      transport: 'udp',
      durationSeconds: 0.0012,
      error: null,
      failedResolvers: [],
    });
  }
  const at = new Date().toISOString();
  for (const lookup of lookups) state.recordLookup(lookup, at);
  const { targets, cut } = mergeTargets(lookups, [], Number.MAX_SAFE_INTEGER);
  state.applyDiscovery({ lookups, targets, hostsCut: cut });
  targets.forEach((target, i) => {
    const down = i % 40 === 39;
    const tcp: TcpProbeResult = {
      host: target.host,
      port: target.port,
      address: target.addresses[0] ?? null,
      up: !down,
      durationSeconds: 0.0004,
      timestamp: at,
      error: down
        ? { reason: 'connect_refused', code: null, message: 'refused the connection' }
        : null,
    };
    state.recordTcp(target.key, tcp);
    products.forEach((p, k) => {
      const failing = down || (i + k) % 20 === 7;
      const result: KmsProductResult = {
        host: target.host,
        port: target.port,
        address: target.addresses[0] ?? null,
        product: p.slug,
        success: !failing,
        protocol: 6,
        epid: failing ? null : '06401-00206-568-123456-03-1033-20348.0000-0542024',
        hwid: failing ? null : '3A1C049600B60076',
        hostBuild: failing ? null : 20348,
        keyInstallDate: failing ? null : '2024-02-23',
        activeClients: failing ? null : 50,
        threshold: p.nPolicy,
        activationIntervalMinutes: failing ? null : 120,
        renewalIntervalMinutes: failing ? null : 10080,
        durationSeconds: 0.0031,
        phases: { connect: 0.0004, bind: 0.001, request: 0.0017 },
        timestamp: at,
        error: failing
          ? down
            ? { reason: 'connect_refused', code: null, message: 'refused the connection' }
            : { reason: 'kms_error', code: '0xC004F042', message: 'host key does not cover it' }
          : null,
      };
      state.recordKms(target.key, result);
    });
  });
  state.poll.rounds = 1;
  state.poll.kmsSweeps = 1;
  state.poll.lastPollTimestamp = Date.now() / 1000;
  state.poll.lastPollDurationSeconds = 4.2;
  state.poll.lastKmsSweepTimestamp = Date.now() / 1000;
  state.ready = true;
  return state;
}
