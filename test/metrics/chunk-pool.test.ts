/**
 * The chunk pool of the /metrics renderer (src/metrics/byte-sink.ts) keeps no more free
 * chunks than the last render used, and none once renders stop coming: free chunks are
 * resident memory that only the next render can use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ByteSink, ChunkPool } from '../../src/metrics/byte-sink.js';

// Above Buffer.poolSize / 2: a chunk of its own memory, not a slice of the shared slab.
const CHUNK = 8192;

/** A render of `chunks` full chunks into `pool`: its finished body. */
function render(pool: ChunkPool, chunks: number): Buffer[] {
  const sink = new ByteSink(pool);
  for (let i = 0; i < chunks * CHUNK; i++) {
    sink.reserve(1);
    sink.byte(0x61);
  }
  return sink.finish();
}

/** The underlying memory of each buffer, to tell a recycled chunk from a fresh one. */
const memories = (buffers: readonly Buffer[]) => new Set(buffers.map((b) => b.buffer));

test('keeps no more free chunks than the last render used', () => {
  const pool = new ChunkPool(CHUNK, 24, 60_000);
  const big = render(pool, 5);
  assert.equal(big.length, 5);
  const small = render(pool, 2);
  // The estate shrank: of the big body's five chunks the pool keeps the two a render uses.
  pool.give(big);
  assert.equal(pool.size, 2);
  const given = memories(big);
  const next = [pool.take(1), pool.take(1), pool.take(1)];
  assert.deepEqual(
    next.map((b) => given.has(b.buffer)),
    [true, true, false],
  );
  pool.give(small);
});

test('lets its free chunks go after the idle time without a render', async () => {
  const pool = new ChunkPool(CHUNK, 24, 30);
  const body = render(pool, 3);
  render(pool, 3);
  pool.give(body);
  assert.equal(pool.size, 3);
  await sleep(120);
  assert.equal(pool.size, 0);
  // The next render writes into fresh chunks and works as before.
  const after = render(pool, 3);
  assert.equal(after.length, 3);
  assert.ok(after.every((b) => !memories(body).has(b.buffer)));
  assert.equal(Buffer.concat(after).toString(), 'a'.repeat(3 * CHUNK));
});

test('a render reuses the chunks of the body before it while renders keep coming', () => {
  const pool = new ChunkPool(CHUNK, 24, 60_000);
  const first = render(pool, 4);
  render(pool, 4);
  pool.give(first);
  const third = render(pool, 4);
  const reused = memories(first);
  assert.ok(third.every((b) => reused.has(b.buffer)));
});

test('drain() lets the free chunks go at once; chunks given later wait out the idle time', async () => {
  const pool = new ChunkPool(CHUNK, 24, 30);
  const first = render(pool, 3);
  const second = render(pool, 3);
  pool.give(first);
  assert.equal(pool.size, 3);
  pool.drain();
  assert.equal(pool.size, 0);
  const fresh = render(pool, 3);
  assert.ok(
    fresh.every((b) => !memories(first).has(b.buffer)),
    'fresh chunks after a drain',
  );
  // A body still being sent at the drain comes back afterwards: kept, then let go as before.
  pool.give(second);
  assert.equal(pool.size, 3);
  await sleep(120);
  assert.equal(pool.size, 0);
  pool.give(fresh);
});
