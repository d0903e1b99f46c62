/**
 * GUIDs in Microsoft's mixed-endian wire layout: the first three groups little-endian
 * (4, 2, 2 bytes), the last eight bytes in text order. Text form is lowercase 8-4-4-4-12.
 */
import { KmsDecodeError, requireBytes } from './errors.js';

const GUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(text: string): boolean {
  return GUID_TEXT.test(text);
}

export const guid = {
  encodingLength(): number {
    return 16;
  },

  encode(text: string, buf: Buffer = Buffer.alloc(16), offset = 0): Buffer {
    if (!isGuid(text)) throw new TypeError(`not a GUID: ${JSON.stringify(text)}`);
    const hex = text.replace(/-/g, '');
    const raw = Buffer.from(hex, 'hex');
    // Groups 1-3 are integers stored little-endian; the rest is a byte array.
    raw.subarray(0, 4).reverse().copy(buf, offset);
    raw
      .subarray(4, 6)
      .reverse()
      .copy(buf, offset + 4);
    raw
      .subarray(6, 8)
      .reverse()
      .copy(buf, offset + 6);
    raw.copy(buf, offset + 8, 8, 16);
    return buf;
  },

  decode(buf: Uint8Array, offset = 0): string {
    requireBytes(buf, offset, 16, 'GUID');
    const b = Buffer.from(buf.buffer, buf.byteOffset + offset, 16);
    const h = (start: number, end: number, reverse: boolean): string => {
      const part = Buffer.from(b.subarray(start, end));
      return (reverse ? part.reverse() : part).toString('hex');
    };
    return `${h(0, 4, true)}-${h(4, 6, true)}-${h(6, 8, true)}-${h(8, 10, false)}-${h(10, 16, false)}`;
  },
};

/** Throws unless the text is a GUID; for config and CLI input. */
export function parseGuid(text: string): string {
  if (!isGuid(text)) throw new KmsDecodeError('malformed', `not a GUID: ${JSON.stringify(text)}`);
  return text.toLowerCase();
}
