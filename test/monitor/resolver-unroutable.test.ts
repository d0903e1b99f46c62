/**
 * One resolver with no route must not take down the monitoring of every domain: `serve`
 * used to die with ERR_SOCKET_BAD_PORT from the DNS layer on the first round. In a
 * loopback-only network namespace (nothing can leave), serve runs ten rounds with a lab
 * domain answering on loopback and a branch domain whose resolvers are unroutable.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { netnsUnavailable, runInNetns } from '../fixtures/netns.js';

interface Series {
  labels: Record<string, string>;
  value: number;
}

const unavailable = netnsUnavailable();
const GOOD = 'good.kms-lab.test';
const BRANCH = 'branch.example';

describe('serve with an unroutable resolver', { skip: unavailable ?? false }, () => {
  it('stays up for ten rounds; the good domain is intact, the branch one fails as unreachable', async () => {
    const run = await runInNetns(['test/monitor/resolver-unroutable-scenario.ts'], 120_000);
    assert.equal(run.code, 0, `the scenario died:\n${run.stderr}\n${run.stdout}`);
    const result = JSON.parse(run.stdout) as {
      error?: string;
      logs: string;
      rounds: number;
      exitCode: number | null;
      lookupSuccess: Series[];
      records: Series[];
      failures: Series[];
      probeSuccess: Series[];
      domainMetric: Series[];
      apiDomainStatus: Record<string, string>;
      pageDomainStatus: Record<string, string>;
      check: { code: number; stdout: string; stderr: string };
    };
    assert.equal(result.error, undefined, `${result.error}\n${result.logs}`);
    assert.ok(result.rounds >= 10);
    assert.equal(result.exitCode, 0, 'serve must shut down cleanly after SIGTERM');
    assert.doesNotMatch(result.logs, /ERR_SOCKET_BAD_PORT|uncaught|unhandled/i);

    const success = (domain: string) =>
      result.lookupSuccess.filter((s) => s.labels.domain === domain);
    assert.deepEqual(
      success(GOOD).map((s) => s.value),
      [1],
    );
    assert.deepEqual(
      result.records.filter((s) => s.labels.domain === GOOD).map((s) => s.value),
      [1],
    );
    assert.deepEqual(
      success(BRANCH)
        .map((s) => [s.labels.resolver, s.value])
        .sort(),
      [
        ['192.0.2.53:53', 0],
        ['[2001:db8::53]:53', 0],
      ],
    );
    // Every round counted its failure by name, for each unroutable resolver.
    const unreachable = result.failures.filter(
      (s) => s.labels.domain === BRANCH && s.labels.reason === 'unreachable',
    );
    assert.equal(unreachable.length, 2, JSON.stringify(result.failures));
    for (const s of unreachable) assert.ok(s.value >= 10, JSON.stringify(s));
    // One verdict: the branch is CRITICAL (its clients find no host), the good domain only
    // lacks redundancy, and serve's API, page and metrics and a one-shot check all say so.
    const expected = { [GOOD]: 'warning', [BRANCH]: 'critical' };
    assert.deepEqual(result.apiDomainStatus, expected);
    assert.deepEqual(result.pageDomainStatus, expected);
    assert.deepEqual(
      Object.fromEntries(result.domainMetric.map((s) => [s.labels.domain, s.value])),
      { [GOOD]: 1, [BRANCH]: 2 },
    );
    const checked = JSON.parse(result.check.stdout) as {
      domainStatus: Record<string, string>;
      problems: { code: string; domain?: string }[];
    };
    assert.equal(result.check.code, 2, result.check.stderr);
    assert.deepEqual(checked.domainStatus, expected);
    assert.ok(
      checked.problems.some((p) => p.code === 'srv_lookup_failing' && p.domain === BRANCH),
      result.check.stdout,
    );
    // The good domain's host was probed over the real KMS protocol.
    assert.deepEqual(
      result.probeSuccess.map((s) => [s.labels.host, s.labels.product, s.value]),
      [[`kms1.${GOOD}`, 'lab-windows', 1]],
    );
  });
});
