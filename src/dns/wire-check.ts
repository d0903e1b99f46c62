/**
 * A structural check of a DNS message before its records are read (record-data.ts, which
 * trusts it: no bounds checks of its own). A reader that trusted RDLENGTH and record counts
 * would let an SRV target run past its RDATA into the next record, or read a short A
 * record from the following bytes, and would throw plain Errors on short input. Walking
 * the message here first means every byte string either passes these rules or ends in a
 * DnsFailure('malformed') that says where it broke.
 */
import { DnsFailure } from './errors.js';

const HEADER_BYTES = 12;
const MAX_NAME_WIRE_OCTETS = 255;

export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, AAAA: 28, SRV: 33, OPT: 41 } as const;
export const CLASS_IN = 1;

export interface WireHeader {
  id: number;
  /** QR: 1 in responses. */
  isResponse: boolean;
  opcode: number;
  truncated: boolean;
  authoritative: boolean;
  rcode: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
}

export interface WireQuestion {
  name: string;
  type: number;
  class: number;
  /** Offset just past the question section's first entry. */
  end: number;
}

function malformed(message: string): DnsFailure {
  return new DnsFailure('malformed', message);
}

/** The fixed header, or null when fewer than 12 bytes arrived. */
export function readHeader(buf: Uint8Array): WireHeader | null {
  if (buf.length < HEADER_BYTES) return null;
  const flags = u16At(buf, 2);
  return {
    id: u16At(buf, 0),
    isResponse: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    truncated: (flags & 0x0200) !== 0,
    authoritative: (flags & 0x0400) !== 0,
    rcode: flags & 0xf,
    qdcount: u16At(buf, 4),
    ancount: u16At(buf, 6),
    nscount: u16At(buf, 8),
    arcount: u16At(buf, 10),
  };
}

/**
 * Walks a possibly compressed name at `offset` and returns the offset just past its
 * in-place bytes, pushing the labels into `labels` when given (checking alone needs no
 * strings, and the whole-message check is on every answer's hot path). A compression
 * pointer must point before the start of the label run that contains it (as dns-packet
 * also requires), so pointer chains strictly move backward and a loop — a pointer to
 * itself or a cycle of pointers — is rejected instead of followed.
 */
function walkName(buf: Uint8Array, offset: number, labels: string[] | null): number {
  let position = offset;
  let segmentStart = offset;
  let end = -1;
  let wireOctets = 1;
  for (;;) {
    if (position >= buf.length) throw malformed(`name at offset ${offset} runs past the end`);
    const length = buf[position] ?? 0;
    if (length === 0) return end < 0 ? position + 1 : end;
    const kind = length & 0xc0;
    if (kind === 0xc0) {
      if (position + 1 >= buf.length) throw malformed(`name at offset ${offset}: cut pointer`);
      const target = ((length & 0x3f) << 8) | (buf[position + 1] ?? 0);
      if (target >= segmentStart) {
        throw malformed(
          `name at offset ${offset}: compression pointer to ${target} does not point backward (loop)`,
        );
      }
      if (end < 0) end = position + 2;
      position = target;
      segmentStart = target;
      continue;
    }
    if (kind !== 0) {
      throw malformed(`name at offset ${offset}: reserved label type 0x${kind.toString(16)}`);
    }
    if (position + 1 + length > buf.length) {
      throw malformed(`name at offset ${offset}: label runs past the end`);
    }
    wireOctets += length + 1;
    if (wireOctets > MAX_NAME_WIRE_OCTETS) {
      throw malformed(`name at offset ${offset}: longer than 255 octets`);
    }
    if (labels) {
      // A dot inside a label is legal on the wire; escape it so "a.b" as one label never
      // compares equal to the two labels "a" and "b".
      const label = Buffer.from(buf.buffer, buf.byteOffset + position + 1, length).toString(
        'latin1',
      );
      labels.push(label.replace(/[.\\]/g, '\\$&'));
    }
    position += 1 + length;
  }
}

/** Reads a name at `offset`: its text and the offset just past its in-place bytes. */
export function readName(buf: Uint8Array, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  const end = walkName(buf, offset, labels);
  return { name: labels.length === 0 ? '.' : labels.join('.'), end };
}

/** Checks a name at `offset` and returns the offset just past its in-place bytes. */
export function skipName(buf: Uint8Array, offset: number): number {
  return walkName(buf, offset, null);
}

function u16At(buf: Uint8Array, at: number): number {
  return ((buf[at] ?? 0) << 8) | (buf[at + 1] ?? 0);
}

/** The first question; throws malformed if it is not there or not whole. */
export function readQuestion(buf: Uint8Array): WireQuestion {
  const { name, end } = readName(buf, HEADER_BYTES);
  if (end + 4 > buf.length) throw malformed('question section is cut short');
  return { name, type: u16At(buf, end), class: u16At(buf, end + 2), end: end + 4 };
}

function expectNameFills(buf: Uint8Array, from: number, rdataEnd: number, what: string): void {
  if (skipName(buf, from) !== rdataEnd)
    throw malformed(`${what}: the name does not fill RDATA exactly`);
}

/** Type-specific RDATA rules for the types kms-monitor reads. */
function checkRdata(
  buf: Uint8Array,
  type: number,
  start: number,
  length: number,
  at: number,
): void {
  const end = start + length;
  const what = `record at offset ${at} (type ${type})`;
  switch (type) {
    case TYPE.A:
      if (length !== 4) throw malformed(`${what}: A RDATA must be 4 bytes, is ${length}`);
      return;
    case TYPE.AAAA:
      if (length !== 16) throw malformed(`${what}: AAAA RDATA must be 16 bytes, is ${length}`);
      return;
    case TYPE.SRV:
      if (length < 7) throw malformed(`${what}: SRV RDATA too short (${length} bytes)`);
      expectNameFills(buf, start + 6, end, what);
      return;
    case TYPE.CNAME:
    case TYPE.NS:
    case TYPE.PTR:
      expectNameFills(buf, start, end, what);
      return;
    case TYPE.SOA: {
      const rnameEnd = skipName(buf, skipName(buf, start));
      if (rnameEnd + 20 !== end) throw malformed(`${what}: SOA RDATA length is inconsistent`);
      return;
    }
    case TYPE.OPT: {
      let position = start;
      while (position < end) {
        if (position + 4 > end) throw malformed(`${what}: EDNS option header cut short`);
        const code = u16At(buf, position);
        const optionLength = u16At(buf, position + 2);
        // dns-packet decodes client-subnet options and misreads short or long ones.
        if (code === 8 && (optionLength < 4 || optionLength > 20)) {
          throw malformed(`${what}: EDNS client-subnet option has length ${optionLength}`);
        }
        position += 4 + optionLength;
      }
      if (position !== end) throw malformed(`${what}: EDNS options overrun RDATA`);
      return;
    }
    default:
      return;
  }
}

export type Section = 'answer' | 'authority' | 'additional';

/** Where a resource record sits, so a decoder can read just the records it needs. */
export interface RecordLayout {
  section: Section;
  /** Offset of the owner name. */
  offset: number;
  type: number;
  class: number;
  /** The TTL field as an unsigned 32-bit number (for OPT: extended rcode, version, flags). */
  ttl: number;
  /** Offset of the RDATA, and its length. */
  rdata: number;
  rdlength: number;
}

export interface MessageLayout {
  header: WireHeader;
  records: RecordLayout[];
}

/**
 * Checks the whole message: header, every question, every resource record's fixed part,
 * RDLENGTH against the buffer, and RDATA of the types read later. Returns the header and
 * where each record is.
 */
export function checkMessage(buf: Uint8Array): MessageLayout {
  const header = readHeader(buf);
  if (!header) throw malformed(`message of ${buf.length} bytes is shorter than a DNS header`);
  let position = HEADER_BYTES;
  for (let i = 0; i < header.qdcount; i++) {
    const end = skipName(buf, position);
    if (end + 4 > buf.length) throw malformed(`question ${i + 1} is cut short`);
    position = end + 4;
  }
  const total = header.ancount + header.nscount + header.arcount;
  const records: RecordLayout[] = [];
  for (let i = 0; i < total; i++) {
    const at = position;
    const end = skipName(buf, position);
    if (end + 10 > buf.length) {
      throw malformed(`record ${i + 1} of ${total} at offset ${at} is cut short`);
    }
    const type = u16At(buf, end);
    const rdlength = u16At(buf, end + 8);
    const rdataStart = end + 10;
    if (rdataStart + rdlength > buf.length) {
      throw malformed(`record ${i + 1} of ${total} at offset ${at}: RDATA runs past the end`);
    }
    checkRdata(buf, type, rdataStart, rdlength, at);
    records.push({
      section:
        i < header.ancount
          ? 'answer'
          : i < header.ancount + header.nscount
            ? 'authority'
            : 'additional',
      offset: at,
      type,
      class: u16At(buf, end + 2),
      ttl: u16At(buf, end + 4) * 0x10000 + u16At(buf, end + 6),
      rdata: rdataStart,
      rdlength,
    });
    position = rdataStart + rdlength;
  }
  return { header, records };
}

/**
 * Whether the question at offset 12 of `answer` is byte for byte the one of `query` (the
 * first question of our own encoded query), names compared case-insensitively. The fast
 * path of answer matching; a false here is re-checked by reading both names.
 */
export function sameQuestionBytes(answer: Uint8Array, query: Uint8Array): boolean {
  const nameEnd = skipName(query, HEADER_BYTES);
  const end = nameEnd + 4;
  if (answer.length < end) return false;
  for (let i = HEADER_BYTES; i < end; i++) {
    let a = answer[i] ?? 0;
    let b = query[i] ?? 0;
    if (i < nameEnd) {
      // ASCII case folding; length bytes (at most 63) are never letters.
      if (a >= 0x41 && a <= 0x5a) a |= 0x20;
      if (b >= 0x41 && b <= 0x5a) b |= 0x20;
    }
    if (a !== b) return false;
  }
  return true;
}
