/**
 * gzipMembers: a body compressed as one gzip member per part. What gunzip gives back is the
 * parts in order, whatever their sizes (empty, a few bytes, slices of one buffer, many
 * pieces); a part with a slot is compressed once and its member handed out again, a part
 * without one is compressed every time; a failed compression is not kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { gzipMembers, MemberSlot, type BodyPart } from '../../src/metrics/gzip-members.js';

/** A small deterministic generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SOURCE = Buffer.alloc(4 << 20);
for (let i = 0; i < SOURCE.length; i++) SOURCE[i] = 32 + ((i * 7 + (i >> 9)) % 90);

/** `count` parts of 0 to a few pieces each, slices of one buffer, some with slots. */
function partsOf(next: () => number, count: number): BodyPart[] {
  const sizes = [0, 1, 17, 4095, 65536, 70000, 1 << 20];
  const parts: BodyPart[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const pieces: Buffer[] = [];
    const n = Math.floor(next() * 4);
    for (let p = 0; p < n; p++) {
      const size =
        next() < 0.7 ? Math.floor(next() * 300) : sizes[Math.floor(next() * sizes.length)]!;
      if (at + size > SOURCE.length) at = 0;
      pieces.push(SOURCE.subarray(at, at + size));
      at += size;
    }
    parts.push({ bytes: () => pieces, slot: next() < 0.5 ? new MemberSlot() : null });
  }
  return parts;
}

const textOf = (parts: BodyPart[]) => Buffer.concat(parts.flatMap((p) => [...p.bytes()]));

test('gunzip of the members gives back the parts in order, for parts of every size', async () => {
  for (let seed = 1; seed <= 12; seed++) {
    const next = random(seed);
    const parts = partsOf(next, Math.floor(next() * 120));
    const members = await gzipMembers(parts, 1);
    assert.ok(gunzipSync(Buffer.concat(members)).equals(textOf(parts)), `seed ${seed}`);
    assert.ok(
      members.every((m) => m.length > 0),
      'an empty part has no member',
    );
  }
  assert.deepEqual(await gzipMembers([], 1), []);
});

test('a part with a slot is compressed once; one without is compressed with every body', async () => {
  const kept = { bytes: () => [SOURCE.subarray(0, 100_000)], slot: new MemberSlot() };
  const fresh = { bytes: () => [SOURCE.subarray(5, 50_000)], slot: null };
  let reads = 0;
  const counted = { bytes: () => (reads++, kept.bytes()), slot: kept.slot };
  const first = await gzipMembers([counted, fresh], 1);
  const second = await gzipMembers([counted, fresh], 1);
  assert.equal(reads, 1, 'the kept part was read once');
  assert.equal(second[0], first[0], 'its member handed out again');
  assert.notEqual(second[1], first[1], 'the part without a slot compressed again');
  assert.ok(gunzipSync(Buffer.concat(second)).equals(textOf([kept, fresh])));
  // A new slot (its bytes changed) is compressed again.
  const renewed = await gzipMembers([{ ...kept, slot: new MemberSlot() }], 1);
  assert.notEqual(renewed[0], first[0]);
});

test('two bodies compressed at once share a member still being made', async () => {
  const slot = new MemberSlot();
  let reads = 0;
  const part = { bytes: () => (reads++, [SOURCE.subarray(0, 1 << 20)]), slot };
  const [a, b] = await Promise.all([gzipMembers([part], 1), gzipMembers([part], 1)]);
  assert.equal(reads, 1);
  assert.equal(a![0], b![0]);
});

test('a failed compression is not kept: the next body compresses the part again', async () => {
  const slot = new MemberSlot();
  const part = { bytes: () => [SOURCE.subarray(0, 1000)], slot };
  // zlib refuses the level: the compression fails.
  await assert.rejects(gzipMembers([part], 99), /level/);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(slot.member, null);
  const members = await gzipMembers([part], 1);
  assert.ok(gunzipSync(members[0]!).equals(SOURCE.subarray(0, 1000)));
});

test("the level is zlib's: a higher one compresses exposition text smaller", async () => {
  const next = random(7);
  const lines = Array.from(
    { length: 20_000 },
    (_, i) =>
      `kms_exchange_seconds{host="kms${i % 97}.site${i}.example",product="p${i % 3}"} ${next()}\n`,
  );
  const text = Buffer.from(lines.join(''));
  const part = () => ({ bytes: () => [text], slot: null });
  const [fast] = await gzipMembers([part()], 1);
  const [best] = await gzipMembers([part()], 9);
  assert.ok(best!.length < fast!.length, `${best!.length} < ${fast!.length}`);
  assert.ok(gunzipSync(best!).equals(text));
});
