import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DurationError, formatDuration, parseDuration } from '../../src/config/duration.js';

test('parses Prometheus-style durations to milliseconds', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('10m'), 600_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('1d2h'), 93_600_000);
  assert.equal(parseDuration('0'), 0);
});

test('rejects what is not a duration, saying why', () => {
  for (const bad of ['', '30', '30x', 's', '1m1h', '1s1s', ' 30s', '30s ', '-1s', '1.5s']) {
    assert.throws(() => parseDuration(bad), DurationError, bad);
  }
  assert.throws(() => parseDuration('99999999999999999999d'), /too large/);
});

test('formats milliseconds back to the shortest form', () => {
  assert.equal(formatDuration(90_000), '1m30s');
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(1500), '1s500ms');
  for (const text of ['30s', '10m', '1h30m', '2d'])
    assert.equal(formatDuration(parseDuration(text)), text);
});
