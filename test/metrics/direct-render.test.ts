import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { SrvLookupResult } from '../../src/dns/index.js';
import type { KmsProductResult } from '../../src/kms/client/result.js';
import { DirectRenderer } from '../../src/metrics/direct-render.js';
import { registerMonitorMetrics } from '../../src/metrics/monitor-metrics.js';
import { createSrvMetrics } from '../../src/metrics/srv-metrics.js';
import type { MonitorState } from '../../src/monitor/state.js';
import { mergeTargets } from '../../src/monitor/targets.js';
import { SYNTHETIC_PRODUCTS, syntheticState } from '../../bench/lib/synthetic-state.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';

function referenceRegistry(state: MonitorState): Registry {
  const registry = new Registry();
  registerMonitorMetrics(registry, state, () => SYNTHETIC_PRODUCTS);
  for (const gauge of createSrvMetrics(() =>
    [...state.domains.values()].flatMap((d) => d.lookups),
  )) {
    registry.registerMetric(gauge);
  }
  return registry;
}

/** Adds what the synthetic state lacks: hostile label values, disagreeing resolvers, cuts. */
function addEdgeCases(state: MonitorState): void {
  const lookup = (resolver: string, hosts: string[]): SrvLookupResult => ({
    domain: 'edge.example.test',
    resolver,
    success: true,
    rcode: 'NOERROR',
    ttl: 60,
    records: hosts.map((host) => ({
      host,
      port: 1688,
      priority: 0,
      weight: 0,
      ttl: 60,
      addresses: [],
      addressError: null,
    })),
    serviceUnavailable: false,
    truncatedRecords: 3,
    transport: 'tcp',
    durationSeconds: 0.5,
    error: null,
    failedResolvers: [],
  });
  const lookups = [
    lookup('127.0.0.1:53', ['a.edge.example.test']),
    lookup('[::1]:53', ['b.edge.example.test']),
  ];
  const existing = [...state.domains.values()].flatMap((d) => d.lookups);
  const all = [...existing, ...lookups];
  const { targets, cut } = mergeTargets(all, [], Number.MAX_SAFE_INTEGER);
  state.applyDiscovery(
    all,
    targets,
    new Map([['edge.example.test', ['gone.edge.example.test']]]),
    cut,
  );
  const target = targets.find((t) => t.host === 'a.edge.example.test')!;
  const hostile: KmsProductResult = {
    host: target.host,
    port: target.port,
    address: null,
    product: 'windows-client',
    success: true,
    protocol: 6,
    epid: 'back\\slash "quoted"\nnewline',
    hwid: 'ABCDEF0123456789',
    hostBuild: 20348,
    keyInstallDate: '2025-01-01T00:00:00.000Z',
    activeClients: 7,
    threshold: 25,
    activationIntervalMinutes: 120,
    renewalIntervalMinutes: 10080,
    durationSeconds: 0.01,
    phases: {},
    timestamp: new Date().toISOString(),
    error: null,
  };
  state.recordKms(target.key, hostile);
  state.recordKms(target.key, {
    ...hostile,
    product: 'office-2016',
    success: false,
    epid: null,
    error: { reason: 'kms_error', code: '0xC004F042', message: 'refused' },
  });
}

test('the direct renderer writes exactly what the prom-client collectors write', async () => {
  for (const hosts of [0, 1, 57]) {
    const state = syntheticState(hosts);
    if (hosts > 0) addEdgeCases(state);
    const registry = referenceRegistry(state);
    const reference = await registry.metrics();
    const direct = `${new DirectRenderer(registry).render(state, SYNTHETIC_PRODUCTS)}\n`;
    assert.equal(direct, reference, `${hosts} hosts`);
    const lint = promtoolCheckMetrics(direct);
    assert.ok(lint.ok, lint.output);
  }
});

test('a family the renderer does not know fails loudly instead of vanishing', () => {
  const state = syntheticState(2);
  const registry = referenceRegistry(state);
  registry.registerMetric(
    new (class {
      name = 'kms_new_family';
      help = 'x';
      type = 'gauge';
      aggregator = 'sum';
      get() {
        return { name: this.name, help: this.help, type: this.type, values: [], aggregator: 'sum' };
      }
      reset() {}
    })() as never,
  );
  assert.throws(
    () => new DirectRenderer(registry).render(state, SYNTHETIC_PRODUCTS),
    /no renderer for kms_new_family/,
  );
});
