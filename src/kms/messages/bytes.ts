/** Small byte helpers shared by the codecs. */
import { KmsDecodeError, requireBytes } from '../errors.js';
import type { KmsVersion } from './types.js';

/** A Buffer view of any Uint8Array (no copy), for the little-endian read helpers. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** XOR of two equally long byte strings into a new buffer. */
export function xorBytes(a: Uint8Array, b: Uint8Array): Buffer {
  if (a.length !== b.length) throw new RangeError(`xor of ${a.length} and ${b.length} bytes`);
  const out = Buffer.allocUnsafe(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

export function readVersion(buf: Uint8Array, offset: number, what: string): KmsVersion {
  requireBytes(buf, offset, 4, what);
  const b = asBuffer(buf);
  return { minor: b.readUInt16LE(offset), major: b.readUInt16LE(offset + 2) };
}

export function writeVersion(buf: Buffer, offset: number, version: KmsVersion): void {
  buf.writeUInt16LE(version.minor, offset);
  buf.writeUInt16LE(version.major, offset + 2);
}

export function sameVersion(a: KmsVersion, b: KmsVersion): boolean {
  return a.major === b.major && a.minor === b.minor;
}

export function formatVersion(v: KmsVersion): string {
  return `${v.major}.${v.minor}`;
}

/** Throws a RangeError (encoder input, i.e. a programming error) unless n is a u32. */
export function checkU32(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new RangeError(`${what} must be an unsigned 32-bit integer, got ${n}`);
  }
  return n;
}

/** Encoder-side validation of a 16-byte value (IV, random) given by the caller. */
export function check16(bytes: Uint8Array, what: string): Buffer {
  if (bytes.length !== 16) throw new RangeError(`${what} must be 16 bytes, got ${bytes.length}`);
  return Buffer.from(bytes);
}

/** Decoder-side: a mismatch error naming the field. */
export function mismatch(what: string): KmsDecodeError {
  return new KmsDecodeError('mismatch', what);
}
