/**
 * The /metrics body built at a round's end (cached-render.ts prepare(), called from the
 * poller's onRoundEnd as serve wires it): the next scrape sends the bytes built then, equal
 * to a render from scratch; nothing is rendered for a monitor nobody scrapes; the hook runs
 * once per finished round, after the round's results are in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { cachedMetrics } from '../../src/metrics/cached-render.js';
import { ExporterStatus } from '../../src/metrics/exporter-status.js';
import { renderStateMetrics } from '../../src/metrics/render.js';
import { RICH_PRODUCTS, richState } from './rich-state.js';
import { domainsOf, fakeMonitor, planOf } from '../monitor/fake-world.js';

function source(state = richState()) {
  const metrics = cachedMetrics({
    state,
    products: () => RICH_PRODUCTS,
    exporter: new ExporterStatus(),
    process: new Registry(),
  });
  const stateText = async () =>
    Buffer.concat((await metrics.body('identity', Promise.resolve())).slice(0, -1)).toString();
  return { state, metrics, stateText };
}

test('prepare() renders nothing until a scrape has asked for a body', async () => {
  const { state, metrics, stateText } = source();
  assert.equal(metrics.prepare(), false, 'never scraped');
  await stateText();
  state.generation++;
  assert.equal(metrics.prepare(), true, 'scraped since, and out of date');
  assert.equal(metrics.prepare(), false, 'no scrape since the last prepare');
  await stateText();
  assert.equal(metrics.prepare(), false, 'scraped, but the body is current');
});

test('the scrape after prepare() sends the body built by it, equal to a render from scratch', async () => {
  const { state, metrics, stateText } = source();
  await stateText();
  state.hostsCut = 7;
  state.generation++;
  const expected = renderStateMetrics(state, RICH_PRODUCTS);
  assert.equal(metrics.prepare(), true);
  // Changed behind the generation's back: a body rendered by the scrape would show it.
  state.hostsCut = 99;
  const sent = await stateText();
  assert.equal(sent, expected);
  assert.match(sent, /^kms_targets_truncated 7$/m);
});

test('the poller runs its round-end hooks once per finished round, after the results', async () => {
  const corp = 'corp.example';
  const m = fakeMonitor(planOf({ domains: domainsOf(corp) }));
  m.world.records.set(corp, ['kms1.corp.example', 'kms2.corp.example']);
  const seen: number[] = [];
  m.poller.onRoundEnd(() => seen.push(m.state.poll.rounds));
  await m.poller.runRound();
  await m.poller.runRound();
  assert.deepEqual(seen, [1, 2], 'after recordRoundEnd, once a round');
  assert.ok(
    [...m.state.hosts.values()].every((h) => h.tcp !== null),
    "the round's results are in",
  );
});
