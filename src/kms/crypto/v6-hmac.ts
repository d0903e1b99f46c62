/**
 * v6 response HMAC (docs/protocol.md §4.3): the key comes from the ~4.1-hour time slot of the echoed
 * client FILETIME, and only the upper half of HMAC-SHA256 is transmitted.
 *
 * Every response of a slot uses the same key, so the key and its HMAC pads are derived once
 * per slot ({@link v6SlotHmac}); the MAC itself is two one-shot SHA-256 calls over
 * pad ‖ message (RFC 2104) assembled in one scratch buffer, which costs less than a
 * createHmac object per message (docs/performance.md, KMS client CPU).
 */
import { hash } from 'node:crypto';
import { DIGEST_TEXT, bytesEqualText, sha256Text } from './digest-text.js';
import { BoundedCache } from '../../util/bounded-cache.js';

const C1 = 0x00000022816889bdn;
const C2 = 0x000000208cbab5edn;
const C3 = 0x3156cd5ac628477an;
/** SHA-256 block size: HMAC pads the key to this length (RFC 2104). */
const SHA256_BLOCK = 64;

/** floor(T / C1): the slot a FILETIME falls into. */
export function v6TimeSlot(filetime: bigint): bigint {
  return filetime / C1;
}

/** The 64-bit seed for a slot (wraps modulo 2^64 like the reference implementations). */
export function v6HmacSeed(slot: bigint): bigint {
  return BigInt.asUintN(64, slot * C2 + C3);
}

function keyOfSlot(slot: bigint): Buffer {
  const seed = Buffer.allocUnsafe(8);
  seed.writeBigUInt64LE(v6HmacSeed(slot));
  return hash('sha256', seed, 'buffer').subarray(16, 32);
}

/**
 * HMAC key for the slot of `filetime`, shifted by `slotOffset` slots (0 normally; ±1 for
 * the tolerance vlmcs applies to hosts whose slot differs by one).
 */
export function v6HmacKey(filetime: bigint, slotOffset = 0): Buffer {
  return keyOfSlot(v6TimeSlot(filetime) + BigInt(slotOffset));
}

/** The key XORed into a 64-byte block with `pad` (0x36 inner, 0x5c outer). */
function padded(key: Uint8Array, pad: number): Buffer {
  const block = Buffer.alloc(SHA256_BLOCK, pad);
  for (let i = 0; i < key.length; i++) block[i] = key[i]! ^ pad;
  return block;
}

interface HmacPads {
  inner: Buffer;
  /** The outer pad followed by room for the inner digest (64 + 32 bytes). */
  outer: Buffer;
}

/** Upper bound of a v6 HMAC message (D(IV) ‖ base response with a 128-byte ePID ‖ tail). */
const SCRATCH_MESSAGE = 512;
/** The inner pad ‖ message, assembled here; the MAC runs synchronously, so one buffer serves. */
const scratch = Buffer.alloc(SHA256_BLOCK + SCRATCH_MESSAGE);

/** Bytes 16…31 of the HMAC as 16 latin1 characters. */
function hmacText(pads: HmacPads, parts: readonly Uint8Array[]): string {
  let length = SHA256_BLOCK;
  for (const part of parts) length += part.length;
  let message: Buffer;
  if (length <= scratch.length) {
    pads.inner.copy(scratch, 0);
    let p = SHA256_BLOCK;
    for (const part of parts) {
      scratch.set(part, p);
      p += part.length;
    }
    message = scratch.subarray(0, length);
  } else {
    message = Buffer.concat([pads.inner, ...parts]);
  }
  // Digests as text (digest-text.ts): the inner one goes straight into the outer block.
  pads.outer.write(sha256Text(message), SHA256_BLOCK, DIGEST_TEXT);
  return sha256Text(pads.outer).slice(16);
}

function hmacWithPads(pads: HmacPads, parts: readonly Uint8Array[]): Buffer {
  return Buffer.from(hmacText(pads, parts), DIGEST_TEXT);
}

function padsOf(key: Uint8Array): HmacPads {
  if (key.length > SHA256_BLOCK) throw new RangeError(`HMAC key over ${SHA256_BLOCK} bytes`);
  const outer = Buffer.alloc(SHA256_BLOCK + 32);
  padded(key, 0x5c).copy(outer, 0);
  return { inner: padded(key, 0x36), outer };
}

/** Bytes 16…31 of HMAC-SHA256(key, concatenation of parts). */
export function v6Hmac(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  return hmacWithPads(padsOf(key), parts);
}

/** Pads by slot. A probe round touches one slot (two around a slot boundary, three with
 * the ±1 tolerance); bounded so a host fed arbitrary client times cannot grow it. */
const PADS_BY_SLOT = new BoundedCache<bigint, HmacPads>(16);

function slotPads(filetime: bigint, slotOffset: number): HmacPads {
  const slot = v6TimeSlot(filetime) + BigInt(slotOffset);
  return PADS_BY_SLOT.get(slot) ?? PADS_BY_SLOT.add(slot, padsOf(keyOfSlot(slot)));
}

/** {@link v6Hmac} with the key of `filetime`'s slot shifted by `slotOffset`. */
export function v6SlotHmac(
  filetime: bigint,
  slotOffset: number,
  parts: readonly Uint8Array[],
): Buffer {
  return hmacWithPads(slotPads(filetime, slotOffset), parts);
}

/**
 * Whether the 16 bytes of `received` at `at` are {@link v6SlotHmac}'s MAC, compared
 * without building it as a buffer (every byte looked at, as bytesEqual does).
 */
export function v6SlotHmacMatches(
  filetime: bigint,
  slotOffset: number,
  parts: readonly Uint8Array[],
  received: Uint8Array,
  at: number,
): boolean {
  return bytesEqualText(received, at, hmacText(slotPads(filetime, slotOffset), parts));
}
