/**
 * GUIDs in Microsoft's mixed-endian wire layout: the first three groups little-endian
 * (4, 2, 2 bytes), the last eight bytes in text order. Text form is lowercase 8-4-4-4-12.
 */
import { KmsDecodeError, requireBytes } from './errors.js';
import { BoundedCache } from '../util/bounded-cache.js';

const GUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(text: string): boolean {
  return GUID_TEXT.test(text);
}

/**
 * Wire bytes of the GUIDs encoded so far, by text. A probe encodes the same few constants
 * (interface and transfer syntax UUIDs, application, SKU and counted IDs, the CMID) in
 * every request: checking and converting the text once per process instead of per
 * request (docs/performance.md, KMS client CPU). Bounded, for a lab serving many clients.
 */
const ENCODED = new BoundedCache<string, Buffer>(4096);

/** Two lowercase hex digits per byte value: a bind_ack and every response carry GUIDs to
 * decode, and a table lookup costs a tenth of copying, reversing and hex-encoding slices. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Wire byte index of each text position (-1 = dash): groups 1-3 little-endian. */
const TEXT_ORDER = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15];

function encodeOnce(text: string): Buffer {
  if (!isGuid(text)) throw new TypeError(`not a GUID: ${JSON.stringify(text)}`);
  const raw = Buffer.from(text.replace(/-/g, ''), 'hex');
  const out = Buffer.alloc(16);
  // Groups 1-3 are integers stored little-endian; the rest is a byte array.
  raw.subarray(0, 4).reverse().copy(out, 0);
  raw.subarray(4, 6).reverse().copy(out, 4);
  raw.subarray(6, 8).reverse().copy(out, 6);
  raw.copy(out, 8, 8, 16);
  return ENCODED.add(text, out);
}

export const guid = {
  encodingLength(): number {
    return 16;
  },

  encode(text: string, buf: Buffer = Buffer.alloc(16), offset = 0): Buffer {
    const bytes = ENCODED.get(text) ?? encodeOnce(text);
    bytes.copy(buf, offset);
    return buf;
  },

  decode(buf: Uint8Array, offset = 0): string {
    requireBytes(buf, offset, 16, 'GUID');
    let text = '';
    for (const i of TEXT_ORDER) text += i < 0 ? '-' : HEX[buf[offset + i]!]!;
    return text;
  },
};

/** Throws unless the text is a GUID; for config and CLI input. */
export function parseGuid(text: string): string {
  if (!isGuid(text)) throw new KmsDecodeError('malformed', `not a GUID: ${JSON.stringify(text)}`);
  return text.toLowerCase();
}

/**
 * The nil GUID: a bind_ack's transfer syntax for a context it did not accept, and the
 * previous CMID of a client's first request.
 */
export const NIL_GUID = '00000000-0000-0000-0000-000000000000';
