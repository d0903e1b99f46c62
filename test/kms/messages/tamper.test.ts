// Integrity: any single-byte change, truncation or extension of a captured answer must
// be rejected, and each kind of targeted forgery must fail with the right reason.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  V5_CIPHER,
  V6_CIPHER,
  decryptPadded,
  encryptPadded,
  v6Hmac,
  v6HmacKey,
} from '../../../src/kms/crypto/index.js';
import { KmsDecodeError } from '../../../src/kms/errors.js';
import type { KmsDecodeReason } from '../../../src/kms/errors.js';
import { decodeClientResponse, decodeServerRequest } from '../../../src/kms/messages/index.js';
import type { RequestContext } from '../../../src/kms/messages/index.js';
import { answered } from './vectors.js';

// Low bit, high bit, whole byte: covers flips that keep a byte ASCII and ones that do not.
const MASKS = [0x01, 0x80, 0xff];

function reasonOf(fn: () => unknown): KmsDecodeReason | 'accepted' {
  try {
    fn();
    return 'accepted';
  } catch (e) {
    if (e instanceof KmsDecodeError) return e.reason;
    throw e;
  }
}

function pick(major: number): { payload: Buffer; context: RequestContext } {
  const x = answered.find((e) => e.responseInfo.protocol_major === major)!;
  return { payload: x.response, context: decodeServerRequest(x.request).context };
}

/** Decrypts a v5/v6 answer, lets `edit` change the plaintext, encrypts it again. */
function reseal(payload: Buffer, edit: (plain: Buffer) => Buffer): Buffer {
  const cipher = payload[2] === 5 ? V5_CIPHER : V6_CIPHER;
  const iv = payload.subarray(4, 20);
  const plain = edit(Buffer.from(decryptPadded(cipher, iv, payload.subarray(20))));
  return Buffer.concat([payload.subarray(0, 20), encryptPadded(cipher, iv, plain)]);
}

/** Recomputes the v6 HMAC over an edited plaintext (what a forger with the keys could do). */
function rehmac(payload: Buffer, plain: Buffer, slotOffset = 0): Buffer {
  const p = plain.readUInt32LE(4);
  const b = 44 + p;
  const time = plain.readBigUInt64LE(8 + p + 16);
  const mac = v6Hmac(
    v6HmacKey(time, slotOffset),
    V6_CIPHER.decryptBlock(payload.subarray(4, 20)),
    plain.subarray(0, b + 72),
  );
  mac.copy(plain, b + 72);
  return plain;
}

describe('every single-byte change of every captured answer is rejected', () => {
  for (const x of answered) {
    it(`${x.name} (${x.response.length} bytes × ${MASKS.length} masks)`, () => {
      const { context } = decodeServerRequest(x.request);
      assert.equal(
        reasonOf(() => decodeClientResponse(x.response, context)),
        'accepted',
      );
      const seen = new Set<string>();
      for (let pos = 0; pos < x.response.length; pos++) {
        for (const mask of MASKS) {
          const bad = Buffer.from(x.response);
          bad[pos]! ^= mask;
          const reason = reasonOf(() => decodeClientResponse(bad, context));
          assert.notEqual(reason, 'accepted', `byte ${pos} ^ 0x${mask.toString(16)} was accepted`);
          seen.add(reason);
        }
      }
      assert.ok(seen.size >= 2, `only ${[...seen].join()} seen`);
    });

    it(`${x.name}: every truncation and some extensions are rejected`, () => {
      const { context } = decodeServerRequest(x.request);
      for (let n = 0; n < x.response.length; n++) {
        assert.notEqual(
          reasonOf(() => decodeClientResponse(x.response.subarray(0, n), context)),
          'accepted',
          `length ${n}`,
        );
      }
      for (const extra of [1, 15, 16, 17, 32]) {
        const longer = Buffer.concat([x.response, Buffer.alloc(extra, extra)]);
        assert.notEqual(
          reasonOf(() => decodeClientResponse(longer, context)),
          'accepted',
          `+${extra}`,
        );
      }
    });
  }
});

describe('targeted forgeries fail with the right reason', () => {
  it('v4: version → mismatch, ePID length → malformed, CMID/time → mismatch, count/MAC → verify_failed', () => {
    const { payload, context } = pick(4);
    const p = payload.readUInt32LE(4);
    const flip = (pos: number, mask = 1): KmsDecodeReason | 'accepted' => {
      const bad = Buffer.from(payload);
      bad[pos]! ^= mask;
      return reasonOf(() => decodeClientResponse(bad, context));
    };
    assert.equal(flip(2), 'mismatch');
    assert.equal(flip(4), 'malformed'); // P odd
    assert.equal(flip(4, 0x80), 'malformed'); // P > 128
    assert.equal(flip(8 + p - 2), 'malformed'); // terminator not NUL
    assert.equal(flip(8 + p), 'mismatch'); // CMID
    assert.equal(flip(8 + p + 16), 'mismatch'); // client time
    assert.equal(flip(8 + p + 24), 'verify_failed'); // count
    assert.equal(flip(payload.length - 1), 'verify_failed'); // MAC
    assert.equal(
      reasonOf(() => decodeClientResponse(Buffer.concat([payload, Buffer.alloc(1)]), context)),
      'malformed',
    );
  });

  it('v5/v6: bad ciphertext length or padding → decrypt_failed', () => {
    for (const major of [5, 6]) {
      const { payload, context } = pick(major);
      const last = Buffer.from(payload);
      last[last.length - 1]! ^= 0x55;
      assert.equal(
        reasonOf(() => decodeClientResponse(last, context)),
        'decrypt_failed',
      );
      assert.equal(
        reasonOf(() => decodeClientResponse(payload.subarray(0, payload.length - 3), context)),
        'decrypt_failed',
      );
      assert.equal(
        reasonOf(() => decodeClientResponse(payload.subarray(0, 20), context)),
        'decrypt_failed',
      );
      assert.equal(
        reasonOf(() => decodeClientResponse(payload.subarray(0, 19), context)),
        'malformed',
      );
    }
  });

  it('v5: hash or IV rule broken → verify_failed; extra plaintext → malformed', () => {
    const { payload, context } = pick(5);
    const hashBad = reseal(payload, (plain) => {
      plain[plain.length - 1]! ^= 1; // last byte of Hash
      return plain;
    });
    assert.equal(
      reasonOf(() => decodeClientResponse(hashBad, context)),
      'verify_failed',
    );
    const rxiBad = reseal(payload, (plain) => {
      plain[44 + plain.readUInt32LE(4)]! ^= 1; // RandomXoredIVs
      return plain;
    });
    assert.equal(
      reasonOf(() => decodeClientResponse(rxiBad, context)),
      'verify_failed',
    );
    const extra = reseal(payload, (plain) => Buffer.concat([plain, Buffer.from([0])]));
    assert.equal(
      reasonOf(() => decodeClientResponse(extra, context)),
      'malformed',
    );
    // Same plaintext under a different IV: the first block changes too, so re-encrypt fully.
    const otherIv = Buffer.alloc(16, 7);
    const plain = decryptPadded(V5_CIPHER, payload.subarray(4, 20), payload.subarray(20));
    const moved = Buffer.concat([
      payload.subarray(0, 4),
      otherIv,
      encryptPadded(V5_CIPHER, otherIv, plain),
    ]);
    assert.equal(
      reasonOf(() => decodeClientResponse(moved, context)),
      'verify_failed',
    );
  });

  it('v5: the count is not authenticated by the protocol (only CBC garbling protects it)', () => {
    // Documented limitation: a party holding the public v5 key can change the count.
    const { payload, context } = pick(5);
    const forged = reseal(payload, (plain) => {
      plain.writeUInt32LE(9999, 8 + plain.readUInt32LE(4) + 24);
      return plain;
    });
    assert.equal(decodeClientResponse(forged, context).activeClients, 9999);
  });

  it('v6: count, XoredIVs or HMAC changed → verify_failed; re-MACed count passes', () => {
    const { payload, context } = pick(6);
    const countBad = reseal(payload, (plain) => {
      plain.writeUInt32LE(9999, 8 + plain.readUInt32LE(4) + 24);
      return plain;
    });
    assert.equal(
      reasonOf(() => decodeClientResponse(countBad, context)),
      'verify_failed',
    );
    const xoredBad = reseal(payload, (plain) => {
      plain[44 + plain.readUInt32LE(4) + 56]! ^= 1;
      return rehmac(payload, plain);
    });
    assert.equal(
      reasonOf(() => decodeClientResponse(xoredBad, context)),
      'verify_failed',
    );
    const remaced = reseal(payload, (plain) => {
      plain.writeUInt32LE(9999, 8 + plain.readUInt32LE(4) + 24);
      return rehmac(payload, plain);
    });
    assert.equal(decodeClientResponse(remaced, context).activeClients, 9999);
  });

  it('v6: HMAC from the neighbouring slot needs the tolerance option and is flagged', () => {
    const { payload, context } = pick(6);
    for (const offset of [-1, 1]) {
      const shifted = reseal(payload, (plain) => rehmac(payload, plain, offset));
      assert.equal(
        reasonOf(() => decodeClientResponse(shifted, context)),
        'verify_failed',
      );
      const r = decodeClientResponse(shifted, context, { hmacSlotTolerance: true });
      assert.deepEqual(r.warnings, ['hmac_adjacent_time_slot']);
    }
    const far = reseal(payload, (plain) => rehmac(payload, plain, 2));
    assert.equal(
      reasonOf(() => decodeClientResponse(far, context, { hmacSlotTolerance: true })),
      'verify_failed',
    );
  });

  it('ePID rules: embedded NUL, non-ASCII → malformed; odd format → warning only', () => {
    const { payload, context } = pick(6);
    const withEpid = (units: number[]): Buffer =>
      reseal(payload, (plain) => {
        const p = plain.readUInt32LE(4);
        const rest = plain.subarray(8 + p);
        const epid = Buffer.alloc(units.length * 2);
        units.forEach((u, i) => epid.writeUInt16LE(u, 2 * i));
        const head = Buffer.alloc(8);
        plain.copy(head, 0, 0, 4);
        head.writeUInt32LE(epid.length, 4);
        return rehmac(payload, Buffer.concat([head, epid, rest]));
      });
    const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
    assert.equal(
      reasonOf(() =>
        decodeClientResponse(withEpid([...ascii('12'), 0, ...ascii('3'), 0]), context),
      ),
      'malformed',
    );
    assert.equal(
      reasonOf(() => decodeClientResponse(withEpid([...ascii('12'), 0x263a, 0]), context)),
      'malformed',
    );
    assert.equal(
      reasonOf(() => decodeClientResponse(withEpid(ascii('12')), context)),
      'malformed',
    ); // no NUL
    const odd = decodeClientResponse(withEpid([...ascii('not-an-epid'), 0]), context);
    assert.equal(odd.epid, 'not-an-epid');
    assert.deepEqual(odd.warnings, ['epid_nonstandard_format']);
  });

  it('a response to another request (different CMID/time/IV) is rejected', () => {
    const v6 = answered.filter((x) => x.responseInfo.protocol_major === 6);
    const a = v6[0]!;
    const b = v6.find((x) => !x.request.equals(a.request))!;
    const ctx = decodeServerRequest(b.request).context;
    assert.notEqual(
      reasonOf(() => decodeClientResponse(a.response, ctx)),
      'accepted',
    );
    // Same CMID and time but another IV: the hash check catches it.
    const sameEcho = {
      ...decodeServerRequest(a.request).context,
      decryptedRequestIv: Buffer.alloc(16),
    };
    assert.equal(
      reasonOf(() => decodeClientResponse(a.response, sameEcho)),
      'verify_failed',
    );
  });
});
