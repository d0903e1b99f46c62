/**
 * A resolver with no route (an IPv6 server on an IPv4-only machine, a branch DNS behind a
 * VPN that is down) is a named failure of that resolver, `unreachable`, and the other
 * domains of the same discovery are answered. Runs in a loopback-only network namespace,
 * where such addresses really have no route and nothing can leave the machine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { netnsUnavailable, runInNetns } from '../fixtures/netns.js';

const unavailable = netnsUnavailable();

describe('an unroutable resolver', { skip: unavailable ?? false }, () => {
  it('fails as unreachable, at once, while a loopback resolver answers its domain', async () => {
    const run = await runInNetns(['test/fixtures/unroutable-dns-scenario.ts']);
    assert.equal(run.code, 0, `the scenario died:\n${run.stderr}`);
    const { results, tcp } = JSON.parse(run.stdout) as {
      results: Array<{
        domain: string;
        resolver: string;
        success: boolean;
        records: unknown[];
        durationSeconds: number;
        error: { reason: string; message: string } | null;
      }>;
      tcp: { reason: string; message: string } | null;
    };
    assert.deepEqual(
      results.map((r) => [r.domain, r.resolver, r.success, r.error?.reason ?? null]),
      [
        ['ok.fault.test', results[0]?.resolver, true, null],
        ['branch.example', '[2001:db8::53]:53', false, 'unreachable'],
        ['branch.example', '192.0.2.53:53', false, 'unreachable'],
      ],
    );
    assert.equal(results[0]?.records.length, 2);
    assert.match(
      results[1]?.error?.message ?? '',
      /^\[2001:db8::53\]:53: no route \(.*ENETUNREACH.*\)$/,
    );
    // No route is known at once: not a timeout after the full 3 s.
    for (const r of results.slice(1)) assert.ok(r.durationSeconds < 1.5, `${r.durationSeconds} s`);
    assert.equal(tcp?.reason, 'unreachable', JSON.stringify(tcp));
    assert.match(tcp?.message ?? '', /^TCP 192\.0\.2\.53:53: no route \(.*ENETUNREACH.*\)$/);
  });
});
