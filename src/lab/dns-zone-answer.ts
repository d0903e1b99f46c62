/**
 * What an authoritative server answers to one query, as bytes. Pure: the zones are read
 * through a small interface, nothing here touches a socket. Behaviour follows what BIND or
 * Knot would do for the same zone data:
 * - a name outside every served zone: REFUSED, no AA (we are nobody's resolver);
 * - a name that does not exist in a zone: NXDOMAIN with the SOA in the authority section;
 * - a name that exists without the asked type: NOERROR, no answers, SOA (NODATA);
 * - SRV answers carry the targets' A and AAAA in the additional section (glue a client
 *   uses instead of asking again);
 * - UDP answers respect 512 bytes or the client's EDNS size: glue is dropped first, and if
 *   the answer still does not fit, TC is set so the client retries over TCP;
 * - a TCP answer larger than a DNS message can be (65,535 bytes) keeps the answer records
 *   that fit. A zone with 10,000 SRV records thus yields a few hundred of them, which is
 *   what a client of a hostile zone would get, and what the monitor's record limit meets.
 */
import dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import { TYPE } from '../dns/index.js';
import { isInZone } from './dns-zone-data.js';
import type { StoredRecord, ZoneContents } from './dns-zone-data.js';
import { isInternetClass } from './dns-zone-query.js';
import type { ParsedQuery, QueryParse } from './dns-zone-query.js';

/** Largest answer over TCP: the 2-byte length prefix bounds a DNS message. */
export const MAX_TCP_MESSAGE = 65_535;
/** UDP answer size without EDNS (RFC 1035). */
export const CLASSIC_UDP_SIZE = 512;
/** Largest EDNS UDP size honoured; what the server advertises too. */
export const MAX_EDNS_UDP_SIZE = 4096;

const QTYPE_ANY = 255;
const QTYPE_AXFR = 252;
const QTYPE_IXFR = 251;

const RCODES = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export type AnswerRcode = keyof typeof RCODES | 'BADVERS';

/** Opcode, RD and CD are copied from the query (RFC 1035 4.1.1, RFC 4035 3.2.2). */
const ECHOED_FLAGS = 0x7800 | dnsPacket.RECURSION_DESIRED | dnsPacket.CHECKING_DISABLED;

export interface SoaSettings {
  /** TTL of the SOA record. */
  ttl: number;
  /** SOA MINIMUM: the negative-caching TTL (RFC 2308). */
  minimum: number;
}

/** How the answer builder sees the served zones. */
export interface ZoneView {
  /** The most specific served zone containing `name`, if any. */
  zoneOf(name: string): ZoneContents | undefined;
  soa: SoaSettings;
}

export interface BuiltAnswer {
  bytes: Buffer;
  rcode: AnswerRcode;
  /** TC was set (UDP only). */
  truncated: boolean;
  /** Answer records left out to stay within 65,535 bytes (TCP only). */
  trimmed: number;
}

interface Sections {
  rcode: AnswerRcode;
  authoritative: boolean;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

function toAnswer(record: StoredRecord): Answer {
  if (record.type === 'SRV') {
    return {
      type: 'SRV',
      name: record.name,
      ttl: record.ttl,
      data: {
        target: record.target,
        port: record.port,
        priority: record.priority,
        weight: record.weight,
      },
    };
  }
  if (record.type === 'CNAME') {
    return { type: 'CNAME', name: record.name, ttl: record.ttl, data: record.target };
  }
  return { type: record.type, name: record.name, ttl: record.ttl, data: record.address };
}

function soaRecord(zone: ZoneContents, soa: SoaSettings, ttl: number): Answer {
  return {
    type: 'SOA',
    name: zone.name,
    ttl,
    data: {
      mname: `ns.${zone.name}`,
      rname: `hostmaster.${zone.name}`,
      serial: zone.serial,
      refresh: 3600,
      retry: 600,
      expire: 86_400,
      minimum: soa.minimum,
    },
  };
}

const TYPE_CODES: Record<StoredRecord['type'], number> = {
  SRV: TYPE.SRV,
  A: TYPE.A,
  AAAA: TYPE.AAAA,
  CNAME: TYPE.CNAME,
};

/** A and AAAA of every SRV target this server is authoritative for, each target once. */
function glueFor(answers: readonly StoredRecord[], zones: ZoneView): Answer[] {
  const seen = new Set<string>();
  const glue: Answer[] = [];
  for (const record of answers) {
    if (record.type !== 'SRV' || record.target === '.' || seen.has(record.target)) continue;
    seen.add(record.target);
    const owned = zones.zoneOf(record.target)?.lookup(record.target) ?? [];
    for (const type of ['A', 'AAAA'] as const) {
      for (const r of owned) if (r.type === type) glue.push(toAnswer(r));
    }
  }
  return glue;
}

/** The sections for a well-formed query. */
function resolve(query: ParsedQuery, zones: ZoneView): Sections {
  const refused: Sections = {
    rcode: 'REFUSED',
    authoritative: false,
    answers: [],
    authorities: [],
    additionals: [],
  };
  if (!isInternetClass(query.qclass)) return refused;
  const zone = zones.zoneOf(query.name);
  // Zone transfers are not offered; outside our zones we are nobody's resolver.
  if (zone === undefined || query.qtype === QTYPE_AXFR || query.qtype === QTYPE_IXFR) {
    return refused;
  }
  const soa = zone.soa ?? zones.soa;
  const negative = [soaRecord(zone, soa, Math.min(soa.ttl, soa.minimum))];
  const { aliases, name, owned, stopped } = followAliases(zone, query);
  if (stopped) {
    return {
      rcode: 'NOERROR',
      authoritative: true,
      answers: aliases,
      authorities: [],
      additionals: [],
    };
  }
  if (owned === null) {
    return {
      rcode: 'NXDOMAIN',
      authoritative: true,
      answers: aliases,
      authorities: negative,
      additionals: [],
    };
  }
  const matching = owned.filter(
    (r) => query.qtype === QTYPE_ANY || TYPE_CODES[r.type] === query.qtype,
  );
  const answers = [...aliases, ...matching.map(toAnswer)];
  const atApex = name === zone.name;
  if (atApex && (query.qtype === TYPE.SOA || query.qtype === QTYPE_ANY)) {
    answers.unshift(soaRecord(zone, soa, soa.ttl));
  }
  return {
    rcode: 'NOERROR',
    authoritative: true,
    answers,
    authorities: answers.length === 0 ? negative : [],
    additionals: glueFor(matching, zones),
  };
}

/**
 * CNAMEs followed inside the zone, as RFC 1034 4.3.2 step 3a does for authoritative data;
 * an alias leaving the zone is for the client to ask about, and one met twice (a loop)
 * ends the chase. `stopped`: the chase ended at such an alias; otherwise `owned` is what
 * the last name holds (null: it does not exist).
 */
function followAliases(
  zone: ZoneContents,
  query: ParsedQuery,
): { aliases: Answer[]; name: string; owned: readonly StoredRecord[] | null; stopped: boolean } {
  const aliases: Answer[] = [];
  const seen = new Set<string>();
  let name = query.name;
  let owned = zone.lookup(name);
  if (query.qtype === TYPE.CNAME || query.qtype === QTYPE_ANY) {
    return { aliases, name, owned, stopped: false };
  }
  for (;;) {
    const alias = owned?.find((r) => r.type === 'CNAME');
    if (alias === undefined || alias.type !== 'CNAME')
      return { aliases, name, owned, stopped: false };
    if (seen.has(name)) return { aliases, name, owned, stopped: true };
    seen.add(name);
    aliases.push(toAnswer(alias));
    name = alias.target;
    if (!isInZone(name, zone.name)) return { aliases, name, owned: null, stopped: true };
    owned = zone.lookup(name);
  }
}

function optRecord(extendedRcode: number): Answer {
  return {
    type: 'OPT',
    name: '.',
    udpPayloadSize: MAX_EDNS_UDP_SIZE,
    extendedRcode,
    ednsVersion: 0,
    flags: 0,
    flag_do: false,
    options: [],
  };
}

/** The packet with the raw question spliced in after the header. */
function encode(
  id: number,
  queryFlags: number,
  sections: Sections,
  rawQuestion: Buffer | null,
  edns: boolean,
  truncated: boolean,
): Buffer {
  const rcodeLow = sections.rcode === 'BADVERS' ? 0 : RCODES[sections.rcode];
  const flags =
    (queryFlags & ECHOED_FLAGS) |
    (sections.authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) |
    (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0) |
    rcodeLow;
  const additionals = [...sections.additionals];
  // BADVERS is 16: its upper bits travel in the OPT record (RFC 6891 6.1.3).
  if (edns) additionals.push(optRecord(sections.rcode === 'BADVERS' ? 1 : 0));
  const packet: Packet = {
    type: 'response',
    id,
    flags,
    questions: [],
    answers: sections.answers,
    authorities: sections.authorities,
    additionals,
  };
  const body = dnsPacket.encode(packet);
  if (rawQuestion === null) return body;
  body.writeUInt16BE(1, 4);
  return Buffer.concat([body.subarray(0, 12), rawQuestion, body.subarray(12)]);
}

function recordLength(record: Answer): number {
  return dnsPacket.encodingLength({ questions: [], answers: [record] }) - 12;
}

function sectionsLength(sections: Sections, rawQuestion: Buffer, edns: boolean): number {
  const packet: Packet = {
    questions: [],
    answers: sections.answers,
    authorities: sections.authorities,
    additionals: edns ? [...sections.additionals, optRecord(0)] : sections.additionals,
  };
  return dnsPacket.encodingLength(packet) + rawQuestion.length;
}

/** Fits `sections` into `limit` bytes as described in the file comment. */
function fit(
  sections: Sections,
  query: ParsedQuery,
  transport: 'udp' | 'tcp',
): { sections: Sections; truncated: boolean; trimmed: number } {
  const edns = query.edns !== null;
  const limit =
    transport === 'tcp'
      ? MAX_TCP_MESSAGE
      : edns
        ? Math.min(Math.max(query.edns?.udpPayloadSize ?? 0, CLASSIC_UDP_SIZE), MAX_EDNS_UDP_SIZE)
        : CLASSIC_UDP_SIZE;
  if (sectionsLength(sections, query.rawQuestion, edns) <= limit) {
    return { sections, truncated: false, trimmed: 0 };
  }
  // Glue is optional: leaving it out needs no TC (RFC 2181 9).
  const noGlue = { ...sections, additionals: [] };
  if (sectionsLength(noGlue, query.rawQuestion, edns) <= limit) {
    return { sections: noGlue, truncated: false, trimmed: 0 };
  }
  if (transport === 'udp') {
    return { sections: { ...noGlue, answers: [], authorities: [] }, truncated: true, trimmed: 0 };
  }
  let used = sectionsLength({ ...noGlue, answers: [] }, query.rawQuestion, edns);
  const kept: Answer[] = [];
  for (const record of noGlue.answers) {
    const length = recordLength(record);
    if (used + length > limit) break;
    used += length;
    kept.push(record);
  }
  return {
    sections: { ...noGlue, answers: kept },
    truncated: false,
    trimmed: noGlue.answers.length - kept.length,
  };
}

/** The answer to `parsed`, or null when the bytes deserve none. */
export function buildAnswer(
  parsed: QueryParse,
  zones: ZoneView,
  transport: 'udp' | 'tcp',
): BuiltAnswer | null {
  if (parsed.kind === 'drop') return null;
  if (parsed.kind === 'error') {
    const sections: Sections = {
      rcode: parsed.rcode,
      authoritative: false,
      answers: [],
      authorities: [],
      additionals: [],
    };
    const bytes = encode(parsed.id, parsed.flags, sections, null, false, false);
    return { bytes, rcode: parsed.rcode, truncated: false, trimmed: 0 };
  }
  const { query } = parsed;
  const edns = query.edns !== null;
  if (query.edns !== null && query.edns.version > 0) {
    const sections: Sections = {
      rcode: 'BADVERS',
      authoritative: false,
      answers: [],
      authorities: [],
      additionals: [],
    };
    const bytes = encode(query.id, query.flags, sections, query.rawQuestion, true, false);
    return { bytes, rcode: 'BADVERS', truncated: false, trimmed: 0 };
  }
  const fitted = fit(resolve(query, zones), query, transport);
  const bytes = encode(
    query.id,
    query.flags,
    fitted.sections,
    query.rawQuestion,
    edns,
    fitted.truncated,
  );
  return {
    bytes,
    rcode: fitted.sections.rcode,
    truncated: fitted.truncated,
    trimmed: fitted.trimmed,
  };
}
