/**
 * Reading the records kms-monitor uses (SRV, A, AAAA, CNAME, SOA) from a message that
 * checkMessage already walked, so every offset, length and compression pointer here is
 * known to be in bounds and to point backward. Written for the one job instead of going
 * through dns-packet's general decoder, which builds a full record object (flush bit, class
 * name, every SOA field) and formats IPv6 with two regular expressions per address.
 *
 * The text produced is exactly dns-packet's (test/dns/codec.test.ts compares them):
 * labels as UTF-8 joined with "." (a dot inside a label is not escaped), IPv4 dotted
 * decimal, IPv6 in lower-case hex groups without leading zeros with the leftmost run of two
 * or more zero groups written "::".
 */
import { canonicalName } from './names.js';

/** A name's text is at most 254 octets (255 on the wire, RFC 1035 2.3.4), checked before. */
const scratch = Buffer.allocUnsafe(256);

/**
 * The name at `offset` in canonical form: the text dns-packet decodes, then canonicalName
 * (lower case, no trailing dot, "." for the root). The labels are gathered into one scratch
 * buffer and turned into a string once; ASCII letters are folded on the way, so the common
 * all-ASCII name costs one native call.
 */
export function decodeCanonicalName(buf: Buffer, offset: number): string {
  let length = 0;
  let ascii = true;
  let position = offset;
  for (;;) {
    const labelLength = buf[position] ?? 0;
    if (labelLength === 0) break;
    if (labelLength >= 0xc0) {
      position = ((labelLength & 0x3f) << 8) | (buf[position + 1] ?? 0);
      continue;
    }
    if (length > 0) scratch[length++] = 0x2e;
    const end = position + 1 + labelLength;
    for (let i = position + 1; i < end; i++) {
      let byte = buf[i] ?? 0;
      if (byte >= 0x41 && byte <= 0x5a) byte |= 0x20;
      else if (byte > 0x7f) ascii = false;
      scratch[length++] = byte;
    }
    position = end;
  }
  if (length === 0) return '.';
  // Bytes ≥ 0x80 are UTF-8 to dns-packet; decoding the whole name at once gives the same
  // text as label by label, since the "." between labels can never continue a sequence.
  if (!ascii) return canonicalName(scratch.toString('utf8', 0, length));
  // A label may end in "." (legal on the wire): canonicalName drops one trailing dot.
  const end = scratch[length - 1] === 0x2e && length > 1 ? length - 1 : length;
  return scratch.toString('latin1', 0, end);
}

export function decodeIpv4(buf: Buffer, offset: number): string {
  return `${buf[offset] ?? 0}.${buf[offset + 1] ?? 0}.${buf[offset + 2] ?? 0}.${buf[offset + 3] ?? 0}`;
}

function group(buf: Buffer, offset: number, i: number): number {
  return ((buf[offset + 2 * i] ?? 0) << 8) | (buf[offset + 2 * i + 1] ?? 0);
}

export function decodeIpv6(buf: Buffer, offset: number): string {
  // The leftmost run of at least two zero groups becomes "::" (dns-packet's rule).
  let runStart = 8;
  let runEnd = 8;
  for (let i = 0; i < 7; i++) {
    if (group(buf, offset, i) === 0 && group(buf, offset, i + 1) === 0) {
      runStart = i;
      runEnd = i + 2;
      while (runEnd < 8 && group(buf, offset, runEnd) === 0) runEnd++;
      break;
    }
  }
  let text = '';
  for (let i = 0; i < runStart; i++) {
    text += i === 0 ? group(buf, offset, i).toString(16) : `:${group(buf, offset, i).toString(16)}`;
  }
  if (runStart === 8) return text;
  text += '::';
  for (let i = runEnd; i < 8; i++) {
    text +=
      i === runEnd ? group(buf, offset, i).toString(16) : `:${group(buf, offset, i).toString(16)}`;
  }
  return text;
}
