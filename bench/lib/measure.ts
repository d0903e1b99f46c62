/**
 * Closed-loop load: `concurrency` workers each run `work` back to back, for a time or a
 * number of operations. Latency of every operation, the rate, and the CPU time this
 * process spent (so a client that is fast only by burning both cores shows it).
 */
import { percentile } from './figures.js';

export interface Sample {
  latenciesMs: number[];
  elapsedMs: number;
  cpuMs: number;
  failures: number;
}

export interface LoadOptions {
  concurrency: number;
  /** Run for this long… */
  ms?: number;
  /** …or this many operations in total. */
  count?: number;
}

/** `work` resolves true for success; a rejection counts as a failure too. */
export async function load(
  work: (i: number) => Promise<boolean>,
  { concurrency, ms, count }: LoadOptions,
): Promise<Sample> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let started = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = ms === undefined ? Infinity : t0 + ms;
  const limit = count ?? Infinity;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < limit && performance.now() < until) {
        const i = started++;
        const t = performance.now();
        let ok: boolean;
        try {
          ok = await work(i);
        } catch {
          ok = false;
        }
        latenciesMs.push(performance.now() - t);
        if (!ok) failures++;
      }
    }),
  );
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { latenciesMs, elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000, failures };
}

export interface Summary {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** This process's CPU milliseconds per operation. */
  cpuMsPerOp: number;
  failures: number;
}

/** Pools several samples (rounds) of one kind into one summary. */
export function summarize(samples: readonly Sample[]): Summary {
  const all = samples.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  const count = all.length;
  const seconds = samples.reduce((n, s) => n + s.elapsedMs, 0) / 1000;
  const cpuMs = samples.reduce((n, s) => n + s.cpuMs, 0);
  return {
    count,
    perSecond: count / seconds,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    cpuMsPerOp: count > 0 ? cpuMs / count : NaN,
    failures: samples.reduce((n, s) => n + s.failures, 0),
  };
}
