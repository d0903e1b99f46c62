/**
 * What /metrics keeps between renders (label bytes and series per host, pooled chunks,
 * the evaluation's parts per host and domain) must never change what it says: after
 * every step of seeded random sequences of discovery (hosts and domains come and go,
 * lookups fail), discovery again with equal content (new objects), whole rounds where
 * only the timings moved, TCP and KMS results (hosts up and down, counts, refusals, hostile
 * ePIDs that need escaping), trust judgements, and product reloads (results of products no
 * longer planned forgotten in place), the kept evaluation equals one made from
 * scratch and the served body equals a render from scratch. A body still being sent is
 * never written over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { SrvLookupResult, SrvRecord } from '../../src/dns/index.js';
import type { KmsProductResult, TcpProbeResult } from '../../src/kms/client/result.js';
import { cachedMetrics } from '../../src/metrics/cached-render.js';
import { ExporterStatus } from '../../src/metrics/exporter-status.js';
import { renderStateMetrics } from '../../src/metrics/render.js';
import { evaluate } from '../../src/monitor/evaluate.js';
import { evaluationOf } from '../../src/monitor/evaluation-of.js';
import type { MonitorPlan, PlannedProduct } from '../../src/monitor/plan.js';
import { MonitorState } from '../../src/monitor/state.js';
import { buildStatusView } from '../../src/monitor/status-view.js';
import { mergeTargets } from '../../src/monitor/targets.js';
import { seededRandom } from '../helpers/seeded-random.js';

const PRODUCT_SETS: PlannedProduct[][] = [
  [
    { slug: 'windows-client', nPolicy: 25 },
    { slug: 'windows-server', nPolicy: 5 },
    { slug: 'office-2016', nPolicy: 5 },
  ],
  [
    { slug: 'windows-client', nPolicy: 25 },
    { slug: 'office-ltsc-2024', nPolicy: 5, planned: true },
  ],
  [{ slug: 'windows-server', nPolicy: 5 }],
];
const DOMAINS = ['a.example.test', 'b.example.test', 'c.example.test', 'ü.example.test'];
const HOSTS = ['kms1.example.test', 'kms2.example.test', 'kms3.example.test', 'kms4.example.test'];
const RESOLVERS = ['127.0.0.1:53', '[::1]:53'];
const AT = '2025-01-02T03:04:05.000Z';
/** ePIDs a hostile host may send: each needs escaping or is not ASCII. */
const EPIDS = [
  '06401-00206-568-123456-03-1033-20348.0000-0542024',
  'evil"}\nkms_fake 1',
  'back\\slash',
  'ünïcödé-ePID-😀',
];

function step(state: MonitorState, next: () => number, products: PlannedProduct[]): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const hosts = [...state.hosts.values()];
  const roll = next();
  if (roll >= 0.13 && roll < 0.18 && state.domains.size > 0) {
    // Discovery again with equal content: every lookup and target a new object.
    const lookups = structuredClone([...state.domains.values()].flatMap((d) => d.lookups));
    const { targets, cut } = mergeTargets(lookups, [], 6);
    const domains = [{ domain: 'a.example.test', expectedHosts: ['kms4.example.test'] }];
    state.applyDiscovery({ lookups, targets, hostsCut: cut, domains });
    return 'discovery again, equal';
  }
  if (roll >= 0.18 && roll < 0.25 && hosts.length > 0) {
    // A whole round where only the timings moved: every result a new object.
    const at = new Date(Date.parse(AT) + Math.floor(next() * 1e6)).toISOString();
    for (const h of hosts) {
      if (h.tcp) {
        state.recordTcp(h.target.key, { ...h.tcp, durationSeconds: next() / 100, timestamp: at });
      }
      for (const r of [...h.products.values()]) {
        const phases = { connect: next() / 1e3, bind: next() / 1e3, request: next() / 1e3 };
        state.recordKms(h.target.key, { ...r, durationSeconds: next(), phases, timestamp: at });
      }
    }
    return 'round, timings only';
  }
  if (roll < 0.18 || hosts.length === 0) {
    const lookups: SrvLookupResult[] = [];
    for (const domain of DOMAINS.filter(() => next() < 0.75)) {
      for (const resolver of RESOLVERS) {
        const success = next() < 0.85;
        const records: SrvRecord[] = success
          ? HOSTS.filter(() => next() < 0.5).map((host, i) => ({
              host,
              port: next() < 0.8 ? 1688 : 1689,
              priority: i,
              weight: 10,
              ttl: 3600,
              addresses: next() < 0.9 ? [`127.0.0.${i + 1}`] : [],
              addressError: null,
            }))
          : [];
        lookups.push({
          domain,
          resolver,
          success,
          rcode: success ? 'NOERROR' : null,
          ttl: 3600,
          records,
          serviceUnavailable: false,
          truncatedRecords: success && next() < 0.1 ? 1 : 0,
          transport: 'udp',
          durationSeconds: Math.round(next() * 1000) / 1e5,
          error: success ? null : { reason: 'timeout', message: 'no answer' },
          failedResolvers: [],
        });
      }
    }
    for (const lookup of lookups) state.recordLookup(lookup, AT);
    const { targets, cut } = mergeTargets(lookups, [], 6);
    const domains = [{ domain: 'a.example.test', expectedHosts: ['kms4.example.test'] }];
    state.applyDiscovery({ lookups, targets, hostsCut: cut, domains });
    return 'discovery';
  }
  const host = pick(hosts);
  const { target } = host;
  if (roll < 0.55) {
    const up = next() < 0.8;
    const tcp: TcpProbeResult = {
      host: target.host,
      port: target.port,
      address: target.addresses[0] ?? null,
      up,
      durationSeconds: Math.round(next() * 1e4) / 1e6,
      timestamp: AT,
      error: up ? null : { reason: 'connect_refused', code: null, message: 'refused' },
    };
    state.recordTcp(target.key, tcp);
    return `tcp ${target.key}`;
  }
  if (roll < 0.95) {
    const product = pick(products);
    const success = next() < 0.75;
    const result: KmsProductResult = {
      host: target.host,
      port: target.port,
      address: target.addresses[0] ?? null,
      product: product.slug,
      success,
      protocol: 6,
      epid: success ? pick(EPIDS) : null,
      hwid: success ? '3A1C049600B60076' : null,
      hostBuild: success ? 20348 : null,
      keyInstallDate: success ? '2024-02-23' : null,
      activeClients: success ? Math.floor(next() * 60) : null,
      threshold: product.nPolicy,
      activationIntervalMinutes: success ? 120 : null,
      renewalIntervalMinutes: success ? 10080 : null,
      durationSeconds: Math.round(next() * 1e4) / 1e6,
      phases: { connect: 0.0004, bind: 0.001, request: 0.0017 },
      timestamp: AT,
      error: success
        ? null
        : { reason: 'kms_error', code: '0xC004F042', message: 'host key does not cover it' },
    };
    state.recordKms(target.key, result);
    return `kms ${target.key} ${product.slug}`;
  }
  if (roll < 0.975) {
    // A trust judgement: the unknown-ID control answered (not genuine) or refused.
    const answered = next() < 0.5;
    const control: KmsProductResult = {
      ...[...host.products.values()][0]!,
      product: 'control_unknown_id',
      success: answered,
      activeClients: answered ? 50 : null,
      error: answered ? null : { reason: 'kms_error', code: '0xC004F042', message: 'refused' },
    };
    if (host.products.size === 0) return 'trust (no result yet)';
    state.recordProbes('trust', target.key, [
      {
        address: target.addresses[0] ?? null,
        result: {
          unknownId: control,
          retail: null,
          echo: [],
          products: [],
          timestamp: AT,
          durationSeconds: next() / 100,
          error: null,
        },
      },
    ]);
    return `trust ${target.key}`;
  }
  return 'reload';
}

/** What retainPlan() reads of a plan: its products, the history's retention and interval. */
function planOf(products: PlannedProduct[]): MonitorPlan {
  return { products, kmsIntervalMs: 300_000 } as unknown as MonitorPlan;
}

test('kept labels, chunks and evaluation parts equal a render from scratch after random changes', async () => {
  for (const seed of [1, 2, 3, 4]) {
    const next = seededRandom(seed);
    const state = new MonitorState();
    let products = PRODUCT_SETS[0]!;
    const exporter = new ExporterStatus();
    const metrics = cachedMetrics({
      state,
      products: () => products,
      exporter,
      process: new Registry(),
    });
    /** A body whose response has not closed yet, and a copy of what it said. */
    let held: { chunks: Buffer[]; copy: Buffer; close: () => void } | null = null;
    const done: string[] = [];
    for (let i = 0; i < 60; i++) {
      const what = step(state, next, products);
      if (what === 'reload') {
        products = [...PRODUCT_SETS[Math.floor(next() * 3)]!.map((p) => ({ ...p }))];
        // As serve reloads: results of products no longer planned are forgotten in place.
        state.retainPlan(planOf(products));
      }
      done.push(what);
      const where = `seed ${seed}, after: ${done.slice(-4).join('; ')}`;

      const kept = evaluationOf(state, products);
      const fresh = evaluate(buildStatusView(state, products, { historyLimit: 0 }));
      assert.deepEqual(kept, fresh, `evaluation, ${where}`);

      let close = () => {};
      const sent = new Promise<void>((resolve) => (close = resolve));
      const chunks = (await metrics.body('identity', sent)).slice(0, -1);
      const served = Buffer.concat(chunks);
      assert.equal(served.toString(), renderStateMetrics(state, products), `body, ${where}`);
      if (held === null && next() < 0.3) held = { chunks, copy: served, close };
      else close();
      if (held !== null && next() < 0.2) {
        assert.ok(Buffer.concat(held.chunks).equals(held.copy), `a body being sent, ${where}`);
        held.close();
        held = null;
      }
    }
    held?.close();
  }
});

test('a body asked for is held from the moment it is asked, not only once its tail is ready', async () => {
  const state = new MonitorState();
  const products = PRODUCT_SETS[0]!;
  const metrics = cachedMetrics({
    state,
    products: () => products,
    exporter: new ExporterStatus(),
    process: new Registry(),
  });
  const change = (cut: number) => {
    state.hostsCut = cut;
    state.generation++;
  };
  // A first body, sent and closed: its chunk goes back to the pool once a second replaces it.
  await metrics.body('identity', Promise.resolve());
  change(1);
  let close = () => {};
  const pending = metrics.body('identity', new Promise<void>((resolve) => (close = resolve)));
  const expected = renderStateMetrics(state, products);
  // Two more scrapes start while the first still waits for its tail: each renders anew.
  change(22);
  const second = metrics.body('identity', Promise.resolve());
  await second;
  change(333);
  await metrics.body('identity', Promise.resolve());
  const chunks = (await pending).slice(0, -1);
  assert.equal(Buffer.concat(chunks).toString(), expected);
  close();
});
