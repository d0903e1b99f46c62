/**
 * v6 response HMAC (docs/protocol.md §4.3): the key comes from the ~4.1-hour time slot of the echoed
 * client FILETIME, and only the upper half of HMAC-SHA256 is transmitted.
 */
import { createHash, createHmac } from 'node:crypto';

const C1 = 0x00000022816889bdn;
const C2 = 0x000000208cbab5edn;
const C3 = 0x3156cd5ac628477an;

/** floor(T / C1): the slot a FILETIME falls into. */
export function v6TimeSlot(filetime: bigint): bigint {
  return filetime / C1;
}

/** The 64-bit seed for a slot (wraps modulo 2^64 like the reference implementations). */
export function v6HmacSeed(slot: bigint): bigint {
  return BigInt.asUintN(64, slot * C2 + C3);
}

/**
 * HMAC key for the slot of `filetime`, shifted by `slotOffset` slots (0 normally; ±1 for
 * the tolerance vlmcs applies to hosts whose slot differs by one).
 */
export function v6HmacKey(filetime: bigint, slotOffset = 0): Buffer {
  const seed = Buffer.allocUnsafe(8);
  seed.writeBigUInt64LE(v6HmacSeed(v6TimeSlot(filetime) + BigInt(slotOffset)));
  return createHash('sha256').update(seed).digest().subarray(16, 32);
}

/** Bytes 16…31 of HMAC-SHA256(key, concatenation of parts). */
export function v6Hmac(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest().subarray(16, 32);
}
