/**
 * The one query shape kms-monitor sends, written byte by byte: a 12-byte header (random ID,
 * RD set, one question, and one additional record when EDNS is on), the question (name,
 * type, class IN), and an EDNS0 OPT record advertising a 1232-byte UDP payload with the DO
 * bit clear (RFC 1035 4.1, RFC 6891 6.1). A general encoder (dns-packet) costs several
 * times more per query for a message whose every byte but the ID and the name is fixed.
 *
 * The name must already have passed checkWireLimits (no empty label, labels ≤ 63 octets,
 * ≤ 253 in all). Labels are split at every "." and written as UTF-8, as dns-packet does;
 * the output is byte-identical to dns-packet's for such names (test/dns/codec.test.ts).
 */
import { TYPE } from './wire-check.js';

/** EDNS0 buffer size recommended by DNS Flag Day 2020: avoids IP fragmentation. */
export const EDNS_UDP_PAYLOAD = 1232;

const HEADER_BYTES = 12;
const FLAG_RD = 0x0100;
const CLASS_IN = 1;
/** Root owner name, TYPE OPT, CLASS = payload size, TTL = 0 (rcode, version, DO), RDLENGTH 0. */
const OPT_RECORD = Buffer.from([
  0,
  0,
  TYPE.OPT,
  EDNS_UDP_PAYLOAD >> 8,
  EDNS_UDP_PAYLOAD & 0xff,
  0,
  0,
  0,
  0,
  0,
  0,
]);

/** Whether every UTF-16 unit of `text` is ASCII, so each character is one octet. */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Writes `name` as wire labels at `offset`; returns the offset past its root byte. */
function writeName(buf: Buffer, name: string, offset: number, ascii: boolean): number {
  if (!ascii) {
    for (const label of name.split('.')) {
      const length = buf.write(label, offset + 1, 'utf8');
      buf[offset] = length;
      offset += length + 1;
    }
    buf[offset] = 0;
    return offset + 1;
  }
  let lengthAt = offset;
  let position = offset + 1;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code === 0x2e) {
      buf[lengthAt] = position - lengthAt - 1;
      lengthAt = position;
    } else {
      buf[position] = code;
    }
    position++;
  }
  buf[lengthAt] = position - lengthAt - 1;
  buf[position] = 0;
  return position + 1;
}

/** A standard query for `name` and `typeCode` with RD set and, when `edns`, the OPT record. */
export function encodeQueryWire(id: number, name: string, typeCode: number, edns: boolean): Buffer {
  const ascii = isAscii(name);
  const nameBytes = (ascii ? name.length : Buffer.byteLength(name, 'utf8')) + 2;
  const length = HEADER_BYTES + nameBytes + 4 + (edns ? OPT_RECORD.length : 0);
  // Every byte is written below, so the pooled, uninitialised allocation is safe.
  const buf = Buffer.allocUnsafe(length);
  buf[0] = (id >> 8) & 0xff;
  buf[1] = id & 0xff;
  buf[2] = FLAG_RD >> 8;
  buf[3] = FLAG_RD & 0xff;
  buf[4] = 0;
  buf[5] = 1;
  buf.fill(0, 6, 11);
  buf[11] = edns ? 1 : 0;
  let offset = writeName(buf, name, HEADER_BYTES, ascii);
  buf[offset++] = typeCode >> 8;
  buf[offset++] = typeCode & 0xff;
  buf[offset++] = 0;
  buf[offset++] = CLASS_IN;
  if (edns) OPT_RECORD.copy(buf, offset);
  return buf;
}
