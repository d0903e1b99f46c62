/**
 * (5) /metrics render time and size at 1,000 and 10,000 KMS hosts (3 products each, two
 * hosts per domain): a MonitorState filled with synthetic results, rendered by what GET
 * /metrics runs (src/metrics/cached-render.ts: the declared families of src/metrics/families
 * plus prom-client's process metrics). In process: the state's text rendered again with
 * the evaluation kept (comparable with earlier renderers), a scrape after the generation
 * moved, a scrape of an unchanged state (cached text), the evaluation from scratch and
 * after one result; baseline: prom-client rendering the same series (every sample line of
 * that output) as plain gauges set beforehand. Over real HTTP, each beside the floor of
 * sending the same bytes from one prebuilt Buffer: unchanged, after a whole round (every
 * result new, the poller's round-end evaluation made before the scrape as serve makes it),
 * after one TCP or one KMS result mid-round (its evaluation counted), gzip and HEAD; and
 * after a whole round as serve runs it (the body built by the poller's round-end hook),
 * with a scrape that arrives as that render starts and the render's own time beside it.
 *
 *   npm run bench -- metrics      node --import tsx bench/metrics.ts [--hosts 1000,10000]
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Gauge, Registry } from 'prom-client';
import { cachedMetrics, type CachedMetricsSource } from '../src/metrics/cached-render.js';
import { evaluate } from '../src/monitor/evaluate.js';
import { evaluationOf } from '../src/monitor/evaluation-of.js';
import type { PlannedProduct } from '../src/monitor/plan.js';
import type { MonitorState } from '../src/monitor/state.js';
import { buildStatusView } from '../src/monitor/status-view.js';
import { ExporterStatus } from '../src/metrics/exporter-status.js';
import { processMetricsRegistry } from '../src/metrics/process-metrics.js';
import { renderExporterMetrics, writeStateMetrics } from '../src/metrics/render.js';
import { createWebServer } from '../src/web/server.js';
import { NO_WEB_CONFIG } from '../src/web/web-config.js';
import {
  commandFor,
  figure,
  finish,
  median,
  type BenchReport,
  type Figure,
} from './lib/figures.js';
import { RemoteScraper } from './lib/remote-scraper.js';
import { SYNTHETIC_PRODUCTS, syntheticState } from './lib/synthetic-state.js';

const BENCH = 'metrics';

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

/** Median time of `fn`; it returns the body, its buffers or its byte count. */
async function time(
  fn: () => Promise<string | Buffer[] | number> | string,
  repeat: number,
): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    const text = await fn();
    times.push(performance.now() - t0);
    bytes =
      typeof text === 'number'
        ? text
        : typeof text === 'string'
          ? Buffer.byteLength(text)
          : text.reduce((n, b) => n + b.length, 0);
  }
  return { ms: median(times), bytes };
}

/** Median time of `fn`, each run after `prepare` (not timed). */
async function timeAfter(
  prepare: () => void,
  fn: () => Promise<unknown>,
  repeat: number,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    prepare();
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * A whole round as the poller records it: every host's TCP result and every KMS result
 * replaced by a new one (the connect and exchange times move every round), then the
 * round's end, then the evaluation the poller makes there for the finding log
 * (poller.ts). Returns how long that round-end evaluation took.
 */
function wholeRound(
  state: MonitorState,
  products: readonly PlannedProduct[],
  round: number,
  moveCounts = false,
): number {
  const jitter = (round % 7) / 1e6;
  for (const [key, host] of state.hosts) {
    if (host.tcp) state.recordTcp(key, { ...host.tcp, durationSeconds: 0.0004 + jitter });
    for (const result of [...host.products.values()]) {
      const counted = moveCounts && result.activeClients !== null;
      state.recordKms(key, {
        ...result,
        durationSeconds: 0.0031 + jitter,
        ...(counted ? { activeClients: result.activeClients! + (round % 2 ? 1 : -1) } : {}),
      });
    }
  }
  state.recordRoundEnd(Date.now() - 4200, Date.now(), true, true);
  const t0 = performance.now();
  evaluationOf(state, products);
  return performance.now() - t0;
}

/** One probe result in the middle of a round: a host's TCP result, new. */
function oneResult(state: MonitorState, round: number): void {
  const hosts = [...state.hosts.values()];
  const host = hosts[(round * 7919) % hosts.length]!;
  if (host.tcp)
    state.recordTcp(host.target.key, { ...host.tcp, durationSeconds: 0.0005 + round / 1e6 });
}

/** One KMS result in the middle of a round: a host's exchange for one product, new. */
function oneKmsResult(state: MonitorState, round: number): void {
  const hosts = [...state.hosts.values()];
  const host = hosts[(round * 6007) % hosts.length]!;
  const [result] = host.products.values();
  if (result)
    state.recordKms(host.target.key, { ...result, durationSeconds: 0.0032 + round / 1e6 });
}

/**
 * /metrics over real HTTP, as Prometheus scrapes it: the kms-monitor web server (fastify,
 * every hook of serve) with the cached source, next to the floor: a bare node:http server
 * sending the same bytes from one prebuilt Buffer. Also the body the route sent before this
 * work (the state's text and the tail joined into a new string per scrape), served by the
 * same bare server, for the before/after.
 */
async function overHttp(
  metrics: CachedMetricsSource,
  state: MonitorState,
  products: readonly PlannedProduct[],
  repeat: number,
): Promise<
  Record<
    | 'floor'
    | 'stringBody'
    | 'unchanged'
    | 'changed'
    | 'round'
    | 'roundPrepared'
    | 'roundDuringRender'
    | 'oneResult'
    | 'oneKmsResult'
    | 'roundPreparedGzip'
    | 'oneResultGzip'
    | 'gzip'
    | 'head',
    number
  > & { roundEndEvaluation: number; roundEndRender: number }
> {
  const web = await createWebServer({
    logger: pino({ level: 'silent' }),
    webConfig: NO_WEB_CONFIG,
    metrics,
    lifecycle: { isReady: () => true, reload: async () => ({ ok: true }) },
    maxConnections: 64,
  });
  await web.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (web.app.server.address() as AddressInfo).port;
  const prebuilt = Buffer.concat(await metrics.body('identity'));
  const stateText = (await metrics.render()).slice(0, prebuilt.length - 4096);
  const bare: Server = createServer((req, res) => {
    res.setHeader('content-type', metrics.contentType);
    if (req.url === '/string') {
      // The old route: a new string per scrape that Node must flatten and encode.
      res.end(`${stateText}\n${'#'.repeat(4094)}\n`);
      return;
    }
    res.setHeader('content-length', prebuilt.length);
    res.end(prebuilt);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const barePort = (bare.address() as AddressInfo).port;
  // The scrapes come from another process, as Prometheus's do (bench/lib/scrape-child.mjs
  // gives the figures: an in-process client added its own receive work to every row).
  const scraper = await RemoteScraper.start();
  const scrape = (to: number, path: string, gzip: boolean, method: 'GET' | 'HEAD' = 'GET') =>
    scraper.scrape({ port: to, path, gzip, method });
  try {
    await scrape(port, '/metrics', false); // warm-up
    await scrape(port, '/metrics', true);
    await scrape(barePort, '/', false);
    const roundEnds: number[] = [];
    const roundRenders: number[] = [];
    let rounds = 0;
    const out = {
      floor: (await time(() => scrape(barePort, '/', false), repeat)).ms,
      stringBody: (await time(() => scrape(barePort, '/string', false), repeat)).ms,
      unchanged: (await time(() => scrape(port, '/metrics', false), repeat)).ms,
      changed: (
        await time(() => {
          state.generation++;
          return scrape(port, '/metrics', false);
        }, repeat)
      ).ms,
      round: await timeAfter(
        () => roundEnds.push(wholeRound(state, products, ++rounds)),
        () => scrape(port, '/metrics', false),
        repeat,
      ),
      // As serve runs it: the body built by the poller's round-end hook (prepare), not timed.
      roundPrepared: await timeAfter(
        () => {
          roundEnds.push(wholeRound(state, products, ++rounds));
          const t0 = performance.now();
          metrics.prepare();
          roundRenders.push(performance.now() - t0);
        },
        () => scrape(port, '/metrics', false),
        repeat,
      ),
      // A scrape sent the moment the round-end render starts: it waits for all of it.
      roundDuringRender: await timeAfter(
        () => roundEnds.push(wholeRound(state, products, ++rounds)),
        () => {
          const scraped = scrape(port, '/metrics', false);
          metrics.prepare();
          return scraped;
        },
        repeat,
      ),
      oneResult: await timeAfter(
        () => oneResult(state, ++rounds),
        () => scrape(port, '/metrics', false),
        repeat,
      ),
      oneKmsResult: await timeAfter(
        () => oneKmsResult(state, ++rounds),
        () => scrape(port, '/metrics', false),
        repeat,
      ),
      // The same two as Prometheus sends them (Accept-Encoding: gzip): the body compressed too.
      roundPreparedGzip: await timeAfter(
        () => {
          roundEnds.push(wholeRound(state, products, ++rounds));
          metrics.prepare();
        },
        () => scrape(port, '/metrics', true),
        repeat,
      ),
      oneResultGzip: await timeAfter(
        () => oneResult(state, ++rounds),
        () => scrape(port, '/metrics', true),
        repeat,
      ),
      gzip: (await time(() => scrape(port, '/metrics', true), repeat)).ms,
      head: (await time(() => scrape(port, '/metrics', false, 'HEAD'), repeat)).ms,
      roundEndEvaluation: 0,
      roundEndRender: 0,
    };
    out.roundEndEvaluation = median(roundEnds);
    out.roundEndRender = median(roundRenders);
    return out;
  } finally {
    scraper.close();
    await web.close(1000);
    await new Promise((resolve) => bare.close(resolve));
  }
}

export async function run(options: { hosts: number[] }): Promise<BenchReport> {
  const figures: Figure[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  const command = commandFor(BENCH);
  for (const n of options.hosts) {
    const state = syntheticState(n);
    const exporter = new ExporterStatus();
    exporter.configReloaded(true);
    const process = processMetricsRegistry();
    const metrics = cachedMetrics({ state, products: () => SYNTHETIC_PRODUCTS, exporter, process });
    const full = await metrics.render();
    const series = full.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    const plain = plainGauges(full);

    const repeat = n >= 10_000 ? 3 : 10;
    await plain.metrics(); // warm-up
    const base = await time(() => plain.metrics(), repeat);
    // The text rendered again, the evaluation it reads kept (as the old direct renderer
    // was measured): the figure comparable across versions.
    // Since the byte render, the text is bytes (what is sent), not a string: the state's
    // buffers with no label bytes or chunks kept from earlier renders, and the tail.
    const renderAgain = async () => [
      ...writeStateMetrics(state, SYNTHETIC_PRODUCTS),
      Buffer.from(`\n${await process.metrics()}\n${renderExporterMetrics(exporter)}\n`),
    ];
    await renderAgain(); // warm-up, as for every row here: the JIT, not the render, otherwise
    const rendered = await time(renderAgain, repeat);
    // The generation moved (as every result moves it) with no result new: the evaluation's
    // parts are all kept (evaluate-memo.ts) and the text is written again. Timed as the
    // bytes GET /metrics sends (its chunks back to the pool once sent, as the route does),
    // not as render()'s string, which only tests read: joining and decoding 35 MiB into
    // one string cost ~100 ms that no scrape pays.
    const bodyAfterMove = () => {
      state.generation++;
      return metrics.body('identity', Promise.resolve());
    };
    await bodyAfterMove(); // warm-up
    const changed = await time(bodyAfterMove, repeat);
    // The body GET /metrics sends for an unchanged state: the prebuilt buffer and a fresh tail.
    const cached = await time(() => metrics.body('identity'), repeat);
    // The evaluation alone: from scratch (what the round's end costs once every result is
    // new), and after one result mid-round with the kept parts (evaluate-memo.ts).
    const evaluationFull = await time(() => {
      evaluate(buildStatusView(state, SYNTHETIC_PRODUCTS, { historyLimit: 0 }));
      return '';
    }, repeat);
    let step = 0;
    const evaluationOne = await timeAfter(
      () => oneResult(state, ++step),
      async () => evaluationOf(state, SYNTHETIC_PRODUCTS),
      repeat,
    );
    // A round where every host's count moved too: no part can be kept.
    let countRound = 0;
    const roundEndCounts = median(
      Array.from({ length: repeat }, () =>
        wholeRound(state, SYNTHETIC_PRODUCTS, ++countRound, true),
      ),
    );
    const fromScratch = {
      name: 'evaluate() from scratch, same state',
      value: evaluationFull.ms,
      unit: 'ms',
    };
    const http = await overHttp(metrics, state, SYNTHETIC_PRODUCTS, n >= 10_000 ? 7 : 15);
    const floor = {
      name: 'the same bytes from one prebuilt Buffer, bare node:http',
      value: http.floor,
      unit: 'ms',
    };
    const big = n >= 10_000;
    /** The goal of the scrapes after a change, judged at 10,000 hosts. */
    const afterChange = (ms: number) =>
      big ? { goal: { text: '≤ 100 ms after a change', met: ms <= 100 } } : {};
    figures.push(
      figure({
        id: `${BENCH}.${n}.http.unchanged`,
        bench: BENCH,
        name: `GET /metrics over HTTP, unchanged state, ${n.toLocaleString('en-US')} hosts`,
        value: http.unchanged,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        ...(big
          ? {
              goal: {
                text: '≤ 2× the prebuilt-Buffer floor',
                met: http.unchanged <= 2 * http.floor,
              },
            }
          : {}),
        command,
      }),
      figure({
        id: `${BENCH}.${n}.http.string`,
        bench: BENCH,
        name: `the previous route's body (a new string per scrape) over bare HTTP, ${n.toLocaleString('en-US')} hosts`,
        value: http.stringBody,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        command,
      }),
      figure({
        id: `${BENCH}.${n}.http.changed`,
        bench: BENCH,
        name: `GET /metrics over HTTP after the generation moved with no result new (was: "after a state change"), ${n.toLocaleString('en-US')} hosts`,
        value: http.changed,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        command,
      }),
      figure({
        id: `${BENCH}.${n}.http.round`,
        bench: BENCH,
        name: `GET /metrics over HTTP after a whole round, the body rendered by the scrape (every result new; the round-end evaluation made by the poller, as serve does, not counted; serve now renders at the round's end: see round-prepared), ${n.toLocaleString('en-US')} hosts`,
        value: http.round,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        command,
      }),
      figure({
        id: `${BENCH}.${n}.http.round-prepared`,
        bench: BENCH,
        name: `GET /metrics over HTTP after a whole round, as serve runs it: the body built by the poller's round-end hook (its evaluation and render not counted: see round-end.render), ${n.toLocaleString('en-US')} hosts`,
        value: http.roundPrepared,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        ...afterChange(http.roundPrepared),
        command,
      }),
      figure({
        id: `${BENCH}.${n}.http.round-during-render`,
        bench: BENCH,
        name: `GET /metrics over HTTP sent the moment the round-end render starts (it waits for the render), ${n.toLocaleString('en-US')} hosts`,
        value: http.roundDuringRender,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        command,
      }),
      figure({
        id: `${BENCH}.${n}.round-end.render`,
        bench: BENCH,
        name: `the round-end render (serve's onRoundEnd), every result new: CPU per round added off the scrape when scraped; none when nobody scraped since the last round, ${n.toLocaleString('en-US')} hosts`,
        value: http.roundEndRender,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        command,
      }),
      figure({
        id: `${BENCH}.${n}.http.one-result`,
        bench: BENCH,
        name: `GET /metrics over HTTP after one probe result mid-round (evaluation and render counted), ${n.toLocaleString('en-US')} hosts`,
        value: http.oneResult,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        ...afterChange(http.oneResult),
        command,
      }),
      figure({
        id: `${BENCH}.${n}.http.one-kms-result`,
        bench: BENCH,
        name: `GET /metrics over HTTP after one KMS result mid-round (that result's series written again in the result families, evaluation and render counted), ${n.toLocaleString('en-US')} hosts`,
        value: http.oneKmsResult,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        command,
      }),
      figure({
        id: `${BENCH}.${n}.evaluation.round-end`,
        bench: BENCH,
        name: `the poller's evaluation at a round's end, every result new with only its timings moved (off the scrape), ${n.toLocaleString('en-US')} hosts`,
        value: http.roundEndEvaluation,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        command,
      }),
      figure({
        id: `${BENCH}.${n}.evaluation.round-end-counts`,
        bench: BENCH,
        name: `the poller's evaluation at a round's end where every host's count moved too (no part kept), ${n.toLocaleString('en-US')} hosts`,
        value: roundEndCounts,
        unit: 'ms',
        better: 'lower',
        baseline: fromScratch,
        command,
      }),
      figure({
        id: `${BENCH}.${n}.evaluation.full`,
        bench: BENCH,
        name: `evaluate() from scratch, status view included, ${n.toLocaleString('en-US')} hosts`,
        value: evaluationFull.ms,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        command,
      }),
      figure({
        id: `${BENCH}.${n}.evaluation.one-result`,
        bench: BENCH,
        name: `the evaluation after one probe result (parts of unchanged hosts and domains kept), ${n.toLocaleString('en-US')} hosts`,
        value: evaluationOne,
        unit: 'ms',
        better: 'lower',
        baseline: fromScratch,
        command,
      }),
      figure({
        id: `${BENCH}.${n}.http.round-prepared-gzip`,
        bench: BENCH,
        name: `GET /metrics over HTTP with gzip (as Prometheus asks) after a whole round, as serve runs it, ${n.toLocaleString('en-US')} hosts`,
        value: http.roundPreparedGzip,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        ...afterChange(http.roundPreparedGzip),
        command,
      }),
      figure({
        id: `${BENCH}.${n}.http.one-result-gzip`,
        bench: BENCH,
        name: `GET /metrics over HTTP with gzip (as Prometheus asks) after one probe result mid-round, ${n.toLocaleString('en-US')} hosts`,
        value: http.oneResultGzip,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        ...afterChange(http.oneResultGzip),
        command,
      }),
      figure({
        id: `${BENCH}.${n}.http.gzip`,
        bench: BENCH,
        name: `GET /metrics over HTTP with gzip, unchanged state (compressed once per state), ${n.toLocaleString('en-US')} hosts`,
        value: http.gzip,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        command,
      }),
      figure({
        id: `${BENCH}.${n}.http.head`,
        bench: BENCH,
        name: `HEAD /metrics, ${n.toLocaleString('en-US')} hosts (no body built)`,
        value: http.head,
        unit: 'ms',
        better: 'lower',
        baseline: floor,
        command,
      }),
    );
    const h = n.toLocaleString('en-US');
    const baseline = {
      name: `prom-client, same series as plain gauges (${series.toLocaleString('en-US')} series)`,
      value: base.ms,
      unit: 'ms',
    };
    const goal = (ms: number) =>
      n >= 10_000 ? { goal: { text: '/metrics at 10,000 hosts under 100 ms', met: ms < 100 } } : {};
    figures.push(
      figure({
        id: `${BENCH}.${n}.bytes`,
        bench: BENCH,
        name: `/metrics size, ${h} hosts`,
        value: changed.bytes / 1024,
        unit: 'KiB',
        better: 'lower',
        baseline: { name: 'plain gauges, same series', value: base.bytes / 1024, unit: 'KiB' },
        command,
      }),
      figure({
        id: `${BENCH}.${n}.direct`,
        bench: BENCH,
        name: `/metrics text rendered again, ${h} hosts × 3 products (evaluation kept; nothing kept from earlier renders)`,
        value: rendered.ms,
        unit: 'ms',
        better: 'lower',
        baseline,
        ...goal(rendered.ms),
        command,
      }),
      figure({
        id: `${BENCH}.${n}.changed`,
        bench: BENCH,
        name: `/metrics after the generation moved with no result new, ${h} hosts (render and the kept evaluation: the bytes GET /metrics sends)`,
        value: changed.ms,
        unit: 'ms',
        better: 'lower',
        baseline,
        ...goal(changed.ms),
        command,
      }),
      figure({
        id: `${BENCH}.${n}.cached`,
        bench: BENCH,
        name: `/metrics body of an unchanged state, ${h} hosts (the prebuilt buffer and the fresh tail, what GET /metrics sends)`,
        value: cached.ms,
        unit: 'ms',
        better: 'lower',
        baseline,
        ...goal(cached.ms),
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      hosts: { type: 'string', default: '1000,10000' },
      report: { type: 'string' },
    },
  });
  const report = await run({ hosts: values.hosts.split(',').map(Number) });
  finish(report, values.report);
}
