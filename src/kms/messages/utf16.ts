/**
 * The two UTF-16LE string shapes in KMS messages: the request's fixed 64-unit workstation
 * field (NUL-terminated, zero-filled) and the response's length-prefixed NUL-terminated ePID.
 */
import { KmsDecodeError, requireBytes } from '../errors.js';
import { asBuffer } from './bytes.js';

function checkEncodable(text: string, maxUnits: number, what: string): void {
  if (text.length > maxUnits) {
    throw new RangeError(`${what} is ${text.length} UTF-16 units, at most ${maxUnits} allowed`);
  }
  if (text.includes('\0')) throw new RangeError(`${what} must not contain NUL`);
}

/**
 * Writes `text` into a `units`-unit field: at most units − 1 characters so a NUL always
 * follows, and every byte after the text zero (docs/protocol.md's "zero-fill the rest").
 */
export function encodeUtf16Fixed(
  text: string,
  units: number,
  buf: Buffer,
  offset: number,
  what: string,
): void {
  checkEncodable(text, units - 1, what);
  buf.fill(0, offset, offset + units * 2);
  buf.write(text, offset, 'utf16le');
}

/** Reads up to the first NUL unit (or the whole field if none); never fails on content. */
export function decodeUtf16Fixed(
  buf: Uint8Array,
  offset: number,
  units: number,
  what: string,
): string {
  requireBytes(buf, offset, units * 2, what);
  let end = 0;
  while (end < units && (buf[offset + 2 * end] !== 0 || buf[offset + 2 * end + 1] !== 0)) end++;
  return asBuffer(buf).toString('utf16le', offset, offset + 2 * end);
}

/** text + NUL as UTF-16LE, with a cap on the total byte length. */
export function encodeUtf16z(text: string, maxBytes: number, what: string): Buffer {
  checkEncodable(text, maxBytes / 2 - 1, what);
  const out = Buffer.alloc((text.length + 1) * 2);
  out.write(text, 0, 'utf16le');
  return out;
}

/**
 * Decodes `byteLength` bytes holding a NUL-terminated UTF-16LE string under docs/protocol.md §4.4's
 * rules: length even and ≥ 2, last unit NUL, no NUL before it. The caller bounds
 * byteLength before calling.
 */
export function decodeUtf16z(
  buf: Uint8Array,
  offset: number,
  byteLength: number,
  what: string,
): string {
  if (byteLength < 2 || byteLength % 2 !== 0) {
    throw new KmsDecodeError(
      'malformed',
      `${what}: length ${byteLength} is not a positive even number`,
    );
  }
  requireBytes(buf, offset, byteLength, what);
  const last = offset + byteLength - 2;
  if (buf[last] !== 0 || buf[last + 1] !== 0) {
    throw new KmsDecodeError('malformed', `${what}: not NUL-terminated`);
  }
  for (let i = offset; i < last; i += 2) {
    if (buf[i] === 0 && buf[i + 1] === 0) {
      throw new KmsDecodeError('malformed', `${what}: NUL before the terminator`);
    }
  }
  return asBuffer(buf).toString('utf16le', offset, last);
}
