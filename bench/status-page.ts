// Server-side rendering time of the status page for a large estate: a synthetic
// StatusView with 1,000 hosts × 3 products (and 10,000 for information), 10 hosts per
// domain, two resolvers per domain, a mix of failures (hosts down, a refused product,
// counts below threshold, a disagreeing resolver, failed lookups) and a full history.
// Prints the median of several runs of the render alone and of a whole GET / through
// fastify (inject: routing, headers, the body). Run: npx tsx bench/status-page.ts
// Optional: BENCH_RUNS=<runs per size> (default 15).
import Fastify from 'fastify';
import { renderHostPage, renderStatusPage } from '../src/web/status-page/render-page.js';
import { statusPageRoutes } from '../src/web/status-page/routes.js';
import { PRODUCTS, syntheticView } from './status-page-view.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 15);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timeIt(runs: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up: JIT, caches
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

async function bench(hostCount: number, runs: number): Promise<void> {
  const view = syntheticView(hostCount);
  let size = 0;
  const render = await timeIt(runs, () => {
    size = renderStatusPage(view, { refreshSeconds: 15 }).length;
  });
  const one = { ...view, hosts: [view.hosts[0]!] };
  const hostPage = await timeIt(runs, () =>
    renderHostPage(one, one.hosts[0]!.host, { refreshSeconds: 15 }),
  );
  const app = Fastify();
  await app.register(statusPageRoutes(() => view));
  await app.ready();
  const inject = await timeIt(runs, async () => {
    const res = await app.inject('/');
    if (res.statusCode !== 200) throw new Error(`GET / answered ${res.statusCode}`);
  });
  let zipped = 0;
  const injectGzip = await timeIt(runs, async () => {
    const res = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
    if (res.headers['content-encoding'] !== 'gzip') throw new Error('GET / was not gzipped');
    zipped = res.rawPayload.length;
  });
  await app.close();
  const fmt = (t: number[]) =>
    `median ${median(t).toFixed(1)} ms (min ${Math.min(...t).toFixed(1)}, max ${Math.max(...t).toFixed(1)})`;
  console.log(
    `${String(hostCount).padStart(6)} hosts × ${PRODUCTS.length} products, ${view.domains.length} domains, ${view.history.length} history entries:\n` +
      `  render /          ${fmt(render)}  → ${(size / 1024 / 1024).toFixed(2)} MiB of HTML\n` +
      `  GET / (inject)    ${fmt(inject)}\n` +
      `  GET / gzip        ${fmt(injectGzip)}  → ${(zipped / 1024).toFixed(0)} KiB on the wire\n` +
      `  render /host/:h   ${fmt(hostPage)}`,
  );
}

console.log(`status page render, ${RUNS} runs per size (Node ${process.version})`);
await bench(1_000, RUNS);
await bench(10_000, Math.max(3, Math.round(RUNS / 3)));
