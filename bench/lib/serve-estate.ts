/**
 * The memory of the real monitor at estate scale: `kms-monitor serve` (the built CLI,
 * dist/cli.js, what the package's bin runs) over the first `domains` domains of a lab
 * fleet, every round a full KMS sweep (interval and kms_interval 1 s, the shortest the
 * schema allows; a round at this size takes longer, so rounds run back to back). After
 * each round the bench reads what `reads` names — /metrics as Prometheus asks for it
 * (gzip), the status page, the status API — so their caches are part of the figure.
 * After `rounds` rounds: the peak RSS (VmHWM), and the RSS and V8 heap after two full
 * collections (bench/lib/gc-on-signal.mjs, a preload that the product does not have),
 * where that RSS is (V8's spaces, smaps_rollup), the RSS once a memory-reducing collection
 * settled the heap, and serve's CPU. Serve runs with the environment and Node flags of the
 * shipped systemd unit (deployed-runtime.ts), as deployed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import { freePort } from '../../src/lab/free-port.js';
import { get } from './http-get.js';
import type { Fleet } from './lab-fleet.js';
import { deployedRuntime } from './deployed-runtime.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./gc-on-signal.mjs', import.meta.url));

/** BENCH_CLI=/path/to/cli.js measures another build; else dist/cli.js, built first. */
export function builtCli(): { cli: string; failure: string | null } {
  const given = process.env['BENCH_CLI'];
  if (given) return { cli: given, failure: null };
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO, stdio: 'inherit' });
  return {
    cli: join(REPO, 'dist', 'cli.js'),
    failure: build.status === 0 ? null : `npm run build failed (exit ${build.status})`,
  };
}

/**
 * Experiments on how serve is started, beside the deployed settings (deployed-runtime.ts):
 * BENCH_SERVE_EXEC_ARGV="--max-semi-space-size=2" adds Node flags, BENCH_SERVE_ENV=
 * "MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072" adds environment variables.
 */
function experiment(): { execArgv: string[]; env: Record<string, string> } {
  const words = (name: string) => (process.env[name] ?? '').split(' ').filter(Boolean);
  const env: Record<string, string> = {};
  for (const pair of words('BENCH_SERVE_ENV')) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`BENCH_SERVE_ENV: expected NAME=VALUE, got ${pair}`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { execArgv: words('BENCH_SERVE_EXEC_ARGV'), env };
}

export interface EstateMemory {
  domains: number;
  rounds: number;
  /** VmHWM: the most the process was ever resident, garbage of a round included. */
  peakRss: number;
  /** After the rounds and two full collections: VmRSS, and its anonymous part (RssAnon). */
  rss: number;
  anonRss: number;
  /** process.memoryUsage() after the same collections. */
  heapUsed: number;
  /** The V8 heap's committed size: what is kept for the next round's garbage too. */
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** V8's heap spaces after the collections: committed (`size`), used and resident. */
  spaces: Record<string, { size: number; used: number; physical: number }>;
  /** After a memory-reducing collection too (gc-on-signal.mjs): serve settled between rounds. */
  settled: { rss: number; heapTotal: number };
  /** CPU seconds (user + system) serve spent from its start to the end of the reads. */
  cpuSeconds: number;
  /** /proc/PID/smaps_rollup after the collections, in bytes ({} where there is none). */
  smaps: Record<string, number>;
  /** Wall seconds of each round, as the monitor logged them. */
  roundSeconds: number[];
  /** Bytes of the last gzip /metrics, status page and status API responses. */
  responses: { metricsGzip: number; page: number; api: number };
  /** serve left alone after the last reads (`idleSeconds`), nothing forced: null if not asked. */
  idle: IdleWatch | null;
}

/**
 * What serve's RSS does by itself between two rounds: whether V8's memory reducer (a
 * memory-reducing full collection V8 schedules once allocation stops) comes, when, and
 * what it brings the RSS down to. Sampled from /proc, no signal sent, nothing forced.
 */
export interface IdleWatch {
  seconds: number;
  /** VmRSS every second of the watch, in bytes. */
  rss: number[];
  /** CPU seconds serve spent during the watch (what settling by itself costs). */
  cpuSeconds: number;
  /** A round finished during the watch: the figures are not of an idle serve. */
  spoiled: boolean;
}

export interface EstateOptions {
  cli: string;
  fleet: Fleet;
  domains: number;
  rounds: number;
  /** The `products` and `identity` sections of the configuration. */
  products: unknown[];
  identity: { cmid: string; workstation: string };
  /** What to read after each round: /metrics (gzip), the status page, the status API. */
  reads: ReadonlyArray<'metrics' | 'page' | 'api'>;
  /** Ceiling for the whole run; past it the process is stopped and the run fails. */
  timeoutMs: number;
  /**
   * `interval` and `kms_interval` of the configuration, seconds. 1 (the default) runs the
   * rounds back to back; longer leaves serve idle between rounds, as deployed (30 s).
   */
  intervalSeconds?: number;
  /** `kms_interval`, seconds; `intervalSeconds` if not given (every round a full KMS sweep). */
  kmsIntervalSeconds?: number;
  /** Seconds to watch serve idle after the last reads (IdleWatch); 0 (default): none. */
  idleSeconds?: number;
}

/** One field of /proc/PID/status, in bytes. */
function procStatus(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (kB === undefined) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(kB) * 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** utime + stime of /proc/PID/stat, in seconds (USER_HZ is 100 on Linux). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Samples serve's RSS every second for `seconds`, sending it nothing. */
async function watchIdle(pid: number, seconds: number, rounds: () => number): Promise<IdleWatch> {
  const roundsBefore = rounds();
  const cpuBefore = cpuSecondsOf(pid);
  const rss: number[] = [];
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    rss.push(procStatus(pid, 'VmRSS'));
  }
  return {
    seconds,
    rss,
    cpuSeconds: cpuSecondsOf(pid) - cpuBefore,
    spoiled: rounds() !== roundsBefore,
  };
}

/** Waits for `file` to appear (the preload writes it after SIGUSR2). */
async function collected(child: ChildProcess, file: string, timeoutMs: number) {
  child.kill('SIGUSR2');
  const until = performance.now() + timeoutMs;
  while (!existsSync(file)) {
    if (performance.now() > until) throw new Error('serve wrote no memory figures after SIGUSR2');
    await sleep(50);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as NodeJS.MemoryUsage &
    Pick<EstateMemory, 'spaces' | 'smaps' | 'settled'> & { cpu: NodeJS.CpuUsage };
}

export async function serveEstate(options: EstateOptions): Promise<EstateMemory> {
  const { fleet, domains, rounds } = options;
  if (domains > fleet.domains.length) {
    throw new RangeError(`${domains} domains asked of a fleet of ${fleet.domains.length}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-estate-'));
  const configFile = join(dir, 'estate.yml');
  const memoryFile = join(dir, 'memory.json');
  const yaml = stringify({
    timeout: '5s',
    concurrency: 64,
    interval: `${options.intervalSeconds ?? 1}s`,
    kms_interval: `${options.kmsIntervalSeconds ?? options.intervalSeconds ?? 1}s`,
    resolvers: [fleet.resolver],
    domains: fleet.domains.slice(0, domains),
    products: options.products,
    identity: options.identity,
    limits: { hosts_total: 100_000 },
  });
  parseConfig(yaml, configFile); // a bad configuration fails here, with its reason
  writeFileSync(configFile, yaml);
  const port = await freePort('127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  // As the systemd unit and the image start it (allocator tuning, Node flags), plus any trial.
  const deployed = deployedRuntime();
  const tried = experiment();
  const child = spawn(
    process.execPath,
    [
      ...deployed.nodeFlags,
      ...tried.execArgv,
      '--expose-gc',
      '--import',
      PRELOAD,
      options.cli,
      'serve',
      '--config.file',
      configFile,
      '--web.listen-address',
      `127.0.0.1:${port}`,
      // Debug is the level that logs each round's end (src/monitor/poller.ts): the clock here.
      '--log.level',
      'debug',
      '--log.format',
      'json',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...deployed.env, ...tried.env, BENCH_MEMORY_FILE: memoryFile },
    },
  );
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const roundSeconds: number[] = [];
  let roundEnded: () => void = () => {};
  // The log (a line per finding raised, at this size thousands a round) is read, not shown.
  const onLine = (line: string) => {
    if (!line.includes('"round finished"')) return;
    const seconds = (JSON.parse(line) as { seconds?: number }).seconds;
    roundSeconds.push(seconds ?? NaN);
    roundEnded();
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  // One handled rejection for every wait below: a serve that dies ends the run with a reason.
  const died = exited.then(() => {
    throw new Error(`serve exited after ${roundSeconds.length} of ${rounds} rounds`);
  });
  died.catch(() => {});
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  try {
    const responses = { metricsGzip: 0, page: 0, api: 0 };
    while (roundSeconds.length < rounds) {
      const ended = new Promise<void>((resolve) => (roundEnded = resolve));
      await Promise.race([ended, died]);
      // What a scrape, a browser and an API client keep cached between two rounds.
      const reads = new Set(options.reads);
      if (reads.has('metrics')) {
        responses.metricsGzip = await get(`${url}/metrics`, { 'accept-encoding': 'gzip' });
      }
      if (reads.has('page')) responses.page = await get(`${url}/`, { 'accept-encoding': 'gzip' });
      if (reads.has('api')) responses.api = await get(`${url}/api/v1/status`);
    }
    const idleSeconds = options.idleSeconds ?? 0;
    const idle =
      idleSeconds > 0
        ? await watchIdle(child.pid ?? 0, idleSeconds, () => roundSeconds.length)
        : null;
    const pid = child.pid ?? 0;
    // Read before the preload's collections and its heap snapshot (BENCH_HEAP_SNAPSHOT):
    // the snapshot's own ~400 MiB raised VmHWM, and the peak with one was 841 MiB, not ~416.
    const peakRss = procStatus(pid, 'VmHWM');
    const usage = await collected(child, memoryFile, 120_000);
    return {
      domains,
      rounds: roundSeconds.length,
      peakRss,
      // As the preload saw them right after its collections (it settles the heap after).
      rss: usage.smaps['Rss'] ?? procStatus(pid, 'VmRSS'),
      anonRss: usage.smaps['Anonymous'] ?? procStatus(pid, 'RssAnon'),
      heapUsed: usage.heapUsed,
      heapTotal: usage.heapTotal,
      external: usage.external,
      arrayBuffers: usage.arrayBuffers,
      spaces: usage.spaces,
      smaps: usage.smaps,
      settled: usage.settled,
      // The rounds and reads only: what the idle watch cost is its own figure.
      cpuSeconds: (usage.cpu.user + usage.cpu.system) / 1e6 - (idle?.cpuSeconds ?? 0),
      roundSeconds,
      responses,
      idle,
    };
  } finally {
    clearTimeout(timer);
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
