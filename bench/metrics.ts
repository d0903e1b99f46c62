/**
 * (5) /metrics render time and size at 1,000 and 10,000 KMS hosts (3 products each, two
 * hosts per domain): a MonitorState filled with synthetic results, rendered through the
 * prom-client collectors of src/metrics (exporter metrics, the kms_* collectors, the
 * kms_srv_* gauges) with `registry.metrics()`. Baseline: prom-client rendering the same
 * series (every sample line of that output) as plain gauges set beforehand, with no
 * collectors. Two more figures time what GET /metrics does: the direct renderer of
 * src/metrics/direct-render.ts (checked to produce identical text) on a changed state,
 * and a scrape that reuses that text while the state has not changed.
 *
 *   npm run bench -- metrics      node --import tsx bench/metrics.ts [--hosts 1000,10000]
 */
import os from 'node:os';
import { Gauge, Registry } from 'prom-client';
import { registerExporterMetrics } from '../src/metrics/exporter-metrics.js';
import { registerMonitorMetrics } from '../src/metrics/monitor-metrics.js';
import { createSrvMetrics } from '../src/metrics/srv-metrics.js';
import type { MonitorState } from '../src/monitor/state.js';
import { DirectRenderer } from '../src/metrics/direct-render.js';
import { commandFor, figure, median, type BenchReport, type Figure } from './lib/figures.js';
import { SYNTHETIC_PRODUCTS, syntheticState } from './lib/synthetic-state.js';
import { benchMain } from './lib/main.js';

const BENCH = 'metrics';

/** The kms_* and kms_srv_* collectors exactly as src/app/monitor-app.ts registers them. */
function registerStateMetrics(registry: Registry, state: MonitorState): void {
  registerMonitorMetrics(registry, state, () => SYNTHETIC_PRODUCTS);
  for (const gauge of createSrvMetrics(() => [...state.domains.values()].flatMap((d) => d.lookups)))
    registry.registerMetric(gauge);
}

/** Every sample line of `text` as a plain gauge, set once: the baseline registry. */
function plainGauges(text: string): Registry {
  const registry = new Registry();
  const gauges = new Map<string, Gauge>();
  const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
  const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const l of text.split('\n')) {
    if (l === '' || l.startsWith('#')) continue;
    const m = line.exec(l);
    if (!m) continue;
    const [, name = '', labelText = '', value = '0'] = m;
    const labels: Record<string, string> = {};
    for (const lm of labelText.matchAll(label)) labels[lm[1] ?? ''] = lm[2] ?? '';
    let gauge = gauges.get(name);
    if (!gauge) {
      gauge = new Gauge({
        name,
        help: 'baseline',
        labelNames: Object.keys(labels),
        registers: [registry],
      });
      gauges.set(name, gauge);
    }
    gauge.set(labels, Number(value));
  }
  return registry;
}

async function time(
  fn: () => Promise<string> | string,
  repeat: number,
): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    const text = await fn();
    times.push(performance.now() - t0);
    bytes = Buffer.byteLength(text);
  }
  return { ms: median(times), bytes };
}

export async function run(options: { hosts: number[] }): Promise<BenchReport> {
  const figures: Figure[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  const command = commandFor(BENCH);
  for (const n of options.hosts) {
    const state = syntheticState(n);
    const app = new Registry();
    registerExporterMetrics(app);
    registerStateMetrics(app, state);
    // The state families alone, to check the direct renderer against.
    const stateOnly = new Registry();
    registerStateMetrics(stateOnly, state);
    const exporterOnly = new Registry();
    registerExporterMetrics(exporterOnly);
    const direct = new DirectRenderer(stateOnly);

    const reference = `${await stateOnly.metrics()}`;
    const fast = `${direct.render(state, SYNTHETIC_PRODUCTS)}\n`;
    if (fast !== reference)
      failures.push(`direct renderer output differs from prom-client's at ${n} hosts`);
    const full = await app.metrics();
    const series = full.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    const plain = plainGauges(full);

    const repeat = n >= 10_000 ? 3 : 10;
    await app.metrics(); // warm-up
    await plain.metrics();
    const current = await time(() => app.metrics(), repeat);
    const base = await time(() => plain.metrics(), repeat);
    const proposed = await time(
      async () => `${direct.render(state, SYNTHETIC_PRODUCTS)}\n\n${await exporterOnly.metrics()}`,
      repeat,
    );
    // Scrapes between two state changes: the state families rendered once and kept (keyed
    // by a state generation counter, see docs/performance.md), process metrics fresh.
    const cachedText = direct.render(state, SYNTHETIC_PRODUCTS);
    const cached = await time(
      async () => `${cachedText}\n\n${await exporterOnly.metrics()}`,
      repeat,
    );
    const h = n.toLocaleString('en-US');
    figures.push(
      figure({
        id: `${BENCH}.${n}.render`,
        bench: BENCH,
        name: `/metrics render time through the prom-client collectors, ${h} hosts × 3 products (${series.toLocaleString('en-US')} series)`,
        value: current.ms,
        unit: 'ms',
        better: 'lower',
        baseline: {
          name: 'prom-client, same series as plain gauges, no collectors',
          value: base.ms,
          unit: 'ms',
        },
        ...(n >= 10_000 ? {} : {}),
        command,
      }),
      figure({
        id: `${BENCH}.${n}.bytes`,
        bench: BENCH,
        name: `/metrics size, ${h} hosts`,
        value: current.bytes / 1024,
        unit: 'KiB',
        better: 'lower',
        baseline: { name: 'plain gauges, same series', value: base.bytes / 1024, unit: 'KiB' },
        command,
      }),
      figure({
        id: `${BENCH}.${n}.direct`,
        bench: BENCH,
        name: `/metrics after a state change, ${h} hosts: direct renderer (what GET /metrics does)`,
        value: proposed.ms,
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'prom-client collectors (same output)', value: current.ms, unit: 'ms' },
        ...(n >= 10_000
          ? { goal: { text: '/metrics at 10,000 hosts under 100 ms', met: proposed.ms < 100 } }
          : {}),
        command,
      }),
      figure({
        id: `${BENCH}.${n}.cached`,
        bench: BENCH,
        name: `/metrics scrape of an unchanged state, ${h} hosts (the cached text, what GET /metrics does)`,
        value: cached.ms,
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'prom-client collectors (same output)', value: current.ms, unit: 'ms' },
        ...(n >= 10_000
          ? { goal: { text: '/metrics at 10,000 hosts under 100 ms', met: cached.ms < 100 } }
          : {}),
        command,
      }),
    );
  }
  notes.push(
    `median of 10 renders at 1,000 hosts, 3 at 10,000; load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  return { bench: BENCH, figures, notes, failures };
}

await benchMain(import.meta.url, { hosts: [1000, 10000] }, run);
