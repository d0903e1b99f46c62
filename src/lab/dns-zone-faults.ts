/**
 * Fault modes of the lab DNS server: each reproduces one way a DNS server (or whatever
 * answers on its port) can fail a lookup, so every failure reason of the DNS client can be
 * tested (docs/design.md principle 5), as faults.ts does for the KMS host. A fault is set
 * per zone and applies to every query for a name in it. Some modes replace the answer
 * (silence, an error rcode, broken bytes); the others bend the answer the zone's data gives
 * (late, twice, with another ID, upper case, truncated over UDP). This file names the modes
 * and builds their bytes; the server decides when they apply.
 */
import dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import { DnsZoneError, inMostSpecificZone, zoneName } from './dns-zone-data.js';
import type { ParsedQuery } from './dns-zone-query.js';

export const DNS_FAULT_MODES = [
  /** No answer at all: the client times out. */
  'silent',
  /** An empty answer with `rcode` (SERVFAIL, NOTIMP, FORMERR, REFUSED); `question: false` leaves the question out. */
  'rcode',
  /** The zone's answer, `ms` late (default 150). */
  'delay',
  /** The first query for each name, type and transport goes unanswered; a retransmission is answered. */
  'drop_first',
  /** The zone's answer, and the same bytes again `afterMs` later (default 100), as for a retransmission. */
  'twice',
  /** FORMERR to a query with an EDNS OPT record; a query without one gets the zone's answer. */
  'no_edns',
  /** The zone's answer without its additional records (no glue): the client asks for the addresses. */
  'no_glue',
  /** The zone's answer with every name in upper case. */
  'upper_case',
  /** The zone's answer under another ID. */
  'wrong_id',
  /** The zone's answer for another name (`elsewhere.` + the question). */
  'wrong_question',
  /** An empty answer whose question asks for type A instead. */
  'wrong_type',
  /** A wrong-ID copy and an other-question copy pointing at `evil.` targets, then the zone's answer. */
  'stray_then_good',
  /** The question sent back as a query (QR clear). */
  'not_response',
  /** Our ID and a response header, then a question whose label runs off the end. */
  'garbage',
  /** Three bytes: shorter than any DNS header. */
  'short',
  /** One SRV record whose RDLENGTH (3) cannot hold priority, weight, port and target. */
  'bad_rdata',
  /** The answer's owner name is a compression pointer to itself. */
  'pointer_loop',
  /** An SRV target whose compression pointers cycle: a.a.a.a… forever. */
  'pointer_cycle',
  /** A header promising 10,000 answers, followed by one. */
  'count_lie',
  /** Over UDP an empty answer with TC set; over TCP (`tcp`) the zone's answer, a closed connection or silence. */
  'truncate',
  /**
   * Over UDP TC; over TCP as many SRV records `h<n>.<zone>` as fit in one message (names
   * compressed by hand, about 2,500), or `count` of them.
   */
  'huge',
] as const;
export type DnsFaultMode = (typeof DNS_FAULT_MODES)[number];

export interface DnsFaultSpec {
  mode: DnsFaultMode;
  /** rcode: the rcode (default SERVFAIL). */
  rcode?: 'SERVFAIL' | 'NOTIMP' | 'FORMERR' | 'REFUSED';
  /** rcode: echo the question (default true). */
  question?: boolean;
  /** delay: milliseconds. */
  ms?: number;
  /** twice: milliseconds before the second copy. */
  afterMs?: number;
  /** truncate: what the TCP retry gets (default the zone's answer). */
  tcp?: 'answer' | 'close' | 'silent';
  /** huge: how many records at most. */
  count?: number;
  /** The query types it hits ('SRV', 'A', …); others get the zone's answer. Default: all. */
  types?: readonly string[];
}

/** A mode name alone means the mode with its defaults. */
export type DnsFault = DnsFaultMode | DnsFaultSpec;

/** What to send for one query: datagrams or frames in order, when, and whether to hang up. */
export interface FaultReply {
  replies: Buffer[];
  delayMs: number;
  /** Send `replies` again this much later. */
  againAfterMs?: number;
  /** TCP: close the connection instead of answering. */
  close?: boolean;
}

const RCODES = { NOERROR: 0, SERVFAIL: 2, FORMERR: 1, NOTIMP: 4, REFUSED: 5 } as const;
const FLAGS_RESPONSE = 0x8180; // QR, RD, RA
const FLAG_TC = 0x0200;
const HEADER_BYTES = 12;

function isDnsFaultMode(value: unknown): value is DnsFaultMode {
  return typeof value === 'string' && (DNS_FAULT_MODES as readonly string[]).includes(value);
}

function checkMs(value: number | undefined, what: string): void {
  if (value !== undefined && (!Number.isFinite(value) || value < 0 || value > 60_000)) {
    throw new DnsZoneError(`${what} must be 0..60000 ms, got ${value}`);
  }
}

/** The spec form of a fault, validated; throws DnsZoneError on an unknown mode or value. */
export function normalizeDnsFault(fault: DnsFault): DnsFaultSpec {
  const spec: DnsFaultSpec = typeof fault === 'string' ? { mode: fault } : { ...fault };
  if (!isDnsFaultMode(spec.mode)) {
    throw new DnsZoneError(
      `unknown DNS fault ${JSON.stringify(spec.mode)}; one of ${DNS_FAULT_MODES.join(', ')}`,
    );
  }
  if (spec.rcode !== undefined && !(spec.rcode in RCODES)) {
    throw new DnsZoneError(`fault rcode ${JSON.stringify(spec.rcode)} is not one the lab sends`);
  }
  checkMs(spec.ms, 'fault ms');
  checkMs(spec.afterMs, 'fault afterMs');
  if (spec.count !== undefined && (!Number.isInteger(spec.count) || spec.count < 0)) {
    throw new DnsZoneError(`fault count must be a whole number, got ${spec.count}`);
  }
  if (spec.types !== undefined) spec.types = Object.freeze(spec.types.map((t) => t.toUpperCase()));
  return Object.freeze(spec);
}

/** Whether `fault` applies to a query of this type ('SRV', 'A', …). */
export function faultHitsType(fault: DnsFaultSpec, type: string): boolean {
  return fault.types === undefined || fault.types.includes(type);
}

/** Faults by zone, found by the longest zone containing a name (as zones are). */
export class FaultTable {
  private readonly byZone = new Map<string, DnsFaultSpec>();
  /** drop_first: the queries already dropped once (bounded: a lab runs for days). */
  private readonly dropped = new Set<string>();

  set(zone: string, fault: DnsFault | null): void {
    const name = zoneName(zone, 'fault zone');
    if (fault === null) this.byZone.delete(name);
    else this.byZone.set(name, normalizeDnsFault(fault));
  }

  faultOf(name: string): DnsFaultSpec | undefined {
    return inMostSpecificZone(this.byZone, name);
  }

  /** Whether this query is the first of its kind (and so is dropped). */
  firstTime(key: string): boolean {
    if (this.dropped.has(key)) return false;
    if (this.dropped.size >= 10_000) this.dropped.clear();
    this.dropped.add(key);
    return true;
  }
}

/** A header with these flags and counts, then the question as asked (or none). */
function headed(
  query: ParsedQuery,
  flags: number,
  counts: [number, number, number, number],
  body: Buffer | number[] = [],
): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(query.id, 0);
  header.writeUInt16BE(flags, 2);
  counts.forEach((count, i) => header.writeUInt16BE(count, 4 + 2 * i));
  const question = counts[0] === 1 ? query.rawQuestion : Buffer.alloc(0);
  return Buffer.concat([header, question, Buffer.from(body)]);
}

function bare(query: ParsedQuery, rcode: keyof typeof RCODES, withQuestion = true, tc = false) {
  return headed(query, FLAGS_RESPONSE | (tc ? FLAG_TC : 0) | RCODES[rcode], [
    withQuestion ? 1 : 0,
    0,
    0,
    0,
  ]);
}

/** The answer re-encoded after `edit` (names, records) — for the modes that bend it. */
function rewrite(answer: Buffer, edit: (packet: Packet) => void): Buffer {
  const packet = dnsPacket.decode(answer) as Packet;
  edit(packet);
  return dnsPacket.encode(packet);
}

function renameAll(packet: Packet, rename: (name: string) => string): void {
  for (const q of packet.questions ?? []) q.name = rename(q.name);
  for (const section of [packet.answers, packet.authorities, packet.additionals]) {
    for (const record of section ?? []) {
      if (record.type === 'OPT') continue;
      record.name = rename(record.name);
      if (record.type === 'SRV') record.data.target = rename(record.data.target);
      if (record.type === 'CNAME') record.data = rename(record.data);
    }
  }
}

function otherQuestion(answer: Buffer, name: string): Buffer {
  const other = `elsewhere.${name}`;
  return rewrite(answer, (p) => renameAll(p, (n) => (n === name ? other : n)));
}

function evilTargets(packet: Packet): void {
  for (const record of packet.answers ?? []) {
    if (record.type === 'SRV')
      record.data = { ...record.data, target: `evil.${record.data.target}`, port: 1 };
  }
}

const SRV_RECORD_HEAD = [0, 33, 0, 1, 0, 0, 1, 44]; // type SRV, class IN, TTL 300

/** As many SRV records as fit in one TCP message, names compressed by hand. */
function hugeSrv(query: ParsedQuery, limit: number): Buffer {
  // The owner is the question (offset 12); targets are h<n> under the zone, which starts
  // after `_vlmcs._tcp.` (7 + 5 bytes) when the question has that prefix.
  const ownerPointer = [0xc0, HEADER_BYTES];
  const zoneAt = query.name.startsWith('_vlmcs._tcp.') ? HEADER_BYTES + 12 : HEADER_BYTES;
  const zonePointer = [0xc0, zoneAt];
  const records: number[] = [];
  let n = 0;
  while (n < limit) {
    const label = Buffer.from(`h${n}`);
    const rdata = [0, 0, 0, 10, 0x06, 0x98, label.length, ...label, ...zonePointer];
    const record = [...ownerPointer, ...SRV_RECORD_HEAD, 0, rdata.length, ...rdata];
    if (HEADER_BYTES + query.rawQuestion.length + records.length + record.length > 65535) break;
    records.push(...record);
    n++;
  }
  return headed(query, 0x8580, [1, n, 0, 0], records);
}

/** The bytes of the modes that replace the answer with something broken. */
function brokenBytes(mode: DnsFaultMode, query: ParsedQuery): Buffer {
  const answerAt = HEADER_BYTES + query.rawQuestion.length;
  switch (mode) {
    case 'garbage': {
      const garbage = Buffer.from([
        0, 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0x3f, 0x41, 0x42, 0x43, 0xff, 0xfe,
      ]);
      garbage.writeUInt16BE(query.id, 0);
      return garbage;
    }
    case 'short':
      return Buffer.from([0xde, 0xad, 0xbe]);
    case 'bad_rdata':
      return headed(
        query,
        FLAGS_RESPONSE,
        [1, 1, 0, 0],
        [0xc0, 12, ...SRV_RECORD_HEAD, 0, 3, 1, 2, 3],
      );
    case 'pointer_loop':
      return headed(
        query,
        FLAGS_RESPONSE,
        [1, 1, 0, 0],
        [
          0xc0 | (answerAt >> 8),
          answerAt & 0xff,
          ...SRV_RECORD_HEAD,
          0,
          8,
          0,
          0,
          0,
          0,
          6,
          0x98,
          0,
          0,
        ],
      );
    case 'pointer_cycle': {
      // The target's label "a" sits after the owner pointer (2), the record head (8),
      // RDLENGTH (2) and priority, weight, port (6); a pointer right after it leads back.
      const label = answerAt + 2 + 10 + 6;
      return headed(
        query,
        FLAGS_RESPONSE,
        [1, 1, 0, 0],
        [
          0xc0,
          12,
          ...SRV_RECORD_HEAD,
          0,
          10,
          0,
          0,
          0,
          0,
          6,
          0x98,
          1,
          0x61,
          0xc0 | (label >> 8),
          label & 0xff,
        ],
      );
    }
    case 'count_lie':
      return headed(
        query,
        FLAGS_RESPONSE,
        [1, 10000, 0, 0],
        [0xc0, 12, ...SRV_RECORD_HEAD, 0, 9, 0, 0, 0, 0, 6, 0x98, 1, 0x61, 0],
      );
    case 'not_response':
      return headed(query, 0x0100, [1, 0, 0, 0]);
    case 'wrong_type': {
      const reply = bare(query, 'NOERROR');
      reply.writeUInt16BE(1, reply.length - 4); // QTYPE A
      return reply;
    }
    default:
      throw new RangeError(`${mode} does not replace the answer with bytes`);
  }
}

const none = (): FaultReply => ({ replies: [], delayMs: 0 });
const now = (...replies: Buffer[]): FaultReply => ({ replies, delayMs: 0 });

/**
 * What `fault` makes of one query. `answer` builds the zone's own answer (null: the
 * query deserves none); `firstTime` tells drop_first whether this query was seen before.
 */
export function applyDnsFault(
  fault: DnsFaultSpec,
  query: ParsedQuery,
  transport: 'udp' | 'tcp',
  answer: () => Buffer | null,
  firstTime: () => boolean,
): FaultReply {
  const normal = (): FaultReply => {
    const bytes = answer();
    return bytes === null ? none() : now(bytes);
  };
  const bent = (edit: (bytes: Buffer) => Buffer | Buffer[]): FaultReply => {
    const bytes = answer();
    if (bytes === null) return none();
    const out = edit(bytes);
    return now(...(Array.isArray(out) ? out : [out]));
  };
  switch (fault.mode) {
    case 'silent':
      return none();
    case 'rcode':
      return now(bare(query, fault.rcode ?? 'SERVFAIL', fault.question ?? true));
    case 'delay':
      return { ...normal(), delayMs: fault.ms ?? 150 };
    case 'drop_first':
      return firstTime() ? none() : normal();
    case 'twice':
      return { ...normal(), againAfterMs: fault.afterMs ?? 100 };
    case 'no_edns':
      return query.edns !== null ? now(bare(query, 'FORMERR')) : normal();
    case 'no_glue':
      return bent((b) => rewrite(b, (p) => (p.additionals = (p.additionals ?? []).filter(isOpt))));
    case 'upper_case':
      return bent((b) => rewrite(b, (p) => renameAll(p, (n) => n.toUpperCase())));
    case 'wrong_id':
      return bent((b) => {
        const out = Buffer.from(b);
        out.writeUInt16BE((query.id + 1) & 0xffff, 0);
        return out;
      });
    case 'wrong_question':
      return bent((b) => otherQuestion(b, query.name));
    case 'stray_then_good':
      return bent((b) => {
        const spoofed = rewrite(b, (p) => {
          p.id = (query.id ^ 0x8000) & 0xffff;
          evilTargets(p);
        });
        const elsewhere = rewrite(otherQuestion(b, query.name), evilTargets);
        return [spoofed, elsewhere, b];
      });
    case 'truncate':
      if (transport === 'udp') return now(bare(query, 'NOERROR', true, true));
      if (fault.tcp === 'close') return { ...none(), close: true };
      return fault.tcp === 'silent' ? none() : normal();
    case 'huge':
      return transport === 'udp'
        ? now(bare(query, 'NOERROR', true, true))
        : now(hugeSrv(query, fault.count ?? Infinity));
    default:
      return now(brokenBytes(fault.mode, query));
  }
}

function isOpt(record: Answer): boolean {
  return record.type === 'OPT';
}
