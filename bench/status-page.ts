// Server-side rendering time of the status page for a large estate: a synthetic
// StatusView with 1,000 hosts × 3 products (and 10,000 for information), 10 hosts per
// domain, two resolvers per domain, a mix of failures (hosts down, a refused product,
// counts below threshold, a disagreeing resolver, failed lookups) and a full history.
// Prints the median of several runs of the render alone (and its CPU time) and of a whole
// GET / over loopback HTTP, plain and gzipped, to the last byte. Run: npx tsx bench/status-page.ts
// Optional: BENCH_RUNS=<runs per size> (default 15).
import { cpus, loadavg } from 'node:os';
import Fastify from 'fastify';
import { renderHostPage, renderStatusPage } from '../src/web/status-page/render-page.js';
import { statusPageRoutes } from '../src/web/status-page/routes.js';
import { PRODUCTS, syntheticView } from './status-page-view.js';
import { get } from './lib/http-get.js';

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
  let cpu = 0;
  const render = await timeIt(runs, () => {
    const before = process.cpuUsage();
    size = renderStatusPage(view, { refreshSeconds: 15 }).length;
    const used = process.cpuUsage(before);
    cpu += (used.user + used.system) / 1000;
  });
  const one = { ...view, hosts: [view.hosts[0]!] };
  const hostPage = await timeIt(runs, () =>
    renderHostPage(one, one.hosts[0]!.host, { refreshSeconds: 15 }),
  );
  const app = Fastify();
  // The server's own account: from the request's arrival to the response's last byte
  // handed to the socket (the client below shares this process, so its wall time is more).
  const served: number[] = [];
  app.addHook('onResponse', async (_request, reply) => {
    served.push(reply.elapsedTime);
  });
  await app.register(statusPageRoutes(() => view));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const plain = await timeIt(runs, () => get(`${url}/`));
  const servedPlain = served.splice(0).slice(1);
  let zipped = 0;
  const gzipped = await timeIt(runs, async () => {
    zipped = await get(`${url}/`, { 'accept-encoding': 'gzip' });
  });
  const servedGzip = served.splice(0).slice(1);
  await app.close();
  const fmt = (t: number[]) =>
    `median ${median(t).toFixed(1)} ms (min ${Math.min(...t).toFixed(1)}, max ${Math.max(...t).toFixed(1)})`;
  console.log(
    `${String(hostCount).padStart(6)} hosts × ${PRODUCTS.length} products, ${view.domains.length} domains, ${view.history.length} history entries:\n` +
      `  render /             ${fmt(render)}, CPU ${(cpu / (runs + 1)).toFixed(1)} ms  → ${(size / 1024 / 1024).toFixed(2)} MiB of HTML\n` +
      `  GET / (HTTP)         server ${fmt(servedPlain)}; client to the last byte ${fmt(plain)}\n` +
      `  GET / (HTTP, gzip)   server ${fmt(servedGzip)}; client ${fmt(gzipped)}  → ${(zipped / 1024).toFixed(0)} KiB on the wire\n` +
      `  render /host/:host   ${fmt(hostPage)}`,
  );
}

console.log(
  `status page, ${RUNS} runs per size (Node ${process.version}, ${cpus().length} CPUs, ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
);
await bench(1_000, RUNS);
await bench(10_000, Math.max(3, Math.round(RUNS / 3)));
