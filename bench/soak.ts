/**
 * (6) The long fault soak: 10,000 rounds of the real poller against lab hosts that change
 * fault mode before every round (bench/lib/fault-soak.ts), then RSS and heap growth after
 * warm-up, handles left behind, rounds completed, and whether the failure counters add up
 * to the faults injected. Baselines: RSS and heap at the end of warm-up (10 % of the rounds)
 * and the resources active before the poller started.
 *
 *   npm run bench -- soak      node --expose-gc --import tsx bench/soak.ts [--rounds 10000] [--max-seconds 420]
 *
 * The short variant runs in npm test (test/soak/fault-soak.test.ts).
 */
import os from 'node:os';
import { runFaultSoak } from './lib/fault-soak.js';
import { commandFor, figure, type BenchReport } from './lib/figures.js';
import { benchMain } from './lib/main.js';

const BENCH = 'soak';

export async function run(options: { rounds: number; maxSeconds: number }): Promise<BenchReport> {
  const gc = (globalThis as { gc?: () => void }).gc;
  let lastPrint = 0;
  const result = await runFaultSoak({
    rounds: options.rounds,
    maxSeconds: options.maxSeconds,
    // 1 s: at 200 ms a loaded 2-core machine turned 6 of 120,000 answers into spurious
    // timeouts, which the strict accounting (rightly) reports as mismatches.
    timeoutMs: 1000,
    slowEvery: 500,
    sampleEvery: Math.max(1, Math.floor(options.rounds / 100)),
    progress: (round, rss) => {
      // A collection before each sample, when allowed, so heap figures show what is live.
      gc?.();
      if (performance.now() - lastPrint > 15_000) {
        lastPrint = performance.now();
        console.error(`soak: round ${round}, rss ${(rss / 2 ** 20).toFixed(1)} MiB`);
      }
    },
  });
  const failures: string[] = [];
  if (result.roundsCompleted < options.rounds)
    failures.push(
      `only ${result.roundsCompleted} of ${options.rounds} rounds in ${options.maxSeconds} s`,
    );
  failures.push(...result.mismatches, ...result.errors);
  if (result.leaked.length > 0) failures.push(`leaked: ${result.leaked.join(', ')}`);
  const warm =
    result.memory.find((m) => m.round >= result.roundsCompleted / 10) ?? result.memory[0];
  const last = result.memory.at(-1);
  const command = commandFor(BENCH);
  const mib = (n: number) => n / 2 ** 20;
  const figures = [
    figure({
      id: `${BENCH}.rounds`,
      bench: BENCH,
      name: `fault-soak rounds completed (every host in a new fault mode each round)`,
      value: result.roundsCompleted,
      unit: 'rounds',
      better: 'higher',
      baseline: { name: 'rounds requested', value: options.rounds, unit: 'rounds' },
      goal: {
        text: 'zero crashes: every round completes',
        met: result.roundsCompleted >= options.rounds && result.errors.length === 0,
      },
      command,
    }),
    figure({
      id: `${BENCH}.rss`,
      bench: BENCH,
      name: `RSS after ${result.roundsCompleted} rounds`,
      value: mib(last?.rss ?? 0),
      unit: 'MiB',
      better: 'lower',
      baseline: {
        name: `RSS after warm-up (round ${warm?.round ?? 0})`,
        value: mib(warm?.rss ?? 0),
        unit: 'MiB',
      },
      goal: {
        text: 'flat memory (growth under 10 % after warm-up)',
        met: (last?.rss ?? 0) <= (warm?.rss ?? 0) * 1.1,
      },
      command,
    }),
    figure({
      id: `${BENCH}.heap`,
      bench: BENCH,
      name: `heap used after ${result.roundsCompleted} rounds${gc ? ' (after gc)' : ''}`,
      value: mib(last?.heapUsed ?? 0),
      unit: 'MiB',
      better: 'lower',
      baseline: { name: 'heap used after warm-up', value: mib(warm?.heapUsed ?? 0), unit: 'MiB' },
      command,
    }),
    figure({
      id: `${BENCH}.handles`,
      bench: BENCH,
      name: 'active handles and timers left after the poller stopped',
      value: result.resourcesAfter.length,
      unit: 'resources',
      better: 'lower',
      baseline: {
        name: "before the poller started (incl. the lab child's pipes)",
        value: result.resourcesBefore.length,
        unit: 'resources',
      },
      goal: { text: 'zero leaked handles', met: result.leaked.length === 0 },
      command,
    }),
    figure({
      id: `${BENCH}.failures`,
      bench: BENCH,
      name: 'KMS failures counted (kms_probe_failures_total)',
      value: result.countedKmsFailures,
      unit: 'failures',
      better: 'higher',
      baseline: {
        name: 'failures injected (faults × products)',
        value: result.expectedKmsFailures,
        unit: 'failures',
      },
      command,
    }),
  ];
  const notes = [
    `${result.faultsInjected} faults injected over ${result.roundsCompleted} rounds, ${result.exchanges} KMS exchanges, ` +
      `${result.countedTcpFailures}/${result.expectedTcpFailures} TCP failures counted/injected; ` +
      `${(result.elapsedMs / 1000).toFixed(0)} s, longest round ${result.maxRoundMs.toFixed(0)} ms`,
    `RSS samples (MiB): ${result.memory
      .filter((_, i, a) => i % Math.max(1, Math.floor(a.length / 10)) === 0 || i === a.length - 1)
      .map((m) => `${m.round}:${mib(m.rss).toFixed(1)}`)
      .join(' ')}`,
    `resources after stop: ${result.resourcesAfter.join(', ') || 'none'}; load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  ];
  return { bench: BENCH, figures, notes, failures };
}

await benchMain(import.meta.url, { rounds: 10000, maxSeconds: 420 }, run);
