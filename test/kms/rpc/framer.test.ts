// RpcFramer against every captured connection: each direction's PDUs concatenated, fed in
// random split sizes (seeded, reproducible) and fully coalesced, must come out as the
// original PDUs; a bad frag_length stops the framer once and for good.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KmsDecodeError } from '../../../src/kms/errors.js';
import { DEFAULT_MAX_PDU_SIZE, RpcFramer, buildNdr32Bind } from '../../../src/kms/rpc/index.js';
import { allPdus, hex } from './vectors.js';

interface Stream {
  name: string;
  pdus: string[];
}

function streams(): Stream[] {
  const byKey = new Map<string, string[]>();
  for (const p of allPdus()) {
    const key = `${p.file} run ${p.run} ${p.direction}`;
    const list = byKey.get(key) ?? [];
    list.push(p.hex);
    byKey.set(key, list);
  }
  return [...byKey].map(([name, pdus]) => ({ name, pdus }));
}

function feed(framer: RpcFramer, whole: Buffer, sizes: number[]): string[] {
  const out: string[] = [];
  let pos = 0;
  let i = 0;
  while (pos < whole.length) {
    const size =
      sizes.length === 0 ? whole.length : Math.max(1, sizes[i++ % sizes.length] as number);
    for (const pdu of framer.push(whole.subarray(pos, pos + size))) out.push(hex(pdu));
    pos += size;
  }
  return out;
}

function isMalformed(e: unknown): boolean {
  return e instanceof KmsDecodeError && e.reason === 'malformed';
}

const all = streams();

describe('RpcFramer', () => {
  it('finds client and server streams in the captures', () => {
    assert.ok(all.length >= 60, `${all.length} streams`);
  });

  it('cuts every stream fed as one coalesced chunk', () => {
    for (const s of all) {
      const framer = new RpcFramer();
      assert.deepEqual(feed(framer, Buffer.from(s.pdus.join(''), 'hex'), []), s.pdus, s.name);
      assert.equal(framer.bufferedBytes, 0);
    }
  });

  it('cuts every stream fed byte by byte', () => {
    for (const s of all) {
      assert.deepEqual(
        feed(new RpcFramer(), Buffer.from(s.pdus.join(''), 'hex'), [1]),
        s.pdus,
        s.name,
      );
    }
  });

  it('cuts every stream fed in random split sizes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...all),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 20 }),
        (s, sizes) => {
          const got = feed(new RpcFramer(), Buffer.from(s.pdus.join(''), 'hex'), sizes);
          assert.deepEqual(got, s.pdus);
        },
      ),
      { numRuns: 500, seed: 1688 },
    );
  });

  it('returns each PDU in a buffer of its own', () => {
    const one = buildNdr32Bind();
    const input = Buffer.concat([one, one]);
    const [a, b] = new RpcFramer().push(input);
    assert.ok(a && b);
    input.fill(0);
    a.fill(0);
    assert.equal(hex(b), hex(one));
  });

  it('holds a partial PDU until the rest arrives', () => {
    const framer = new RpcFramer();
    const bind = buildNdr32Bind();
    assert.deepEqual(framer.push(bind.subarray(0, 9)), []);
    assert.equal(framer.bufferedBytes, 9);
    assert.deepEqual(framer.push(bind.subarray(9, 40)), []);
    assert.equal(framer.bufferedBytes, 40);
    assert.deepEqual(framer.push(bind.subarray(40)).map(hex), [hex(bind)]);
    assert.equal(framer.bufferedBytes, 0);
  });

  it('rejects an oversized frag_length once, then refuses all input', () => {
    const framer = new RpcFramer();
    const big = Buffer.from(buildNdr32Bind());
    big.writeUInt16LE(DEFAULT_MAX_PDU_SIZE + 1, 8);
    assert.throws(() => framer.push(big), isMalformed);
    assert.ok(framer.error);
    assert.deepEqual(framer.push(buildNdr32Bind()), []);
    assert.equal(framer.bufferedBytes, 0);
  });

  it('rejects a frag_length below the header size', () => {
    for (const len of [0, 1, 15]) {
      const bad = Buffer.from(buildNdr32Bind());
      bad.writeUInt16LE(len, 8);
      assert.throws(() => new RpcFramer().push(bad), isMalformed, `frag_length ${len}`);
    }
  });

  it('accepts exactly the maximum and honours a custom maximum', () => {
    const framer = new RpcFramer({ maxPduSize: 100 });
    const ok = Buffer.alloc(100);
    ok.writeUInt16LE(100, 8);
    assert.equal(framer.push(ok).length, 1);
    const over = Buffer.alloc(101);
    over.writeUInt16LE(101, 8);
    assert.throws(() => framer.push(over), isMalformed);
    assert.throws(() => new RpcFramer({ maxPduSize: 15 }), RangeError);
    assert.throws(() => new RpcFramer({ maxPduSize: 70000 }), RangeError);
  });

  it('delivers the PDUs before a bad header only if they came in an earlier push', () => {
    const framer = new RpcFramer();
    const good = buildNdr32Bind();
    const bad = Buffer.from(good);
    bad.writeUInt16LE(0xffff, 8);
    assert.equal(framer.push(good).length, 1);
    assert.throws(() => framer.push(bad), isMalformed);
  });
});
