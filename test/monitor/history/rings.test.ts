// The history's storage: the sample ring (wrap-around, growth, resizing, the window
// search), the reachability log (transitions, down since, uptime, its bound) and the
// ring size the retention asks for.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SampleRing, MAX_STORED_COUNT } from '../../../src/monitor/history/sample-ring.js';
import { ReachabilityLog, MAX_TRANSITIONS } from '../../../src/monitor/history/reachability-log.js';
import { MAX_SAMPLES_PER_RING, ringCapacity } from '../../../src/monitor/history/estate-history.js';
import { outcomeCode, outcomeReason, productPhase } from '../../../src/monitor/history/outcome.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

function fill(ring: SampleRing, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) {
    ring.push({ at: T0 + i * MIN, count: i, latencySeconds: i / 1000, outcome: i % 3 });
  }
}

function times(ring: SampleRing): number[] {
  return Array.from({ length: ring.length }, (_, i) => (ring.timeAt(i) - T0) / MIN);
}

describe('sample ring', () => {
  it('keeps samples in order until full, then overwrites the oldest', () => {
    const ring = new SampleRing(5);
    fill(ring, 3);
    assert.deepEqual(times(ring), [0, 1, 2]);
    fill(ring, 4, 3);
    assert.equal(ring.length, 5);
    assert.deepEqual(times(ring), [2, 3, 4, 5, 6]);
    assert.equal(ring.countAt(0), 2);
    assert.equal(ring.countAt(4), 6);
    assert.equal(ring.outcomeAt(4), 0);
    assert.ok(Math.abs(ring.latencyAt(4) - 0.006) < 1e-7);
    // Wrapped many times over, still the newest five in order.
    fill(ring, 1000, 7);
    assert.deepEqual(times(ring), [1002, 1003, 1004, 1005, 1006]);
  });

  it('is bounded: its arrays grow by doubling up to the capacity and no further', () => {
    const ring = new SampleRing(1134);
    assert.equal(ring.byteLength, 16 * 11, 'starts small');
    fill(ring, 100);
    assert.equal(ring.byteLength, 128 * 11);
    fill(ring, 10_000, 100);
    assert.equal(ring.length, 1134);
    assert.equal(ring.byteLength, 1134 * 11);
    assert.deepEqual(times(ring).slice(0, 2), [10_100 - 1134, 10_100 - 1133]);
  });

  it('stores a missing count as null and clamps a hostile one', () => {
    const ring = new SampleRing(4);
    ring.push({ at: T0, count: null, latencySeconds: 0, outcome: 1 });
    ring.push({ at: T0 + 1000, count: 4_000_000_000, latencySeconds: 0, outcome: 0 });
    assert.equal(ring.countAt(0), null);
    assert.equal(ring.countAt(1), MAX_STORED_COUNT);
  });

  it('finds the first sample of a window by time, across the wrap', () => {
    const ring = new SampleRing(10);
    fill(ring, 25); // holds minutes 15..24
    assert.equal(ring.firstAtOrAfter(T0), 0);
    assert.equal(ring.firstAtOrAfter(T0 + 20 * MIN), 5);
    assert.equal(ring.firstAtOrAfter(T0 + 20 * MIN - 1), 5, 'rounds up to the second');
    assert.equal(ring.firstAtOrAfter(T0 + 99 * MIN), 10);
  });

  it('never files a sample before the previous one (a clock stepped back)', () => {
    const ring = new SampleRing(4);
    ring.push({ at: T0 + 10 * MIN, count: 1, latencySeconds: 0, outcome: 0 });
    ring.push({ at: T0 + 5 * MIN, count: 2, latencySeconds: 0, outcome: 0 });
    assert.deepEqual(times(ring), [10, 10]);
  });

  it('shrinks to a new capacity keeping the newest, and grows again to a larger one', () => {
    const ring = new SampleRing(8);
    fill(ring, 8);
    ring.setCapacity(3);
    assert.deepEqual(times(ring), [5, 6, 7]);
    assert.equal(ring.byteLength, 3 * 11);
    ring.setCapacity(6);
    fill(ring, 5, 8);
    assert.deepEqual(times(ring), [7, 8, 9, 10, 11, 12]);
    assert.throws(() => ring.setCapacity(0), RangeError);
  });

  it('keeps every column of every sample through growth, wrap-around and shrinking', () => {
    // The columns sit at offsets that depend on the buffer's size: a reallocation that read
    // the old buffer at the new offsets would keep the times and scramble the rest.
    const columns = (ring: SampleRing) =>
      Array.from({ length: ring.length }, (_, i) => [
        (ring.timeAt(i) - T0) / MIN,
        ring.countAt(i),
        Math.round(ring.latencyAt(i) * 1000),
        ring.outcomeAt(i),
      ]);
    const expected = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) => [from + k, from + k, from + k, (from + k) % 3]);
    const ring = new SampleRing(100);
    fill(ring, 40); // grows 16 → 32 → 64
    assert.deepEqual(columns(ring), expected(0, 40));
    ring.setCapacity(20); // shrinks a ring that has not wrapped
    assert.deepEqual(columns(ring), expected(20, 40));
    fill(ring, 7, 40); // wraps
    assert.deepEqual(columns(ring), expected(27, 47));
    ring.setCapacity(9); // shrinks a wrapped ring
    assert.deepEqual(columns(ring), expected(38, 47));
    ring.setCapacity(50);
    fill(ring, 30, 47); // grows again from a wrapped start
    assert.deepEqual(columns(ring), expected(38, 77));
  });
});

describe('ring capacity', () => {
  it('is one sample a sweep over the retention, an eighth more for retries, capped', () => {
    assert.equal(ringCapacity(7 * 86_400_000, 600_000), 1008 + 126);
    assert.equal(ringCapacity(3_600_000, 600_000), 6 + 1);
    assert.equal(ringCapacity(31 * 86_400_000, 1000), MAX_SAMPLES_PER_RING);
  });
});

describe('reachability log', () => {
  it('keeps transitions only, and says since when the host is in its state', () => {
    const log = new ReachabilityLog();
    assert.equal(log.up, null);
    for (let i = 0; i < 10; i++) log.observe(T0 + i * MIN, true);
    assert.equal(log.length, 1);
    for (let i = 10; i < 15; i++) log.observe(T0 + i * MIN, false);
    assert.equal(log.up, false);
    assert.equal(log.since, T0 + 10 * MIN);
    log.observe(T0 + 15 * MIN, true);
    assert.equal(log.since, T0 + 15 * MIN);
    assert.equal(log.length, 3);
  });

  it('uptime holds each state until the next transition and ignores the unknown past', () => {
    const log = new ReachabilityLog();
    log.observe(T0, true);
    log.observe(T0 + 30 * MIN, false);
    log.observe(T0 + 45 * MIN, true);
    // 60 minutes from T0: 15 of them down.
    assert.equal(log.uptime(T0, T0 + 60 * MIN), 45 / 60);
    // A window that starts before the first observation counts from it.
    assert.equal(log.uptime(T0 - 60 * MIN, T0 + 60 * MIN), 45 / 60);
    // A window inside the outage.
    assert.equal(log.uptime(T0 + 31 * MIN, T0 + 44 * MIN), 0);
    assert.equal(new ReachabilityLog().uptime(T0, T0 + MIN), null);
    assert.deepEqual(
      log.transitions(T0 + 40 * MIN).map((t) => [(t.at - T0) / MIN, t.up]),
      [
        [30, false],
        [45, true],
      ],
    );
  });

  it('prunes transitions older than the retention, keeping the state then in force', () => {
    const log = new ReachabilityLog();
    log.observe(T0, false);
    log.observe(T0 + 10 * MIN, true);
    log.observe(T0 + 20 * MIN, false);
    log.prune(T0 + 15 * MIN);
    assert.equal(log.length, 2);
    assert.equal(log.knownSince, T0 + 10 * MIN);
    log.prune(T0 + 1000 * MIN);
    assert.equal(log.length, 1, 'the current state stays, however old');
    assert.equal(log.since, T0 + 20 * MIN);
  });

  it('is bounded: a host flapping every round keeps the newest transitions', () => {
    const log = new ReachabilityLog();
    for (let i = 0; i < 5 * MAX_TRANSITIONS; i++) log.observe(T0 + i * MIN, i % 2 === 0);
    assert.equal(log.length, MAX_TRANSITIONS);
    assert.equal(log.byteLength, MAX_TRANSITIONS * 9);
    assert.equal(log.knownSince, T0 + 4 * MAX_TRANSITIONS * MIN);
    assert.equal(log.uptime(T0, T0 + 5 * MAX_TRANSITIONS * MIN), 0.5);
  });
});

describe('outcomes', () => {
  it('round-trips every failure reason through one byte', () => {
    assert.equal(outcomeReason(outcomeCode({ success: true, error: null })), null);
    const refused = { reason: 'kms_error' as const, code: '0xC004F042', message: 'x' };
    assert.equal(outcomeReason(outcomeCode({ success: false, error: refused })), 'kms_error');
    const timeout = { reason: 'timeout' as const, code: null, message: 'x' };
    assert.equal(outcomeReason(outcomeCode({ success: false, error: timeout })), 'timeout');
  });

  it('names the phase a result puts the product in', () => {
    const base = { success: true, error: null, activeClients: 30, threshold: 25 };
    assert.equal(productPhase(base), 'ok');
    assert.equal(productPhase({ ...base, activeClients: 24 }), 'below');
    const error = (reason: 'kms_error' | 'connect_refused' | 'timeout', code: string | null) => ({
      ...base,
      success: false,
      activeClients: null,
      error: { reason, code, message: '' },
    });
    assert.equal(productPhase(error('kms_error', '0xC004F042')), 'refused');
    assert.equal(productPhase(error('connect_refused', null)), 'unreached');
    assert.equal(productPhase(error('timeout', null)), 'failed');
  });
});
