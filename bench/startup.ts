/**
 * (7) What a one-shot command and an idle `serve` cost, as users run them: the built CLI
 * (dist/cli.js, what the package's bin runs) in a fresh process each time, next to baselines
 * measured in the same run:
 *  - `kms-monitor --version` against `node -e 0` (Node's own start-up: the floor);
 *  - `kms-monitor probe 127.0.0.1:PORT --json`, one exchange against a lab KMS host: wall
 *    and CPU (user + system of the child), against `node -e 0`;
 *  - `kms-monitor check --config.file DEMO`, the demo lab's configuration while
 *    `kms-monitor demo` runs (11 domains, 19 hosts × 5 products, the trust kind's control
 *    connection per host, and a forest read over LDAPS), against `node -e 0`;
 *  - `kms-monitor serve` with the demo configuration, started as the systemd unit starts
 *    it (deploy/systemd/kms-monitor.service: its environment and Node flags): time to
 *    /-/ready and RSS after IDLE seconds (rounds every 5 s keep running), against a bare
 *    idle Node process and against fastify with one route (the web stack's own floor).
 *    serve is started IDLE_RUNS times and the median reported: V8's memory reducer runs
 *    some 8–14 s after start, so one sample at 12 s lands on either side of a ~10 MiB
 *    step (77 or 88 MiB in two full runs of the same build).
 * Runs interleave each command with its baseline so that load hits them alike. The medians
 * are reported; CPU is the mean (the kernel counts children's CPU in 10 ms ticks).
 *
 *   npm run bench -- startup      node --import tsx bench/startup.ts [--runs 15] [--idle 12] [--idle-runs 3]
 *
 * BENCH_CLI=/path/to/cli.js measures another build (e.g. an older checkout's dist/). Only
 * 127.0.0.1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/lab/free-port.js';
import { commandFor, figure, median, type BenchReport, type Figure } from './lib/figures.js';
import { startLabProcess } from './lib/lab-process.js';
import { benchMain } from './lib/main.js';
import { deployedRuntime } from './lib/deployed-runtime.js';

const BENCH = 'startup';
const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = process.env['BENCH_CLI'] ?? join(REPO, 'dist', 'cli.js');
const MiB = 1024 * 1024;

/** CPU seconds (user + system) of this process's waited-for children, from /proc (Linux). */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[13]) + Number(rest[14])) / 100; // cutime + cstime, USER_HZ 100
}

interface Run {
  wallMs: number;
  cpuMs: number;
  status: number | null;
  stdout: string;
}

function timed(args: string[]): Run {
  const cpu0 = childrenCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * MiB });
  const wallMs = performance.now() - t0;
  return {
    wallMs,
    cpuMs: (childrenCpuSeconds() - cpu0) * 1000,
    status: r.status,
    stdout: r.stdout,
  };
}

interface Stats {
  wallMs: number;
  cpuMs: number;
  runs: Run[];
}

function stats(runs: Run[]): Stats {
  return {
    wallMs: median(runs.map((r) => r.wallMs)),
    cpuMs: runs.reduce((n, r) => n + r.cpuMs, 0) / runs.length,
    runs,
  };
}

/**
 * A process's resident memory from /proc: all of it (VmRSS), and the anonymous part alone
 * (RssAnon: heap, stacks, malloc). The rest is file-backed, mostly the pages of the node
 * binary the process has touched, shared with every other Node process and the page cache.
 */
function residentBytes(pid: number): { rss: number; anon: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kB('VmRSS'), anon: kB('RssAnon') };
}

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `kms-monitor demo` and waits for the configuration file it writes. */
async function startDemo(dir: string): Promise<{ config: string; stop: () => Promise<void> }> {
  const config = join(dir, 'demo.yml');
  const port = await freePort('127.0.0.1');
  const child = spawn(
    process.execPath,
    [
      CLI,
      'demo',
      '--web.listen-address',
      `127.0.0.1:${port}`,
      '--write-config',
      config,
      '--log.level',
      'error',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  for (let i = 0; i < 300 && !existsSync(config); i++) await sleep(100);
  if (!existsSync(config)) throw new Error('kms-monitor demo wrote no configuration in 30 s');
  await sleep(300); // the file is written once the lab listens; let the write finish
  return {
    config,
    stop: async () => {
      child.kill('SIGTERM');
      await closed;
    },
  };
}

interface ServeIdle {
  readyMs: number;
  rss: number;
  anon: number;
  /** RssAnon once a second over the idle window: shows whether the memory reducer ran. */
  anonTrace: number[];
}

/** `serve` with the demo configuration: ms to /-/ready, then RSS after `idleS` seconds. */
async function serveIdle(config: string, idleS: number): Promise<ServeIdle> {
  const port = await freePort('127.0.0.1');
  const t0 = performance.now();
  // Started as the shipped systemd unit starts it (its environment and Node flags), as
  // the estate memory bench does: the allocator settings there are part of serve's memory.
  const deployed = deployedRuntime();
  const child = spawn(
    process.execPath,
    [
      ...deployed.nodeFlags,
      CLI,
      'serve',
      '--config.file',
      config,
      '--web.listen-address',
      `127.0.0.1:${port}`,
      '--log.level',
      'error',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...deployed.env } },
  );
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    let readyMs = NaN;
    for (let i = 0; i < 600; i++) {
      if ((await get(port, '/-/ready')) === 200) {
        readyMs = performance.now() - t0;
        break;
      }
      await sleep(10);
    }
    const anonTrace: number[] = [];
    for (let s = 0; s < idleS; s++) {
      await sleep(1000);
      anonTrace.push(residentBytes(child.pid ?? 0).anon);
    }
    return { readyMs, ...residentBytes(child.pid ?? 0), anonTrace };
  } finally {
    child.kill('SIGTERM');
    await closed;
  }
}

/** RSS of `node ARGS` (run in the repository) after `idleS` seconds, then stopped. */
async function idleRss(args: string[], idleS: number): Promise<{ rss: number; anon: number }> {
  // cwd: the repository, so that an import in ARGS finds the project's own packages.
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: 'ignore' });
  await sleep(idleS * 1000);
  const resident = residentBytes(child.pid ?? 0);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('close', resolve));
  return resident;
}

/** A bare Node process doing nothing. */
const BARE_NODE = ['-e', 'setInterval(() => {}, 1000)'];

/**
 * The smallest server the product's web stack makes: fastify (the framework serve runs
 * on) with one route, listening on loopback. The part of the idle figure that no code of
 * kms-monitor adds: V8's compilers and Node's HTTP code paged in from the node binary,
 * and fastify's modules on the heap.
 */
const FASTIFY_ONE_ROUTE = [
  '--input-type=module',
  '-e',
  "import Fastify from 'fastify'; const app = Fastify(); app.get('/', async () => 'ok'); " +
    "await app.listen({ host: '127.0.0.1', port: 0 });",
];

/** The run whose idle RSS is the median (an odd count makes it one real run). */
function medianServe(runs: ServeIdle[]): ServeIdle {
  const sorted = [...runs].sort((a, b) => a.rss - b.rss);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!mid) throw new Error('no serve run');
  return mid;
}

/** Each serve run's idle RSS, and whether its anonymous memory fell within the window. */
function idleRunsNote(runs: ServeIdle[], idle: number): string {
  const mib = (b: number) => (b / MiB).toFixed(1);
  const each = runs.map((r) => {
    const peak = Math.max(...r.anonTrace);
    const fell = peak - r.anon >= 5 * MiB ? `, anonymous ${mib(peak)} → ${mib(r.anon)}` : '';
    return `${mib(r.rss)}${fell}`;
  });
  return `serve idle RSS after ${idle} s, ${runs.length} runs (MiB): ${each.join('; ')}; the median is reported`;
}

export async function run(options: {
  runs: number;
  idle: number;
  idleRuns: number;
}): Promise<BenchReport> {
  const { runs, idle } = options;
  const idleRuns = Math.max(1, options.idleRuns);
  const figures: Figure[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  const command = commandFor(BENCH);
  if (!process.env['BENCH_CLI']) {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO, stdio: 'inherit' });
    if (build.status !== 0) failures.push('npm run build failed: measuring the dist/ there is');
  }
  const dir = mkdtempSync(join(os.tmpdir(), 'kms-bench-startup-'));
  const lab = await startLabProcess({ hosts: [{ address: '127.0.0.1' }] });
  const demo = await startDemo(dir);
  try {
    const port = lab.hosts[0]?.port ?? 0;
    const probeArgs = [CLI, 'probe', `127.0.0.1:${port}`, '--product', 'lab-windows', '--json'];
    const checkArgs = [CLI, 'check', '--config.file', demo.config];
    // Warm-up: the page cache, the lab's JIT.
    for (const args of [['-e', '0'], [CLI, '--version'], probeArgs, checkArgs]) timed(args);
    const node: Run[] = [];
    const version: Run[] = [];
    const probe: Run[] = [];
    const check: Run[] = [];
    for (let i = 0; i < runs; i++) {
      node.push(timed(['-e', '0']));
      version.push(timed([CLI, '--version']));
      probe.push(timed(probeArgs));
      check.push(timed(checkArgs));
    }
    const n = stats(node);
    const v = stats(version);
    const p = stats(probe);
    const c = stats(check);
    for (const [what, s, ok] of [
      ['--version', v, (r: Run) => r.status === 0 && r.stdout.startsWith('kms-monitor ')],
      ['probe', p, (r: Run) => r.status === 0 && r.stdout.includes('"success": true')],
      // The demo's estate has warnings and criticals on purpose: exit 2 with a verdict line.
      ['check', c, (r: Run) => r.status !== null && r.status <= 2 && r.stdout.startsWith('KMS ')],
    ] as const) {
      const bad = s.runs.filter((r) => !ok(r)).length;
      if (bad > 0) failures.push(`${what}: ${bad} of ${s.runs.length} runs failed`);
    }
    const nodeBase = { name: 'node -e 0', value: n.wallMs, unit: 'ms' };
    const nodeCpu = { name: 'CPU of node -e 0', value: n.cpuMs, unit: 'ms' };
    figures.push(
      figure({
        id: `${BENCH}.version.wall`,
        bench: BENCH,
        name: 'kms-monitor --version, wall (median)',
        value: v.wallMs,
        unit: 'ms',
        better: 'lower',
        baseline: nodeBase,
        goal: { text: '≤ 1.5× node -e 0', met: v.wallMs <= 1.5 * n.wallMs },
        command,
      }),
      figure({
        id: `${BENCH}.probe.wall`,
        bench: BENCH,
        name: 'kms-monitor probe HOST --json, one exchange against a lab host, wall (median)',
        value: p.wallMs,
        unit: 'ms',
        better: 'lower',
        baseline: nodeBase,
        goal: { text: '≤ 150 ms', met: p.wallMs <= 150 },
        command,
      }),
      figure({
        id: `${BENCH}.probe.cpu`,
        bench: BENCH,
        name: 'kms-monitor probe HOST --json, CPU (mean)',
        value: p.cpuMs,
        unit: 'ms',
        better: 'lower',
        baseline: nodeCpu,
        goal: { text: '≤ 100 ms', met: p.cpuMs <= 100 },
        command,
      }),
      figure({
        id: `${BENCH}.check.wall`,
        bench: BENCH,
        name: 'kms-monitor check on the demo configuration (11 domains, 19 hosts × 5 products, a forest read), wall (median)',
        value: c.wallMs,
        unit: 'ms',
        better: 'lower',
        baseline: nodeBase,
        goal: { text: '≤ 250 ms', met: c.wallMs <= 250 },
        command,
      }),
      figure({
        id: `${BENCH}.check.cpu`,
        bench: BENCH,
        name: 'kms-monitor check on the demo configuration, CPU (mean)',
        value: c.cpuMs,
        unit: 'ms',
        better: 'lower',
        baseline: nodeCpu,
        command,
      }),
    );
    const bare = await idleRss(BARE_NODE, idle);
    const fastify = await idleRss(FASTIFY_ONE_ROUTE, idle);
    const serves: ServeIdle[] = [];
    for (let i = 0; i < idleRuns; i++) serves.push(await serveIdle(demo.config, idle));
    const serve = medianServe(serves);
    const readyMs = median(serves.map((r) => r.readyMs));
    figures.push(
      figure({
        id: `${BENCH}.serve.ready`,
        bench: BENCH,
        name: 'kms-monitor serve (demo configuration): start to /-/ready',
        value: readyMs,
        unit: 'ms',
        better: 'lower',
        baseline: nodeBase,
        command,
      }),
      figure({
        id: `${BENCH}.serve.rss`,
        bench: BENCH,
        name: `kms-monitor serve (demo configuration): RSS after ${idle} s idle`,
        value: serve.rss / MiB,
        unit: 'MiB',
        better: 'lower',
        baseline: { name: 'bare idle node process', value: bare.rss / MiB, unit: 'MiB' },
        goal: { text: '≤ 60 MiB', met: serve.rss <= 60 * MiB },
        command,
      }),
      figure({
        id: `${BENCH}.serve.rss-fastify`,
        bench: BENCH,
        name: `kms-monitor serve (demo configuration): RSS after ${idle} s idle, against a one-route fastify server`,
        value: serve.rss / MiB,
        unit: 'MiB',
        better: 'lower',
        baseline: {
          name: 'fastify with one route, listening, idle (the web stack serve runs on)',
          value: fastify.rss / MiB,
          unit: 'MiB',
        },
        command,
      }),
      figure({
        id: `${BENCH}.serve.rss-anon`,
        bench: BENCH,
        name: `kms-monitor serve (demo configuration): anonymous RSS (RssAnon, not the shared node binary) after ${idle} s idle`,
        value: serve.anon / MiB,
        unit: 'MiB',
        better: 'lower',
        baseline: { name: 'bare idle node process', value: bare.anon / MiB, unit: 'MiB' },
        command,
      }),
    );
    notes.push(idleRunsNote(serves, idle));
    notes.push(
      `${CLI}; ${runs} interleaved runs each; load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} at the end`,
    );
  } finally {
    await demo.stop();
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { bench: BENCH, figures, notes, failures };
}

await benchMain(import.meta.url, { runs: 15, idle: 12, idleRuns: 3 }, run);
