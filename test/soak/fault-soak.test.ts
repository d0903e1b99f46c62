// The fault soak, short: the real poller runs rounds back to back (interval 1 ms, the KMS
// exchange every round) against lab hosts that change fault mode before every round, so
// each host goes through every mode of src/lab/faults.ts. Every round must complete, the
// failure counters must add up to the faults injected, and nothing may be left open.
// The long run (10,000 rounds) is `npm run bench -- soak`. SOAK_ROUNDS overrides the count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAST_FAULTS, SLOW_FAULTS, faultFor, runFaultSoak } from '../../bench/lib/fault-soak.js';

const ROUNDS = Number(process.env['SOAK_ROUNDS'] ?? 44);
// Every 11th round brings the faults that end in a timeout (4 of 44 rounds): each costs up
// to 3 timeouts, and the timeout stays a generous 1 s so that a loaded machine (npm test
// runs files in parallel) never turns an answer into a spurious timeout.
const SLOW_EVERY = 11;

test('every host goes through every fault mode in the schedule', () => {
  const seen = new Set<string>();
  for (let r = 0; r < ROUNDS; r++)
    for (let i = 0; i < 4; i++) seen.add(faultFor(r, i, SLOW_EVERY)?.[0] ?? 'none');
  for (const [mode] of [...FAST_FAULTS, ...SLOW_FAULTS]) assert.ok(seen.has(mode), mode);
  assert.ok(seen.has('none'));
});

test(`fault soak: ${ROUNDS} rounds against flapping lab hosts`, { timeout: 120_000 }, async (t) => {
  const result = await runFaultSoak({
    rounds: ROUNDS,
    maxSeconds: 90,
    hosts: 4,
    timeoutMs: 1000,
    slowEvery: SLOW_EVERY,
  });
  const summary = `${result.roundsCompleted} rounds in ${(result.elapsedMs / 1000).toFixed(1)} s, ${result.faultsInjected} faults, rss growth ${(result.rssGrowthBytes / 2 ** 20).toFixed(1)} MiB`;
  t.diagnostic(summary);
  assert.deepEqual(result.errors, []);
  assert.equal(result.roundsCompleted, ROUNDS, summary);
  assert.deepEqual(result.mismatches, [], summary);
  assert.equal(result.countedKmsFailures, result.expectedKmsFailures);
  assert.equal(result.countedTcpFailures, result.expectedTcpFailures);
  assert.ok(result.expectedKmsFailures > 0);
  assert.deepEqual(result.leaked, [], `left open: ${result.leaked.join(', ')}`);
  // Bounded, not flat: a short run still grows while the JIT and the history rings fill.
  assert.ok(result.rssGrowthBytes < 64 * 2 ** 20, summary);
});
