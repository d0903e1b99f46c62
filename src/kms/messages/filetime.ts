/**
 * FILETIME: unsigned 64-bit count of 100 ns ticks since 1601-01-01T00:00Z, little-endian
 * on the wire. Kept as bigint because current values (~1.3e17) exceed 2^53.
 */
import { requireBytes } from '../errors.js';
import { asBuffer } from './bytes.js';

/** FILETIME of the Unix epoch: 11 644 473 600 s × 10^7. */
export const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;
const TICKS_PER_MS = 10_000n;
const U64_MAX = 0xffff_ffff_ffff_ffffn;

export function filetimeFromDate(date: Date): bigint {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid Date');
  const ft = BigInt(ms) * TICKS_PER_MS + FILETIME_UNIX_EPOCH;
  if (ft < 0n || ft > U64_MAX) throw new RangeError(`date ${date.toISOString()} has no FILETIME`);
  return ft;
}

/** Millisecond precision (sub-millisecond ticks are truncated). Every u64 fits a Date. */
export function filetimeToDate(filetime: bigint): Date {
  return new Date(Number((filetime - FILETIME_UNIX_EPOCH) / TICKS_PER_MS));
}

export function filetimeNow(): bigint {
  return filetimeFromDate(new Date());
}

export const filetime = {
  encodingLength(): number {
    return 8;
  },
  encode(value: bigint, buf: Buffer = Buffer.alloc(8), offset = 0): Buffer {
    if (value < 0n || value > U64_MAX) throw new RangeError(`FILETIME out of range: ${value}`);
    buf.writeBigUInt64LE(value, offset);
    return buf;
  },
  decode(buf: Uint8Array, offset = 0): bigint {
    requireBytes(buf, offset, 8, 'FILETIME');
    return asBuffer(buf).readBigUInt64LE(offset);
  },
};
