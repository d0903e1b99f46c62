/**
 * Encoding queries and vetting answers. Vetting happens in two steps because the two kinds
 * of bad datagram need different treatment: one that is not an answer to our query (other
 * ID, other question, not even a header) is dropped and the client keeps waiting, since a
 * stray or spoofed datagram must neither be accepted nor cut a lookup short; one that is
 * our answer but broken inside ends the query as `malformed`.
 */
import { DnsFailure } from './errors.js';
import { canonicalName } from './names.js';
import { encodeQueryWire } from './query-wire.js';
import { decodeCanonicalName, decodeIpv4, decodeIpv6 } from './record-data.js';
import {
  CLASS_IN,
  TYPE,
  checkMessage,
  readHeader,
  readName,
  readQuestion,
  sameQuestionBytes,
  type MessageLayout,
  type RecordLayout,
  type Section,
} from './wire-check.js';

export type QueryType = 'SRV' | 'A' | 'AAAA';

export { EDNS_UDP_PAYLOAD } from './query-wire.js';

export interface DnsQuestion {
  name: string;
  type: QueryType;
}

export interface SentQuery extends DnsQuestion {
  id: number;
  edns: boolean;
}

export type DnsRecord =
  | {
      type: 'SRV';
      name: string;
      ttl: number;
      priority: number;
      weight: number;
      port: number;
      target: string;
    }
  | { type: 'A' | 'AAAA'; name: string; ttl: number; address: string }
  | { type: 'CNAME'; name: string; ttl: number; target: string }
  | { type: 'SOA'; name: string; ttl: number; minimum: number }
  | { type: 'OTHER'; name: string; ttl: number };

export interface DnsResponse {
  id: number;
  /** NOERROR, NXDOMAIN, SERVFAIL, ... including the EDNS extended bits. */
  rcode: string;
  truncated: boolean;
  authoritative: boolean;
  /** The server echoed an OPT record, i.e. it speaks EDNS. */
  edns: boolean;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
  size: number;
}

export type AnswerVerdict =
  | { kind: 'answer'; response: DnsResponse }
  /** Not an answer to this query: ignore it and keep waiting. */
  | { kind: 'drop'; failure: DnsFailure }
  /** Our answer, but unusable: the query ends with this failure. */
  | { kind: 'fail'; failure: DnsFailure };

const QUERY_TYPE_CODES: Record<QueryType, number> = { SRV: TYPE.SRV, A: TYPE.A, AAAA: TYPE.AAAA };
const RCODE_NAMES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
];
/** Rcodes servers may send without echoing the question (RFC 1035 allows it for errors). */
const QUESTIONLESS_RCODES = new Set([1, 2, 4, 5]);

export function rcodeName(code: number): string {
  return RCODE_NAMES[code] ?? (code === 16 ? 'BADVERS' : `RCODE_${code}`);
}

/** A standard query with RD set and, unless `edns` is false, an OPT record for 1232 bytes. */
export function encodeQuery(query: SentQuery): Buffer {
  return encodeQueryWire(query.id, query.name, QUERY_TYPE_CODES[query.type], query.edns);
}

/** Types read as data; others are kept as OTHER without decoding their RDATA. */
const DECODED_TYPES = new Set<number>([TYPE.SRV, TYPE.A, TYPE.AAAA, TYPE.CNAME, TYPE.SOA]);

/**
 * RFC 2181 section 8: a TTL is 0 to 2^31 − 1; a value with the most significant bit set
 * is to be treated as zero, not shown as 136 years of caching.
 */
export function effectiveTtl(raw: number): number {
  return raw >= 0 && raw <= 0x7fffffff ? raw : 0;
}

/** A record of a type kms-monitor reads, class IN, from a message checkMessage passed. */
function readRecord(buf: Buffer, record: RecordLayout): DnsRecord {
  const name = decodeCanonicalName(buf, record.offset);
  const ttl = effectiveTtl(record.ttl);
  const at = record.rdata;
  switch (record.type) {
    case TYPE.SRV:
      return {
        type: 'SRV',
        name,
        ttl,
        priority: buf.readUInt16BE(at),
        weight: buf.readUInt16BE(at + 2),
        port: buf.readUInt16BE(at + 4),
        target: decodeCanonicalName(buf, at + 6),
      };
    case TYPE.A:
      return { type: 'A', name, ttl, address: decodeIpv4(buf, at) };
    case TYPE.AAAA:
      return { type: 'AAAA', name, ttl, address: decodeIpv6(buf, at) };
    case TYPE.CNAME:
      return { type: 'CNAME', name, ttl, target: decodeCanonicalName(buf, at) };
    case TYPE.SOA:
      // MINIMUM, the last field, is the negative-caching TTL (RFC 2308), bound by the same rule.
      return {
        type: 'SOA',
        name,
        ttl,
        minimum: effectiveTtl(buf.readUInt32BE(at + record.rdlength - 4)),
      };
    default:
      return { type: 'OTHER', name, ttl };
  }
}

/**
 * Decodes a message that passed checkMessage: the records kms-monitor uses (SRV, A, AAAA,
 * CNAME, SOA, class IN) are read at the offsets the check found (record-data.ts); the OPT
 * record's extended rcode is read from its TTL field. Only DnsFailure escapes.
 */
function decodeChecked(buf: Buffer, layout: MessageLayout): DnsResponse {
  const sections: Record<Section, DnsRecord[]> = { answer: [], authority: [], additional: [] };
  let edns = false;
  let extendedRcode = 0;
  for (const record of layout.records) {
    if (record.type === TYPE.OPT) {
      edns = true;
      extendedRcode = Math.floor(record.ttl / 0x1000000) & 0xff;
      continue;
    }
    sections[record.section].push(
      record.class === CLASS_IN && DECODED_TYPES.has(record.type)
        ? readRecord(buf, record)
        : {
            type: 'OTHER',
            name: canonicalName(readName(buf, record.offset).name),
            ttl: effectiveTtl(record.ttl),
          },
    );
  }
  const { header } = layout;
  return {
    id: header.id,
    rcode: rcodeName((extendedRcode << 4) | header.rcode),
    truncated: header.truncated,
    authoritative: header.authoritative,
    edns,
    answers: sections.answer,
    authorities: sections.authority,
    additionals: sections.additional,
    size: buf.length,
  };
}

/** A datagram that is not an answer to this query (module level: vetAnswer is hot). */
function drop(
  reason: 'malformed' | 'id_mismatch' | 'question_mismatch',
  message: string,
): AnswerVerdict {
  return { kind: 'drop', failure: new DnsFailure(reason, message) };
}

/**
 * Decides what a received message means for `query`; never throws. `queryWire`, the bytes
 * sent, lets the question be compared without decoding names (the common case).
 */
export function vetAnswer(buf: Buffer, query: SentQuery, queryWire?: Buffer): AnswerVerdict {
  const header = readHeader(buf);
  if (!header)
    return drop('malformed', `a ${buf.length}-byte datagram, too short for a DNS header`);
  if (header.id !== query.id) {
    return drop('id_mismatch', `an answer with ID ${header.id} instead of ${query.id}`);
  }
  if (!header.isResponse || header.opcode !== 0) {
    return drop('malformed', 'a datagram with our ID that is not a response to a standard query');
  }
  if (header.qdcount === 0 && !QUESTIONLESS_RCODES.has(header.rcode)) {
    return drop('question_mismatch', `a ${rcodeName(header.rcode)} answer without a question`);
  }
  if (header.qdcount > 1) {
    return drop('question_mismatch', `an answer with ${header.qdcount} questions`);
  }
  if (header.qdcount === 1 && !(queryWire && sameQuestionBytes(buf, queryWire))) {
    let question;
    try {
      question = readQuestion(buf);
    } catch (error) {
      return drop(
        'malformed',
        `an answer with our ID whose question is unreadable: ${(error as Error).message}`,
      );
    }
    const expected = canonicalName(query.name);
    if (
      canonicalName(question.name) !== expected ||
      question.type !== QUERY_TYPE_CODES[query.type] ||
      question.class !== CLASS_IN
    ) {
      return drop(
        'question_mismatch',
        `an answer for ${question.name} type ${question.type} class ${question.class} instead of ${expected} ${query.type} IN`,
      );
    }
  }
  try {
    return { kind: 'answer', response: decodeChecked(buf, checkMessage(buf)) };
  } catch (error) {
    const failure =
      error instanceof DnsFailure ? error : new DnsFailure('malformed', String(error));
    return { kind: 'fail', failure };
  }
}
