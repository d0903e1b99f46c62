// Hostile-input property tests: random, mutated and "validly encrypted garbage" bytes
// into every decoder. The only acceptable failure is a KmsDecodeError (no RangeError from
// an out-of-range read, no TypeError, no huge allocation).
//
// FUZZ_RUNS sets the number of cases per decoder (default 3000 keeps `npm test` fast).
// The dedicated run uses ~100,000 cases in total over the four decoders:
//   FUZZ_RUNS=25000 npm test -- kms/messages/fuzz
// FUZZ_SEED=<n> replays a reported failure with fast-check's seed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  V5_CIPHER,
  V6_CIPHER,
  decryptPadded,
  encryptPadded,
  v4Mac,
} from '../../../src/kms/crypto/index.js';
import { KmsDecodeError } from '../../../src/kms/errors.js';
import {
  baseRequest,
  baseResponse,
  decodeClientResponse,
  decodeServerRequest,
} from '../../../src/kms/messages/index.js';
import { answered } from './vectors.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 3000);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : undefined;
const params = { numRuns: RUNS, ...(SEED !== undefined && { seed: SEED }) };

function onlyDecodeErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof KmsDecodeError)) throw e;
    assert.ok(
      ['malformed', 'decrypt_failed', 'verify_failed', 'mismatch', 'unexpected'].includes(e.reason),
    );
  }
}

/** A captured payload with a few byte edits, then maybe cut or extended. */
function mutated(seeds: Buffer[]): fc.Arbitrary<Buffer> {
  return fc
    .record({
      seed: fc.constantFrom(...seeds),
      edits: fc.array(fc.record({ pos: fc.nat(), value: fc.nat(255) }), {
        minLength: 1,
        maxLength: 4,
      }),
      cut: sometimes(fc.nat()),
      tail: fc.oneof(
        { arbitrary: fc.constant(new Uint8Array(0)), weight: 3 },
        fc.uint8Array({ maxLength: 40 }),
      ),
    })
    .map(({ seed, edits, cut, tail }) => {
      let out = Buffer.from(seed);
      for (const { pos, value } of edits) out[pos % out.length] = value;
      if (cut !== undefined) out = out.subarray(0, cut % (out.length + 1));
      return Buffer.concat([out, tail]);
    });
}

/**
 * Plaintext encrypted under the right key (and a random IV unless one is given):
 * decryption and padding succeed, the content is hostile.
 */
function sealed(
  major: 5 | 6,
  plaintexts: fc.Arbitrary<Uint8Array>,
  fixedIv?: Uint8Array,
): fc.Arbitrary<Buffer> {
  const cipher = major === 5 ? V5_CIPHER : V6_CIPHER;
  const ivs =
    fixedIv !== undefined ? fc.constant(fixedIv) : fc.uint8Array({ minLength: 16, maxLength: 16 });
  return fc
    .tuple(plaintexts, ivs)
    .map(([plain, iv]) =>
      Buffer.concat([Buffer.from([0, 0, major, 0]), iv, encryptPadded(cipher, iv, plain)]),
    );
}

/** Rarely `arb`, mostly undefined: most cases should keep the structure intact. */
function sometimes<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight: 1 });
}

/**
 * Plaintexts near the real layout: a captured plaintext with a few byte edits and, now
 * and then, a different ePID length or a cut. Unedited structure lets cases get past the
 * parser to the echo, hash, XoredIVs and HMAC checks.
 */
function nearPlaintexts(seeds: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const near = fc
    .record({
      seed: fc.constantFrom(...seeds),
      p: sometimes(fc.oneof(fc.nat(140), fc.nat())),
      edits: fc.array(fc.record({ pos: fc.nat(), value: fc.nat(255) }), { maxLength: 3 }),
      cut: sometimes(fc.nat()),
    })
    .map(({ seed, p, edits, cut }) => {
      let out = Buffer.from(seed);
      if (p !== undefined && out.length >= 8) out.writeUInt32LE(p >>> 0, 4);
      for (const { pos, value } of edits) out[pos % out.length] = value;
      if (cut !== undefined) out = out.subarray(0, cut % (out.length + 1));
      return out;
    });
  return fc.oneof(
    { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 1 },
    { arbitrary: near, weight: 4 },
  );
}

const byVersion = (major: number) =>
  answered.filter((x) => x.responseInfo.protocol_major === major);

describe(`fuzz: decoders only throw KmsDecodeError (${RUNS} cases each)`, () => {
  // Each case picks one captured exchange and fuzzes its answer against its own request
  // context, so structurally intact cases get as far as the echo and crypto checks.
  it('client response decoder, v4', () => {
    const xs = byVersion(4);
    const input = fc.nat(xs.length - 1).chain((i) => {
      const response = xs[i]!.response;
      // Re-MAC'd edits reach the echo and length checks behind the MAC.
      const remaced = nearPlaintexts([response.subarray(0, response.length - 16)]).map((base) =>
        Buffer.concat([base, v4Mac(base)]),
      );
      const payload = fc.oneof(
        { arbitrary: fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)), weight: 1 },
        {
          arbitrary: fc
            .uint8Array({ maxLength: 300 })
            .map((b) => Buffer.concat([Buffer.from('00000400', 'hex'), b])),
          weight: 1,
        },
        { arbitrary: mutated([response]), weight: 3 },
        { arbitrary: remaced, weight: 5 },
      );
      return fc.tuple(fc.constant(decodeServerRequest(xs[i]!.request).context), payload);
    });
    fc.assert(
      fc.property(input, ([context, payload]) => {
        onlyDecodeErrors(() => decodeClientResponse(payload, context));
      }),
      params,
    );
  });

  for (const major of [5, 6] as const) {
    it(`client response decoder, v${major}`, () => {
      const xs = byVersion(major);
      const cipher = major === 5 ? V5_CIPHER : V6_CIPHER;
      const input = fc.nat(xs.length - 1).chain((i) => {
        const response = xs[i]!.response;
        const plain = decryptPadded(cipher, response.subarray(4, 20), response.subarray(20));
        const payload = fc.oneof(
          { arbitrary: fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)), weight: 1 },
          {
            arbitrary: fc
              .uint8Array({ maxLength: 300 })
              .map((b) => Buffer.concat([Buffer.from([0, 0, major, 0]), b])),
            weight: 1,
          },
          { arbitrary: mutated([response]), weight: 3 },
          // Same IV for v5 keeps the IV rule satisfied so the hash check is reached.
          {
            arbitrary: sealed(
              major,
              nearPlaintexts([plain]),
              major === 5 ? response.subarray(4, 20) : undefined,
            ),
            weight: 5,
          },
        );
        return fc.tuple(fc.constant(decodeServerRequest(xs[i]!.request).context), payload);
      });
      fc.assert(
        fc.property(input, fc.boolean(), ([context, payload], tolerance) => {
          onlyDecodeErrors(() =>
            decodeClientResponse(payload, context, { hmacSlotTolerance: tolerance }),
          );
        }),
        params,
      );
    });
  }

  it('host request decoder, all versions', () => {
    const requests = answered.map((x) => x.request);
    // A random base request whose inner version agrees with the envelope.
    const body = (major: number): fc.Arbitrary<Buffer> =>
      fc.uint8Array({ minLength: 236, maxLength: 236 }).map((b) => {
        const out = Buffer.from(b);
        out.writeUInt32LE(major << 16, 0);
        return out;
      });
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
      fc
        .tuple(fc.constantFrom(4, 5, 6, 7), fc.nat(1), fc.uint8Array({ maxLength: 300 }))
        .map(([major, minor, b]) => Buffer.concat([Buffer.from([minor, 0, major, 0]), b])),
      mutated(requests),
      // Correctly MAC'd / encrypted bodies: reach the base-request decoder and echo checks.
      body(4).map((b) => Buffer.concat([b, v4Mac(b)])),
      sealed(5, fc.oneof(body(5), body(6), fc.uint8Array({ maxLength: 300 }))),
      sealed(6, fc.oneof(body(6), body(5), fc.uint8Array({ maxLength: 300 }))),
    );
    fc.assert(
      fc.property(input, fc.boolean(), (payload, verifyV4Mac) => {
        onlyDecodeErrors(() => decodeServerRequest(payload, { verifyV4Mac }));
      }),
      params,
    );
  });

  it('field codecs at arbitrary offsets', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: -5, max: 310 }),
        (bytes, offset) => {
          onlyDecodeErrors(() => baseRequest.decode(bytes, offset));
          onlyDecodeErrors(() => baseResponse.decode(bytes, offset));
        },
      ),
      { ...params, numRuns: Math.max(100, Math.floor(RUNS / 10)) },
    );
  });
});
