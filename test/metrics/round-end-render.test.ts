/**
 * The /metrics body built at a round's end (cached-render.ts prepare(), called from the
 * poller's onRoundEnd as serve wires it): the next scrape sends the bytes built then, equal
 * to a render from scratch; nothing is rendered for a monitor nobody scrapes; the hook runs
 * once per finished round, after the round's results are in; when the scrapes asked for
 * gzip, the body is compressed there too, its chunks held until zlib has read them.
 */
import { createHook } from 'node:async_hooks';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { Registry } from 'prom-client';
import { cachedMetrics } from '../../src/metrics/cached-render.js';
import { ExporterStatus } from '../../src/metrics/exporter-status.js';
import { renderStateMetrics } from '../../src/metrics/render.js';
import { RICH_PRODUCTS, richState } from './rich-state.js';
import { SYNTHETIC_PRODUCTS, syntheticState } from '../../bench/lib/synthetic-state.js';
import type { MonitorState } from '../../src/monitor/state.js';
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

/** How many zlib streams `fn` opens (each member's compression opens one; async_hooks sees it start). */
function zlibStreamsOpenedBy(fn: () => unknown): number {
  let opened = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'ZLIB') opened++;
    },
  }).enable();
  try {
    fn();
  } finally {
    hook.disable();
  }
  return opened;
}

test('prepare() compresses the new body too when the scrapes before it asked for gzip', async () => {
  const { state, metrics } = source();
  await metrics.body('identity', Promise.resolve());
  state.generation++;
  assert.equal(
    zlibStreamsOpenedBy(() => metrics.prepare()),
    0,
    'only identity was asked',
  );

  await metrics.body('gzip');
  state.hostsCut = 7;
  state.generation++;
  const expected = renderStateMetrics(state, RICH_PRODUCTS);
  assert.ok(
    zlibStreamsOpenedBy(() => assert.equal(metrics.prepare(), true)) > 0,
    'prepare starts compressing',
  );
  // The scrape finds that compression under way and starts none (it would before its first
  // await; its small tail is compressed later).
  let sent: Promise<Buffer[]> | undefined;
  assert.equal(
    zlibStreamsOpenedBy(() => (sent = metrics.body('gzip'))),
    0,
    'the scrape',
  );
  assert.ok(
    gunzipSync(Buffer.concat(await sent!))
      .toString()
      .startsWith(expected),
  );
});

/** Every host's TCP and KMS results new, as a round records them: every family written again. */
function wholeRound(state: MonitorState, round: number): void {
  for (const [key, host] of state.hosts) {
    if (host.tcp) state.recordTcp(key, { ...host.tcp, durationSeconds: 0.0004 + round / 1e6 });
    for (const result of [...host.products.values()])
      state.recordKms(key, { ...result, durationSeconds: 0.003 + round / 1e6 });
  }
}

/** The cached source of a synthetic estate of 1,000 domains: bodies that fill whole chunks. */
function syntheticSource(domains = 1000) {
  const state = syntheticState(domains);
  const metrics = cachedMetrics({
    state,
    products: () => SYNTHETIC_PRODUCTS,
    exporter: new ExporterStatus(),
    process: new Registry(),
  });
  return { state, metrics };
}

test('a compression under way keeps its chunks: bodies rendered meanwhile do not reuse them', async () => {
  // Big enough for pieces zlib reads in place (not copied into a batch), and every family
  // written again each round, so the old body's chunks would go back to the pool at once.
  const { state, metrics } = syntheticSource();
  await metrics.body('gzip');
  wholeRound(state, 1);
  const expected = renderStateMetrics(state, SYNTHETIC_PRODUCTS);
  metrics.prepare();
  const sent = metrics.body('gzip');
  // Newer bodies, rendered while zlib still reads the old one: were its chunks back in the
  // pool, these renders would write over them.
  for (let round = 2; round < 6; round++) {
    wholeRound(state, round);
    await metrics.body('identity', Promise.resolve());
  }
  assert.equal(
    gunzipSync(Buffer.concat(await sent))
      .toString()
      .slice(0, expected.length),
    expected,
  );
});

test('after prepare() the free chunks are gone: the next render writes into fresh ones', async () => {
  // Every host's series written again each round, so a body's own chunks go back to the
  // pool once a newer body replaced it (the families that did not change keep slicing
  // the chunks of the render that wrote them: those stay in use).
  const { state, metrics } = syntheticSource();
  const scrape = async () => (await metrics.body('identity', Promise.resolve())).slice(0, -1);
  /** The pool-sized chunks (4 MiB) a body's pieces slice. */
  const chunks = (body: Buffer[]) =>
    new Set(body.map((b) => b.buffer).filter((m) => m.byteLength === 4 << 20));
  await scrape();
  wholeRound(state, 1);
  const midRound = chunks(await scrape());
  // The round ends: its body is built, and the mid-round body's own chunks come back.
  wholeRound(state, 2);
  assert.equal(metrics.prepare(), true);
  const prepared = chunks(await scrape());
  const returned = [...midRound].filter((m) => !prepared.has(m));
  assert.ok(returned.length > 0, 'the mid-round body had chunks of its own');
  // The next round's first scrape: had the pool kept them through the round end, it
  // would write into them.
  wholeRound(state, 3);
  const next = await scrape();
  assert.ok(
    returned.every((m) => !chunks(next).has(m)),
    'a render after the round end reused a chunk the pool held through it',
  );
  assert.equal(Buffer.concat(next).toString(), renderStateMetrics(state, SYNTHETIC_PRODUCTS));
});

test('a round-end render writes into the chunks of the body it replaces as it passes them', async () => {
  // Every family written again (new lookups as discovery installs them, every host's
  // results new): the body being replaced, sent by no one, lets its chunks go before the
  // render, so the render needs few chunks beside it rather than a second body's worth.
  // 4,000 domains: a body of several 4 MiB chunks.
  const { state, metrics } = syntheticSource(4000);
  const scrape = async () => (await metrics.body('identity', Promise.resolve())).slice(0, -1);
  const chunks = (body: Buffer[]) =>
    new Set(body.map((b) => b.buffer).filter((m) => m.byteLength === 4 << 20));
  const before = chunks(await scrape());
  state.applyDiscovery({
    lookups: [...state.domains.values()].flatMap((d) =>
      d.lookups.map((l) => ({ ...l, durationSeconds: l.durationSeconds + 0.001 })),
    ),
    targets: [...state.hosts.values()].map((h) => h.target),
    hostsCut: state.hostsCut,
  });
  wholeRound(state, 1);
  assert.equal(metrics.prepare(), true);
  const body = await scrape();
  const after = chunks(body);
  const both = new Set([...before, ...after]);
  assert.ok(before.size >= 2, `the body fills ${before.size} chunks`);
  assert.ok(
    both.size <= Math.max(before.size, after.size) + 1,
    `two bodies of ${before.size} and ${after.size} chunks took ${both.size}`,
  );
  assert.equal(Buffer.concat(body).toString(), renderStateMetrics(state, SYNTHETIC_PRODUCTS));
});
