// ProbeRuns on its own: each series (kind, target, detail) is compared with its own last
// outcome, targets do not share series, and a forgotten target starts afresh.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryEntry } from '../../src/monitor/history.js';
import { ProbeRuns } from '../../src/monitor/events/probe-runs.js';

const K1 = 'kms1.corp.example:1688';
const K2 = 'kms2.corp.example:1688';

function entry(target: string, detail: string | null, reason: string | null): HistoryEntry {
  return {
    timestamp: '2026-12-03T10:00:00.000Z',
    kind: 'kms',
    target,
    detail,
    success: reason === null,
    reason,
    message: reason,
    durationSeconds: 0.01,
  };
}

const changeOf = (runs: ProbeRuns, e: HistoryEntry) => runs.observe(e)?.change ?? null;

describe('ProbeRuns', () => {
  it('compares each series with its own last outcome', () => {
    const runs = new ProbeRuns();
    assert.equal(changeOf(runs, entry(K1, 'windows', null)), null);
    assert.equal(changeOf(runs, entry(K1, 'windows', 'timeout')), 'started failing');
    assert.equal(changeOf(runs, entry(K1, 'windows', 'timeout')), null);
    assert.equal(changeOf(runs, entry(K1, 'windows', 'kms_error')), 'failing differently');
    // Another product of the same host, and the same product of another host: new series.
    assert.equal(changeOf(runs, entry(K1, 'office', 'kms_error')), 'failing');
    assert.equal(changeOf(runs, entry(K2, 'windows', 'kms_error')), 'failing');
    assert.equal(changeOf(runs, entry(K1, 'windows', null)), 'recovered');
    assert.equal(changeOf(runs, entry(K2, 'windows', 'kms_error')), null);
  });

  it('the transition names the series, its host and product', () => {
    const t = new ProbeRuns().observe(entry(K1, 'windows', 'timeout'));
    assert.ok(t);
    assert.equal(t.key, `probe\u0000kms\u0000${K1}\u0000windows`);
    assert.equal(t.host, K1);
    assert.equal(t.product, 'windows');
    assert.deepEqual(t.probe, { kind: 'kms', detail: 'windows', reason: 'timeout' });
  });

  it('a target it is told to forget starts afresh; the others keep their series', () => {
    const runs = new ProbeRuns();
    runs.observe(entry(K1, 'windows', 'timeout'));
    runs.observe(entry(K2, 'windows', 'timeout'));
    runs.retain((target) => target !== K1);
    assert.equal(changeOf(runs, entry(K1, 'windows', 'timeout')), 'failing');
    assert.equal(changeOf(runs, entry(K2, 'windows', 'timeout')), null);
  });
});
