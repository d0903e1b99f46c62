/**
 * Reading a query from untrusted bytes for the lab DNS server. The structural walk of
 * src/dns/wire-check.ts runs first (it rejects cut names, pointer loops and RDATA running
 * past the end), so nothing here ever indexes past the buffer or follows a loop; the
 * question's raw bytes are kept so the answer echoes exactly what was asked.
 */
import { CLASS_IN, TYPE, checkMessage, readHeader, readQuestion, skipName } from '../dns/index.js';
import { canonicalName } from '../dns/index.js';

const HEADER_BYTES = 12;
export const CLASS_ANY = 255;

export interface EdnsInfo {
  udpPayloadSize: number;
  version: number;
}

export interface ParsedQuery {
  id: number;
  /** The query's flags word: opcode, RD and CD are echoed. */
  flags: number;
  /** Lower case, no trailing dot ('.' for the root). */
  name: string;
  qtype: number;
  qclass: number;
  /** The question section's bytes as received. */
  rawQuestion: Buffer;
  edns: EdnsInfo | null;
}

/**
 * - `drop`: not worth an answer (too short for a header, or a response: answering those
 *   could make two servers bounce datagrams forever);
 * - `error`: a query we cannot serve (FORMERR, NOTIMP), answered with its ID and no question;
 * - `query`: a standard query with one readable question.
 */
export type QueryParse =
  | { kind: 'drop' }
  | { kind: 'error'; id: number; flags: number; rcode: 'FORMERR' | 'NOTIMP' }
  | { kind: 'query'; query: ParsedQuery };

function u16(buf: Uint8Array, at: number): number {
  return ((buf[at] ?? 0) << 8) | (buf[at + 1] ?? 0);
}

/** The OPT record of the additional section (walked after checkMessage passed). */
function findEdns(
  buf: Buffer,
  afterQuestion: number,
  recordCount: number,
  arStart: number,
): EdnsInfo | null {
  let position = afterQuestion;
  for (let i = 0; i < recordCount; i++) {
    const end = skipName(buf, position);
    const type = u16(buf, end);
    if (type === TYPE.OPT && i >= arStart) {
      return { udpPayloadSize: u16(buf, end + 2), version: buf[end + 5] ?? 0 };
    }
    position = end + 10 + u16(buf, end + 8);
  }
  return null;
}

export function parseQuery(buf: Buffer): QueryParse {
  const header = readHeader(buf);
  if (header === null || header.isResponse) return { kind: 'drop' };
  const flags = u16(buf, 2);
  const error = (rcode: 'FORMERR' | 'NOTIMP'): QueryParse => ({
    kind: 'error',
    id: header.id,
    flags,
    rcode,
  });
  if (header.opcode !== 0) return error('NOTIMP');
  if (header.qdcount !== 1) return error('FORMERR');
  try {
    checkMessage(buf);
    const question = readQuestion(buf);
    const records = header.ancount + header.nscount + header.arcount;
    const edns = findEdns(buf, question.end, records, header.ancount + header.nscount);
    return {
      kind: 'query',
      query: {
        id: header.id,
        flags,
        name: canonicalName(question.name),
        qtype: question.type,
        qclass: question.class,
        rawQuestion: Buffer.from(buf.subarray(HEADER_BYTES, question.end)),
        edns,
      },
    };
  } catch {
    return error('FORMERR');
  }
}

export function isInternetClass(qclass: number): boolean {
  return qclass === CLASS_IN || qclass === CLASS_ANY;
}
