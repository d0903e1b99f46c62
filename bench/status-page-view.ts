// A synthetic StatusView of a large estate for bench/status-page.ts and
// bench/status-page-estate.ts: `hostCount` hosts × 3 products, `perDomain` (10) hosts per domain, two resolvers per domain, and a mix of failures (hosts
// down, a refused product, counts below threshold, a disagreeing resolver, failed lookups)
// with a full history (200 successes, 1,000 failures, as the state keeps).
import type { KmsProductResult } from '../src/kms/client/result.js';
import type { HistoryEntry } from '../src/monitor/history.js';
import type { StatusView } from '../src/monitor/status-view.js';
import {
  EVENT_JOURNAL_CAPACITY,
  EventJournal,
  findingTransition,
  type JournalEvent,
} from '../src/monitor/events/index.js';
import { finding } from '../src/monitor/findings.js';

export const PRODUCTS = [
  { product: 'windows-11', threshold: 25 },
  { product: 'windows-server-2022', threshold: 5 },
  { product: 'office-ltsc-2021', threshold: 5 },
];
const AT = new Date('2025-06-02T09:59:50Z').toISOString();

function productResult(host: string, i: number, slug: string, threshold: number): KmsProductResult {
  const refused = slug.startsWith('office') && i % 20 === 3;
  const count = i % 10 === 7 && slug.startsWith('windows-1') ? 12 : threshold * 2;
  return {
    host,
    port: 1688,
    address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    product: slug,
    success: !refused,
    protocol: 6,
    epid: refused
      ? null
      : `03612-00206-556-${String(100000 + i).slice(-6)}-03-1033-17763.0000-2972018`,
    hwid: refused ? null : '3A1C049600B60076',
    hostBuild: refused ? null : 17763,
    keyInstallDate: refused ? null : '2018-10-24T00:00:00.000Z',
    activeClients: refused ? null : count,
    threshold,
    activationIntervalMinutes: refused ? null : 120,
    renewalIntervalMinutes: refused ? null : 10080,
    durationSeconds: 0.004 + (i % 7) / 1000,
    phases: { connect: 0.001, bind: 0.001, request: 0.002 },
    timestamp: AT,
    error: refused
      ? {
          reason: 'kms_error',
          code: '0xC004F042',
          message: 'the host refused the request with 0xC004F042',
        }
      : null,
  };
}

export function syntheticView(hostCount: number, perDomain = 10): StatusView {
  const hosts: StatusView['hosts'] = [];
  const domains: StatusView['domains'] = [];
  const history: HistoryEntry[] = [];
  for (let d = 0; d * perDomain < hostCount; d++) {
    const domain = `site${d}.corp.example`;
    const records: StatusView['domains'][number]['resolvers'][number]['records'] = [];
    for (let k = 0; k < perDomain && d * perDomain + k < hostCount; k++) {
      const i = d * perDomain + k;
      const name = `kms${k}.${domain}`;
      const down = i % 20 === 11;
      records.push({
        host: name,
        port: 1688,
        priority: k < 5 ? 0 : 10,
        weight: 10 * (k + 1),
        ttl: 3600,
        addresses: [`10.0.${d & 255}.${k}`],
        addressError: null,
      });
      hosts.push({
        host: name,
        port: 1688,
        domains: [domain],
        static: false,
        addresses: [`10.0.${d & 255}.${k}`],
        addressError: null,
        reachability: [],
        tcp: {
          host: name,
          port: 1688,
          address: `10.0.${d & 255}.${k}`,
          up: !down,
          durationSeconds: 0.0008,
          timestamp: AT,
          error: down
            ? {
                reason: 'connect_refused',
                code: null,
                message: `connect ECONNREFUSED 10.0.${d & 255}.${k}:1688`,
              }
            : null,
        },
        products: down ? [] : PRODUCTS.map((p) => productResult(name, i, p.product, p.threshold)),
      });
    }
    const failed = d % 50 === 49;
    const resolver = (r: string, recs: typeof records) => ({
      resolver: r,
      success: !failed,
      rcode: failed ? null : 'NOERROR',
      ttl: failed ? null : 3600,
      durationSeconds: 0.002,
      serviceUnavailable: false,
      truncatedRecords: 0,
      records: failed ? [] : recs,
      error: failed
        ? { reason: 'timeout' as const, message: `no answer from ${r} within 5000 ms` }
        : null,
    });
    domains.push({
      domain,
      resolversDisagree: d % 25 === 5,
      missingExpectedHosts: [],
      resolvers: [
        resolver('10.1.0.53:53', records),
        resolver('10.2.0.53:53', d % 25 === 5 ? records.slice(1) : records),
      ],
    });
  }
  // The history the page reads: 200 successes and 1,000 failures, as the state keeps.
  for (let i = 0; i < 1200; i++) {
    const h = hosts[i % hosts.length]!;
    history.push({
      timestamp: new Date(Date.parse(AT) - i * 1000).toISOString(),
      kind: i % 3 === 0 ? 'tcp' : 'kms',
      target: `${h.host}:1688`,
      detail: i % 3 === 0 ? null : 'office-ltsc-2021',
      success: i < 200,
      reason: i < 200 ? null : 'kms_error',
      message: i < 200 ? null : '0xC004F042 the host refused the request with 0xC004F042',
      durationSeconds: 0.004,
    });
  }
  return {
    generatedAt: new Date(Date.parse(AT) + 10_000).toISOString(),
    ready: true,
    poll: {
      rounds: 100,
      kmsSweeps: 5,
      overruns: 0,
      lastPollTimestamp: Date.parse(AT) / 1000,
      lastPollDurationSeconds: 1.2,
      lastKmsSweepTimestamp: Date.parse(AT) / 1000,
    },
    products: PRODUCTS,
    domains,
    hosts,
    hostsCut: 0,
    history,
    events: fullJournal(hosts, domains),
  };
}

/**
 * The events the page reads: a full journal (EVENT_JOURNAL_CAPACITY lines, the most the
 * state keeps), half of them problems still standing, some lines folding many repeats.
 */
function fullJournal(hosts: StatusView['hosts'], domains: StatusView['domains']): JournalEvent[] {
  const journal = new EventJournal();
  for (let i = 0; i < 2 * EVENT_JOURNAL_CAPACITY; i++) {
    const h = hosts[i % hosts.length]!;
    const key = `${h.host}:1688`;
    const at = new Date(Date.parse(AT) - (2 * EVENT_JOURNAL_CAPACITY - i) * 60_000).toISOString();
    if (i % 4 === 3) {
      const domain = domains[i % domains.length]!.domain;
      journal.add({
        at,
        kind: 'record',
        key: `record\u0000${domain}\u0000${key}`,
        change: i % 8 === 3 ? 'appeared' : 'gone',
        problem: false,
        code: null,
        severity: 'ok',
        domain,
        host: key,
        message: null,
      });
      continue;
    }
    const f = finding(i % 4 === 1 ? 'count_below_threshold' : 'host_down', {
      host: key,
      ...(i % 4 === 1 ? { product: 'windows-11' } : {}),
      message: `${key} is down: connect_timeout (published in ${h.domains[0] ?? 'no domain'}): stale SRV record?`,
    });
    journal.add(findingTransition(f, i % 2 === 0 ? 'raised' : 'cleared', `${f.code}/${key}`, at));
  }
  return journal.events();
}
