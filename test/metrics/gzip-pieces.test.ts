/**
 * gzipPieces: one gzip stream of a list of buffers, never joined whole: what gunzip gives
 * back is the pieces in order, whatever their sizes (empty, a few bytes, runs of small ones
 * batched across the batch size, large ones written as they are, slices of one buffer).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { gzipPieces } from '../../src/metrics/gzip-pieces.js';

/** A small deterministic generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function piecesOf(next: () => number, count: number): Buffer[] {
  const source = Buffer.alloc(8 << 20);
  for (let i = 0; i < source.length; i++) source[i] = 32 + ((i * 7 + (i >> 9)) % 90);
  const sizes = [0, 1, 17, 4095, 65535, 65536, 70000, 1 << 20, 3 << 20];
  const pieces: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const size =
      next() < 0.7 ? Math.floor(next() * 300) : sizes[Math.floor(next() * sizes.length)]!;
    if (at + size > source.length) at = 0;
    pieces.push(source.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

test('gunzip gives back the pieces in order, for pieces of every size', async () => {
  for (let seed = 1; seed <= 12; seed++) {
    const next = random(seed);
    const pieces = piecesOf(next, 1 + Math.floor(next() * 400));
    const gzipped = await gzipPieces(pieces, 1);
    assert.ok(gunzipSync(gzipped).equals(Buffer.concat(pieces)), `seed ${seed}`);
  }
});

test('thousands of small pieces, as a patched body has, and no pieces at all', async () => {
  const small = Array.from({ length: 20_000 }, (_, i) => Buffer.from(`kms_up{host="h${i}"} 1\n`));
  assert.ok(gunzipSync(await gzipPieces(small, 1)).equals(Buffer.concat(small)));
  assert.equal(gunzipSync(await gzipPieces([], 1)).length, 0);
  assert.equal(gunzipSync(await gzipPieces([Buffer.alloc(0)], 1)).length, 0);
});

test("the level is zlib's: a higher one compresses exposition text smaller", async () => {
  const next = random(7);
  const lines = Array.from(
    { length: 20_000 },
    (_, i) =>
      `kms_exchange_seconds{host="kms${i % 97}.site${i}.example",product="p${i % 3}"} ${next()}\n`,
  );
  const text = [Buffer.from(lines.join(''))];
  const fast = await gzipPieces(text, 1);
  const best = await gzipPieces(text, 9);
  assert.ok(best.length < fast.length, `${best.length} < ${fast.length}`);
  assert.ok(gunzipSync(best).equals(text[0]!));
});
