/**
 * KMS probe latency and throughput against the lab KMS host on loopback, next to the floor:
 * a bare TCP connect + close to the same port, measured in the same run. One probe is what
 * the poller does per host and product: connect, NDR32 bind, one v6 request, full response
 * verification (decrypt, hash, HMAC, echoes), close.
 *
 *   npx tsx bench/kms-probe.ts [--seconds 2] [--rounds 3]
 *
 * The lab host runs in a child process, so the client's event loop measures only the client.
 * Rounds interleave the floor and the probe so machine load hits both alike. Only 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { probeKms, resolveIdentity } from '../src/kms/client/index.js';
import { findLabProduct, startLabKmsHost } from '../src/lab/index.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    'lab-child': { type: 'boolean', default: false },
  },
});

if (values['lab-child']) {
  // Child mode: serve the lab host until the parent closes stdin.
  const host = await startLabKmsHost({ maxConnections: 1024, counts: { windows: 30 } });
  process.stdout.write(`${host.port}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void host.close().then(() => process.exit(0)));
} else {
  await main();
}

async function startLabChild(): Promise<{ port: number; stop: () => Promise<void> }> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, self, '--lab-child'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) resolve(Number(text.trim()));
    });
    child.once('exit', (code) => reject(new Error(`lab child exited with ${code}`)));
  });
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

/** The floor: TCP connect, then close, waiting for the socket to be fully closed. */
function tcpConnectClose(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    socket.once('connect', () => socket.destroy());
    socket.once('error', reject);
    socket.once('close', () => resolve());
  });
}

interface Sample {
  latenciesMs: number[];
  count: number;
  elapsedMs: number;
}

/** Runs `work` with `concurrency` in flight for `ms`; every latency and the total count. */
async function measure(
  work: () => Promise<void>,
  concurrency: number,
  ms: number,
): Promise<Sample> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        await work();
        latenciesMs.push(performance.now() - t);
      }
    }),
  );
  return { latenciesMs, count: latenciesMs.length, elapsedMs: performance.now() - started };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Row {
  name: string;
  concurrency: number;
  p50: number;
  p99: number;
  perSecond: number;
}

function summarize(name: string, concurrency: number, samples: Sample[]): Row {
  const all = samples.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  const count = samples.reduce((n, s) => n + s.count, 0);
  const seconds = samples.reduce((n, s) => n + s.elapsedMs, 0) / 1000;
  return {
    name,
    concurrency,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    perSecond: count / seconds,
  };
}

async function main(): Promise<void> {
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const lab = await startLabChild();
  const product = findLabProduct('lab-windows');
  if (!product) throw new Error('lab-windows missing');
  const identity = resolveIdentity({ hostname: 'kms-monitor-bench' });
  const timeouts = { connectMs: 5000, bindMs: 5000, requestMs: 5000, overallMs: 10_000 };
  let failures = 0;
  /** Phase durations of the probes while a concurrency level is measured. */
  let phases: { connect: number[]; bind: number[]; request: number[] } | null = null;
  const probe = async (): Promise<void> => {
    const [r] = await probeKms({ host: '127.0.0.1', port: lab.port }, [product], {
      identity,
      timeouts,
    });
    if (!r?.success) failures++;
    if (phases && r) {
      phases.connect.push((r.phases.connect ?? 0) * 1000);
      phases.bind.push((r.phases.bind ?? 0) * 1000);
      phases.request.push((r.phases.request ?? 0) * 1000);
    }
  };
  const floor = (): Promise<void> => tcpConnectClose(lab.port);

  // Warm up both paths (JIT, lab host) before measuring.
  await measure(probe, 8, 500);
  await measure(floor, 8, 300);

  const rows: Row[] = [];
  const phaseLines: string[] = [];
  for (const concurrency of [1, 64]) {
    phases = { connect: [], bind: [], request: [] };
    const floorSamples: Sample[] = [];
    const probeSamples: Sample[] = [];
    for (let round = 0; round < rounds; round++) {
      floorSamples.push(await measure(floor, concurrency, (seconds * 1000) / 2));
      probeSamples.push(await measure(probe, concurrency, seconds * 1000));
    }
    rows.push(summarize('TCP connect+close (floor)', concurrency, floorSamples));
    rows.push(summarize('KMS probe (v6, 1 product)', concurrency, probeSamples));
    const p50 = (list: number[]): string =>
      percentile(
        [...list].sort((a, b) => a - b),
        50,
      ).toFixed(3);
    phaseLines.push(
      `concurrency ${concurrency}: probe phases p50 connect ${p50(phases.connect)} ms, ` +
        `bind ${p50(phases.bind)} ms, request ${p50(phases.request)} ms`,
    );
    phases = null;
  }
  await lab.stop();

  const fmt = (n: number, digits = 3): string => n.toFixed(digits);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs, load ${load}; lab host in a child ` +
      `process on 127.0.0.1; ${rounds} rounds of ${seconds} s (floor ${seconds / 2} s)`,
  );
  console.log('');
  console.log('| what | concurrency | p50 ms | p99 ms | per second |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.concurrency} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.perSecond, 0)} |`,
    );
  }
  console.log('');
  for (const concurrency of [1, 64]) {
    const [f, p] = rows.filter((r) => r.concurrency === concurrency);
    if (!f || !p) continue;
    console.log(
      `concurrency ${concurrency}: probe/floor p50 ×${fmt(p.p50 / f.p50, 1)}, p99 ×${fmt(p.p99 / f.p99, 1)}, ` +
        `throughput ${fmt((p.perSecond / f.perSecond) * 100, 1)}% of the floor`,
    );
  }
  console.log('');
  for (const text of phaseLines) console.log(text);
  if (failures > 0) {
    console.log(`\n${failures} probe(s) failed`);
    process.exitCode = 1;
  }
}
