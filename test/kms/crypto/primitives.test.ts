// Every entry of test/vectors/crypto-primitives.json, plus cross-checks of the table-driven
// core against node:crypto where Node can compute the same thing (standard AES-128).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  V4_KEY,
  V4_ROUND_KEYS,
  V5_CIPHER,
  V5_KEY,
  V5_ROUND_KEYS,
  V6_CIPHER,
  V6_KEY,
  V6_ROUND_KEYS,
  cbcDecrypt,
  cbcEncrypt,
  decryptBlock,
  encryptBlock,
  expandKey,
  roundKeys,
  v4Mac,
  v6Hmac,
  v6HmacKey,
  v6SlotHmac,
  v6SlotHmacMatches,
  v6HmacSeed,
  v6Schedule,
  v6TimeSlot,
} from '../../../src/kms/crypto/index.js';
import type { RoundKeys } from '../../../src/kms/crypto/index.js';
import { VECTORS_URL } from '../../helpers/vectors.js';

interface Primitives {
  keys: Record<string, string>;
  v6_round_key_tweak: { expanded_key_standard_hex: string; expanded_key_tweaked_hex: string };
  v4_expanded_key_hex: string;
  v4_rounds: number;
  block_encryptions: { cipher: string; plaintext_hex: string; ciphertext_hex: string }[];
  v4_mac: { message_hex: string; message_len?: number; mac_hex: string }[];
  v6_hmac_key: {
    client_time_utc: string;
    quotient_ft_div_c1: number;
    seed_u64: number;
    seed_le_hex: string;
    sha256_of_seed_hex: string;
    hmac_key_hex: string;
  };
}

const prim = JSON.parse(
  readFileSync(new URL('crypto-primitives.json', VECTORS_URL), 'utf8'),
) as Primitives;
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

function keysFor(cipher: string): RoundKeys {
  if (cipher.startsWith('v4')) return V4_ROUND_KEYS;
  if (cipher.startsWith('v5')) return V5_ROUND_KEYS;
  if (cipher.includes('WITHOUT')) return roundKeys(V6_KEY);
  if (cipher.startsWith('v6')) return V6_ROUND_KEYS;
  throw new Error(`unknown cipher in vectors: ${cipher}`);
}

describe('crypto-primitives.json', () => {
  it('keys match the module constants', () => {
    assert.equal(V4_KEY.toString('hex'), prim.keys.v4_rijndael160_key_hex);
    assert.equal(V5_KEY.toString('hex'), prim.keys.v5_aes128_key_hex);
    assert.equal(V6_KEY.toString('hex'), prim.keys.v6_aes128_key_hex);
  });

  it('v6 standard and tweaked schedules', () => {
    assert.equal(
      expandKey(V6_KEY).toString('hex'),
      prim.v6_round_key_tweak.expanded_key_standard_hex,
    );
    assert.equal(v6Schedule().toString('hex'), prim.v6_round_key_tweak.expanded_key_tweaked_hex);
  });

  it('v4 160-bit schedule has 48 words and 11 rounds', () => {
    const schedule = expandKey(V4_KEY);
    assert.equal(schedule.length, 192);
    assert.equal(schedule.toString('hex'), prim.v4_expanded_key_hex);
    assert.equal(V4_ROUND_KEYS.rounds, prim.v4_rounds);
  });

  for (const [i, v] of prim.block_encryptions.entries()) {
    it(`block encryption #${i}: ${v.cipher}`, () => {
      const keys = keysFor(v.cipher);
      const out = Buffer.alloc(16);
      encryptBlock(keys, hex(v.plaintext_hex), 0, out, 0);
      assert.equal(out.toString('hex'), v.ciphertext_hex);
      const back = Buffer.alloc(16);
      decryptBlock(keys, out, 0, back, 0);
      assert.equal(back.toString('hex'), v.plaintext_hex);
    });
  }

  for (const [i, v] of prim.v4_mac.entries()) {
    it(`V4MAC #${i} (${v.message_len ?? v.message_hex.length / 2} bytes)`, () => {
      const message =
        v.message_len !== undefined
          ? Buffer.from(Array.from({ length: v.message_len }, (_, j) => j))
          : hex(v.message_hex);
      assert.equal(v4Mac(message).toString('hex'), v.mac_hex);
    });
  }

  it('v6 HMAC key derivation, step by step', () => {
    const h = prim.v6_hmac_key;
    const ft = BigInt(Date.parse(h.client_time_utc)) * 10_000n + 116_444_736_000_000_000n;
    const slot = v6TimeSlot(ft);
    assert.equal(slot, BigInt(h.quotient_ft_div_c1));
    const seed = v6HmacSeed(slot);
    const seedLe = Buffer.alloc(8);
    seedLe.writeBigUInt64LE(seed);
    assert.equal(seedLe.toString('hex'), h.seed_le_hex);
    assert.equal(h.sha256_of_seed_hex.slice(32), h.hmac_key_hex);
    assert.equal(v6HmacKey(ft).toString('hex'), h.hmac_key_hex);
  });
});

describe('Rijndael core', () => {
  it('AES-128 agrees with node:crypto ECB on random keys and blocks', () => {
    for (let n = 0; n < 200; n++) {
      const key = randomBytes(16);
      const block = randomBytes(16);
      const node = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false).update(block);
      const ours = Buffer.alloc(16);
      encryptBlock(roundKeys(key), block, 0, ours, 0);
      assert.deepEqual(ours, node);
    }
  });

  it('AES-192 and AES-256 agree with node:crypto (general Nk path)', () => {
    for (const size of [24, 32]) {
      for (let n = 0; n < 50; n++) {
        const key = randomBytes(size);
        const block = randomBytes(16);
        const node = createCipheriv(`aes-${size * 8}-ecb`, key, null)
          .setAutoPadding(false)
          .update(block);
        const ours = Buffer.alloc(16);
        encryptBlock(roundKeys(key), block, 0, ours, 0);
        assert.deepEqual(ours, node);
        decryptBlock(roundKeys(key), ours, 0, ours, 0);
        assert.deepEqual(ours, block);
      }
    }
  });

  it('decrypt inverts encrypt in place for v4, v5 and v6 keys', () => {
    for (const keys of [V4_ROUND_KEYS, V5_ROUND_KEYS, V6_ROUND_KEYS]) {
      const block = randomBytes(48);
      const copy = Buffer.from(block);
      encryptBlock(keys, block, 16, block, 16);
      assert.notDeepEqual(block, copy);
      decryptBlock(keys, block, 16, block, 16);
      assert.deepEqual(block, copy);
    }
  });

  it('rejects key sizes Rijndael does not define', () => {
    assert.throws(() => expandKey(Buffer.alloc(15)), RangeError);
    assert.throws(() => expandKey(Buffer.alloc(36)), RangeError);
  });

  it('CBC over the core equals node:crypto aes-128-cbc for the v5 key', () => {
    const iv = randomBytes(16);
    const data = randomBytes(240);
    const viaNode = (make: typeof createCipheriv | typeof createDecipheriv): Buffer => {
      const c = make('aes-128-cbc', V5_KEY, iv).setAutoPadding(false);
      return Buffer.concat([c.update(data), c.final()]);
    };
    assert.deepEqual(cbcEncrypt(V5_ROUND_KEYS, iv, data), viaNode(createCipheriv));
    assert.deepEqual(cbcDecrypt(V5_ROUND_KEYS, iv, data), viaNode(createDecipheriv));
    // The v5 cipher the messages use is that core.
    assert.deepEqual(V5_CIPHER.encryptCbc(iv, data), viaNode(createCipheriv));
    assert.deepEqual(V5_CIPHER.decryptCbc(iv, data), viaNode(createDecipheriv));
  });

  it('v6 CBC round-trips and single-block D inverts E', () => {
    const iv = randomBytes(16);
    const data = randomBytes(240);
    assert.deepEqual(V6_CIPHER.decryptCbc(iv, V6_CIPHER.encryptCbc(iv, data)), data);
    const block = randomBytes(16);
    assert.deepEqual(V6_CIPHER.decryptBlock(V6_CIPHER.encryptBlock(block)), block);
    assert.deepEqual(V5_CIPHER.decryptBlock(V5_CIPHER.encryptBlock(block)), block);
  });

  it('docs/protocol.md §4.3 worked value: D(000102…0f) under the v6 schedule', () => {
    const iv = hex('000102030405060708090a0b0c0d0e0f');
    assert.equal(V6_CIPHER.decryptBlock(iv).toString('hex'), '7c49a81964119e65c24b99a098afe453');
  });

  it('v6 HMAC: truncation to bytes 16…31 and the slot offset', () => {
    const key = v6HmacKey(133814160000000000n);
    const mac = v6Hmac(key, Buffer.from('ab'), Buffer.from('cd'));
    assert.equal(mac.length, 16);
    assert.deepEqual(mac, v6Hmac(key, Buffer.from('abcd')));
    // One slot later is the same as asking for offset +1.
    const c1 = 0x22816889bdn;
    assert.deepEqual(v6HmacKey(133814160000000000n + c1), v6HmacKey(133814160000000000n, 1));
    assert.notDeepEqual(v6HmacKey(133814160000000000n, -1), key);
  });

  it('v6 HMAC equals node:crypto HMAC-SHA256 (upper half), per key and per cached slot', () => {
    for (const t of [133814160000000000n, 133814160000000000n + 0x22816889bdn, 0n]) {
      for (const offset of [0, -1, 1]) {
        const key = v6HmacKey(t, offset);
        const parts = [randomBytes(16), randomBytes(200)];
        const want = createHmac('sha256', key).update(Buffer.concat(parts)).digest().subarray(16);
        assert.deepEqual(v6Hmac(key, ...parts), want);
        // Twice: the first call derives and caches the slot's pads, the second reuses them.
        assert.deepEqual(v6SlotHmac(t, offset, parts), want);
        assert.deepEqual(v6SlotHmac(t, offset, parts), want);
      }
    }
  });

  it('v6 HMAC: messages past the scratch buffer, and the in-place comparison', () => {
    const t = 133814160000000000n;
    const key = v6HmacKey(t);
    for (const size of [0, 1, 511, 512, 513, 2000]) {
      const parts = [randomBytes(16), randomBytes(size)];
      const want = createHmac('sha256', key).update(Buffer.concat(parts)).digest().subarray(16);
      assert.deepEqual(v6SlotHmac(t, 0, parts), want, `message of ${16 + size} bytes`);
      // The MAC somewhere inside a longer buffer, as it sits in a decrypted response.
      const holder = Buffer.concat([randomBytes(7), want, randomBytes(3)]);
      assert.equal(v6SlotHmacMatches(t, 0, parts, holder, 7), true);
      assert.equal(v6SlotHmacMatches(t, 1, parts, holder, 7), false, 'other slot');
      assert.equal(v6SlotHmacMatches(t, 0, parts, holder, 6), false, 'shifted');
      assert.equal(v6SlotHmacMatches(t, 0, parts, holder, 12), false, 'past the end');
      for (const i of [0, 15]) {
        const bad = Buffer.from(holder);
        bad[7 + i]! ^= 1;
        assert.equal(v6SlotHmacMatches(t, 0, parts, bad, 7), false, `byte ${i} flipped`);
      }
    }
  });
});
