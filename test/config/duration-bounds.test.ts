/**
 * Duration bounds: nothing longer than a timer can hold (2^31 − 1 ms; Node fires a longer
 * setTimeout after 1 ms, so `interval: 30d` became a busy loop of rounds), and no
 * timeout of zero or of hours. Refused like every other configuration error: with the
 * file, line, column and key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { configErrorOf } from './config-error.js';
import { MAX_TIMER_MS } from '../../src/config/schema.js';

const errorOf = configErrorOf;

describe('duration bounds', () => {
  it('interval and kms_interval above 2^31 − 1 ms are refused with their line', () => {
    const err = errorOf('timeout: 5s\ninterval: 30d\n');
    assert.equal(err.keyPath, 'interval');
    assert.equal(err.line, 2);
    assert.equal(err.column, 11);
    assert.equal(
      err.message,
      'kms.yml:2:11: interval: must be at most 3w3d20h31m23s647ms (the longest timer Node.js can set), got 30d',
    );
    assert.equal(errorOf('kms_interval: 25d\n').keyPath, 'kms_interval');
    assert.equal(errorOf('kms_interval: 3w3d20h31m23s648ms\n').keyPath, 'kms_interval');
  });

  it('exactly 2^31 − 1 ms is accepted', () => {
    const config = parseConfig('interval: 3w3d20h31m23s647ms\nkms_interval: 24d\n');
    assert.equal(config.interval, MAX_TIMER_MS);
    assert.equal(MAX_TIMER_MS, 2_147_483_647);
    // A timer of that length really is held (no TimeoutOverflowWarning, not run at once).
    let fired = false;
    const timer = setTimeout(() => (fired = true), config.interval);
    assert.ok(!fired);
    clearTimeout(timer);
  });

  it('a timeout of 0 or below 10 ms, or above 5 minutes, is refused', () => {
    assert.match(
      errorOf('timeout: "0"\n').message,
      /^kms\.yml:1:10: timeout: must be at least 10ms, got 0$/,
    );
    assert.match(errorOf('timeout: 5ms\n').message, /must be at least 10ms, got 5ms/);
    assert.match(
      errorOf('timeout: 1h\n').message,
      /^kms\.yml:1:10: timeout: must be at most 5m, got 1h$/,
    );
    assert.equal(parseConfig('timeout: 5m\n').timeout, 300_000);
  });

  it('interval and kms_interval keep their 1 s minimum', () => {
    assert.match(errorOf('interval: 999ms\n').message, /must be at least 1s, got 999ms/);
    assert.match(errorOf('kms_interval: "0"\n').message, /must be at least 1s, got 0/);
  });
});
