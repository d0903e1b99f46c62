/**
 * The fault soak: the real poller (real probers, interval 1 ms, the KMS exchange
 * every round) runs many rounds against a lab whose KMS hosts flap between every fault mode
 * of src/lab/faults.ts — a new fault per host before every round. Afterwards:
 *  - every round completed (the poller's round counter, and each round's own record);
 *  - the failure counters of the state add up, per host and reason, to the faults injected;
 *  - no socket, server or timer of the monitor's process outlived the poller;
 *  - RSS and heap growth, sampled through the run, are reported (and bounded by callers).
 * Shared by test/soak/fault-soak.test.ts (short) and bench/soak.ts (10,000 rounds). The lab
 * (zone server and hosts) runs in a child process, so this process holds only the monitor.
 */
import { pino } from 'pino';
import { parseResolverAddress } from '../../src/dns/index.js';
import { resolveIdentity } from '../../src/kms/client/index.js';
import type { KmsFailureReason } from '../../src/kms/client/result.js';
import type { Product } from '../../src/kms/products/index.js';
import { labProduct, type LabFaultMode } from '../../src/lab/index.js';
import type { MonitorPlan } from '../../src/monitor/plan.js';
import { Poller, type Probers } from '../../src/monitor/poller.js';
import { realProbers } from '../../src/monitor/probers.js';
import { MonitorState } from '../../src/monitor/state.js';
import { startFleet } from './lab-fleet.js';

/** Fault modes answered at once, and what the probe of each product must report. */
export const FAST_FAULTS: ReadonlyArray<[LabFaultMode, KmsFailureReason]> = [
  ['refuse_connection', 'connect_refused'],
  ['close_after_bind', 'connection_closed'],
  ['bind_nak', 'bind_rejected'],
  ['fault_pdu', 'rpc_fault'],
  ['garbage', 'malformed'],
  ['oversized_frag_length', 'malformed'],
  ['wrong_call_id', 'unexpected'],
  ['undecryptable', 'decrypt_failed'],
  ['unverifiable', 'verify_failed'],
  ['hresult', 'kms_error'],
];
/** Fault modes that end in a timeout: they cost a timeout each, so they come less often. */
export const SLOW_FAULTS: ReadonlyArray<[LabFaultMode, KmsFailureReason]> = [
  ['silent', 'timeout'],
  ['partial_pdu', 'timeout'],
  ['slow_drip', 'timeout'],
];

export interface SoakOptions {
  rounds: number;
  /** Stop early (and report it) once this much time has passed. */
  maxSeconds: number;
  hosts?: number;
  products?: string[];
  /** Probe timeout per phase; the slow faults cost about this much per round. */
  timeoutMs?: number;
  /** Rounds with the slow faults: every n-th round (the others get the fast ones). */
  slowEvery?: number;
  /** Memory samples are taken every this many rounds. */
  sampleEvery?: number;
  /** Called with progress now and then (bench output). */
  progress?: (round: number, rssBytes: number) => void;
}

export interface MemorySample {
  round: number;
  rss: number;
  heapUsed: number;
}

export interface SoakResult {
  roundsRequested: number;
  roundsCompleted: number;
  elapsedMs: number;
  /** Longest round, ms (a stuck round shows here). */
  maxRoundMs: number;
  faultsInjected: number;
  exchanges: number;
  /** Per host and reason: expected vs counted, only where they differ. */
  mismatches: string[];
  expectedKmsFailures: number;
  countedKmsFailures: number;
  expectedTcpFailures: number;
  countedTcpFailures: number;
  /** Active resources (process.getActiveResourcesInfo) before start and after stop. */
  resourcesBefore: string[];
  resourcesAfter: string[];
  leaked: string[];
  memory: MemorySample[];
  /** rss and heapUsed after warm-up (first sample past 10 % of the rounds) and at the end. */
  rssGrowthBytes: number;
  heapGrowthBytes: number;
  errors: string[];
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

function resources(): string[] {
  return process.getActiveResourcesInfo().slice().sort();
}

/** Multiset difference a − b. */
function minus(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

/** The fault of host `i` in round `r` (0-based), with the reason its products must report. */
export function faultFor(
  r: number,
  i: number,
  slowEvery: number,
): [LabFaultMode, KmsFailureReason] | null {
  if (r % slowEvery === slowEvery - 1) {
    const k = (Math.floor(r / slowEvery) + i) % (SLOW_FAULTS.length + 1);
    return SLOW_FAULTS[k] ?? null;
  }
  const k = (r + 3 * i) % (FAST_FAULTS.length + 1);
  return FAST_FAULTS[k] ?? null;
}

export async function runFaultSoak(options: SoakOptions): Promise<SoakResult> {
  const hostCount = options.hosts ?? 4;
  const slugs = options.products ?? ['lab-windows', 'lab-windows-server', 'lab-office'];
  const products = slugs.map(labProduct);
  const timeoutMs = options.timeoutMs ?? 300;
  const slowEvery = options.slowEvery ?? 5;
  const sampleEvery = options.sampleEvery ?? Math.max(1, Math.floor(options.rounds / 50));
  const fleet = await startFleet({ domains: 1, perDomain: hostCount, hosts: hostCount, base: 40 });
  const domain = fleet.domains[0] as string;
  const port = fleet.lab.hosts[0]?.port ?? 0;
  /** Host key of lab host i: kms{i+1}.<domain> is published with lab host i's address. */
  const keyOf = (i: number): string => `kms${i + 1}.${domain}:${port}`;
  const errors: string[] = [];

  const plan: MonitorPlan<Product> = {
    domains: [{ domain, resolvers: [parseResolverAddress(fleet.resolver)], expectedHosts: [] }],
    staticHosts: [],
    products,
    intervalMs: 1,
    kmsIntervalMs: 0,
    timeoutMs,
    concurrency: 16,
    recordsPerDomain: 100,
    hostsTotal: 1000,
  };
  const identity = resolveIdentity({ hostname: 'kms-monitor-soak' });
  const real = realProbers<Product>(() => identity);
  const state = new MonitorState();

  // Expected failure counts, filled in as each round's faults are set.
  const expectedKms = new Map<string, number>();
  const expectedTcp = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string, by: number): void => {
    map.set(key, (map.get(key) ?? 0) + by);
  };
  let faultsInjected = 0;
  let round = -1;
  let roundStarted = 0;
  let maxRoundMs = 0;
  const memory: MemorySample[] = [];
  let snapshot: {
    rounds: number;
    kms: Map<string, number>;
    tcp: Map<string, number>;
    exchanges: number;
  } | null = null;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const started = performance.now();

  const countsNow = () => {
    const kms = new Map<string, number>();
    for (const { labels, value } of state.kmsFailures.entries())
      bump(kms, `${labels.host_key} ${labels.reason}`, value);
    const tcp = new Map<string, number>();
    for (const { labels, value } of state.tcpFailures.entries())
      bump(tcp, `${labels.host_key} ${labels.reason}`, value);
    return { kms, tcp, exchanges: state.probes.total((l) => l.kind === 'kms') };
  };

  // Each round begins with discovery: the hook where the lab's faults change, and where
  // the end of the previous round is seen.
  const probers: Probers<Product> = {
    ...real,
    discover: async (domains, opts) => {
      if (round >= 0) maxRoundMs = Math.max(maxRoundMs, performance.now() - roundStarted);
      round++;
      const elapsed = performance.now() - started;
      if (round % sampleEvery === 0 || round === options.rounds) {
        const m = process.memoryUsage();
        memory.push({ round, rss: m.rss, heapUsed: m.heapUsed });
        options.progress?.(round, m.rss);
      }
      if (round >= options.rounds || elapsed > options.maxSeconds * 1000) {
        // Rounds 0..round-1 are complete and recorded: count them before this one adds any.
        snapshot ??= { rounds: state.poll.rounds, ...countsNow() };
        finished();
        // Wait for stop(): the aborted lookup of this unfinished round returns at once.
        await new Promise<void>((resolve) =>
          opts.signal.aborted ? resolve() : opts.signal.addEventListener('abort', () => resolve()),
        );
        return real.discover(domains, opts);
      }
      const settings = Array.from({ length: hostCount }, (_, i) => {
        const f = faultFor(round, i, slowEvery);
        if (f) {
          faultsInjected++;
          if (f[0] === 'refuse_connection') bump(expectedTcp, `${keyOf(i)} connect_refused`, 1);
          bump(expectedKms, `${keyOf(i)} ${f[1]}`, products.length);
          return { fault: f[0] === 'slow_drip' ? { mode: f[0], intervalMs: 50 } : f[0] };
        }
        return { fault: null };
      });
      const reply = (await fleet.lab.send({ op: 'configureEach', settings })) as { error?: string };
      if (reply.error) errors.push(`round ${round}: configure failed: ${reply.error}`);
      roundStarted = performance.now();
      return real.discover(domains, opts);
    },
  };

  await settle();
  const resourcesBefore = resources();
  const poller = new Poller(state, plan, probers, pino({ level: 'silent' }));
  const onUnhandled = (reason: unknown): void => {
    errors.push(`unhandled rejection: ${String(reason)}`);
  };
  process.on('unhandledRejection', onUnhandled);
  try {
    poller.start();
    await done;
    await poller.stop();
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await fleet.lab.stop();
  }
  const elapsedMs = performance.now() - started;
  await settle();
  const resourcesAfter = resources();
  const leaked = minus(resourcesAfter, resourcesBefore);

  const snap = snapshot ?? { rounds: state.poll.rounds, ...countsNow() };
  const mismatches: string[] = [];
  const compare = (what: string, expected: Map<string, number>, counted: Map<string, number>) => {
    for (const key of new Set([...expected.keys(), ...counted.keys()])) {
      const e = expected.get(key) ?? 0;
      const c = counted.get(key) ?? 0;
      if (e !== c) mismatches.push(`${what} ${key}: injected ${e}, counted ${c}`);
    }
  };
  const roundsCompleted = snap.rounds;
  // Faults were set for rounds 0..round-1; only completed rounds count.
  if (roundsCompleted !== round) {
    mismatches.push(`poller counted ${roundsCompleted} rounds, ${round} were started and finished`);
  }
  compare('kms', expectedKms, snap.kms);
  compare('tcp', expectedTcp, snap.tcp);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const afterWarmup = memory.find((m) => m.round >= roundsCompleted / 10) ?? memory[0];
  const last = memory.at(-1);
  return {
    roundsRequested: options.rounds,
    roundsCompleted,
    elapsedMs,
    maxRoundMs,
    faultsInjected,
    exchanges: snap.exchanges,
    mismatches,
    expectedKmsFailures: sum(expectedKms),
    countedKmsFailures: sum(snap.kms),
    expectedTcpFailures: sum(expectedTcp),
    countedTcpFailures: sum(snap.tcp),
    resourcesBefore,
    resourcesAfter,
    leaked,
    memory,
    rssGrowthBytes: afterWarmup && last ? last.rss - afterWarmup.rss : 0,
    heapGrowthBytes: afterWarmup && last ? last.heapUsed - afterWarmup.heapUsed : 0,
    errors,
  };
}
