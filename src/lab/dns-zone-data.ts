/**
 * The data a lab DNS zone holds: SRV, A and AAAA records given as plain objects, validated
 * and kept indexed by owner name so a query is a map lookup even in a zone of 10,000
 * records. Also knows which names exist (owners and the empty non-terminals above them),
 * because NXDOMAIN and NOERROR-without-data are different answers (RFC 8020).
 */
import net from 'node:net';
import { KMS_SRV_PREFIX, canonicalName, checkWireLimits } from '../dns/index.js';
import type { SoaSettings } from './dns-zone-answer.js';

/** TTL of records that give none: short, so a changed lab zone shows quickly anywhere. */
export const DEFAULT_RECORD_TTL = 60;

/** A record as callers write it. Names are absolute (with or without the trailing dot). */
export type ZoneRecord =
  | {
      type: 'SRV';
      name: string;
      /** Target host name; '.' means "service decidedly not available" (RFC 2782). */
      target: string;
      port: number;
      priority?: number;
      weight?: number;
      ttl?: number;
    }
  | { type: 'A' | 'AAAA'; name: string; address: string; ttl?: number }
  /** An alias: the server follows it within the zone, a client asks again beyond it. */
  | { type: 'CNAME'; name: string; target: string; ttl?: number };

/** A `_vlmcs._tcp.<zone>` record: what a Windows or Office client looks for. */
export interface KmsSrvData {
  target: string;
  port: number;
  priority?: number;
  weight?: number;
  ttl?: number;
}

/** The stored form: canonical names, every field filled in. */
export type StoredRecord =
  | {
      type: 'SRV';
      name: string;
      target: string;
      port: number;
      priority: number;
      weight: number;
      ttl: number;
    }
  | { type: 'A' | 'AAAA'; name: string; address: string; ttl: number }
  | { type: 'CNAME'; name: string; target: string; ttl: number };

export class DnsZoneError extends Error {
  override readonly name = 'DnsZoneError';
}

/** `_vlmcs._tcp.<zone>` → target:port. */
export function kmsSrvRecord(zone: string, srv: KmsSrvData): ZoneRecord {
  return { type: 'SRV', name: KMS_SRV_PREFIX + zone, ...srv };
}

/** One A or AAAA record per address, by the address's family. */
export function addressRecords(name: string, addresses: readonly string[], ttl?: number) {
  return addresses.map((address): ZoneRecord => {
    const type = net.isIP(address) === 6 ? 'AAAA' : 'A';
    return ttl === undefined ? { type, name, address } : { type, name, address, ttl };
  });
}

/** Canonical form of a name in zone data; throws DnsZoneError when it cannot be on the wire. */
export function zoneName(name: string, what = 'name'): string {
  const canonical = canonicalName(name.trim());
  if (canonical === '.') return canonical;
  // Printable ASCII only and no backslash: the lab publishes plain host names.
  if (!/^[\x21-\x5b\x5d-\x7e]+$/.test(canonical)) {
    throw new DnsZoneError(`${what} ${JSON.stringify(name)} is not a plain ASCII DNS name`);
  }
  try {
    checkWireLimits(canonical, name);
  } catch (error) {
    throw new DnsZoneError(`${what}: ${(error as Error).message}`);
  }
  return canonical;
}

function u16(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) {
    throw new DnsZoneError(`${what} must be 0..65535, got ${value}`);
  }
  return v;
}

/**
 * Any 32-bit TTL: a lab zone may publish one with the top bit set, which RFC 2181 section 8
 * says clients read as 0, to test exactly that.
 */
function ttlOf(value: number | undefined): number {
  const v = value ?? DEFAULT_RECORD_TTL;
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new DnsZoneError(`ttl must be 0..4294967295, got ${value}`);
  }
  return v;
}

/** The value of the most specific zone in `byZone` that holds `name` (both canonical). */
export function inMostSpecificZone<T>(byZone: ReadonlyMap<string, T>, name: string): T | undefined {
  for (let suffix = name; ;) {
    const value = byZone.get(suffix);
    if (value !== undefined) return value;
    const dot = suffix.indexOf('.');
    // The root holds every name (a fault may be set on it; a zone never is).
    if (dot < 0) return byZone.get('.');
    suffix = suffix.slice(dot + 1);
  }
}

/** Whether `name` is `zone` or below it (both canonical). */
export function isInZone(name: string, zone: string): boolean {
  return zone === '.' || name === zone || name.endsWith(`.${zone}`);
}

/** Validates one record of `zone`; throws DnsZoneError naming the problem. */
export function storeRecord(zone: string, record: ZoneRecord): StoredRecord {
  const name = zoneName(record.name, `${record.type} owner`);
  if (!isInZone(name, zone)) {
    throw new DnsZoneError(`${record.type} record ${name} is not in zone ${zone}`);
  }
  const ttl = ttlOf(record.ttl);
  switch (record.type) {
    case 'SRV':
      return {
        type: 'SRV',
        name,
        target: zoneName(record.target, 'SRV target'),
        port: u16(record.port, -1, 'SRV port'),
        priority: u16(record.priority, 0, 'SRV priority'),
        weight: u16(record.weight, 0, 'SRV weight'),
        ttl,
      };
    case 'A':
    case 'AAAA': {
      const family = record.type === 'A' ? 4 : 6;
      if (net.isIP(record.address) !== family) {
        throw new DnsZoneError(
          `${record.type} record ${name}: ${JSON.stringify(record.address)} is no IPv${family} address`,
        );
      }
      return { type: record.type, name, address: record.address, ttl };
    }
    case 'CNAME':
      return { type: 'CNAME', name, target: zoneName(record.target, 'CNAME target'), ttl };
    default:
      throw new DnsZoneError(
        `unsupported record type ${JSON.stringify((record as { type: unknown }).type)}`,
      );
  }
}

/** The public form of a stored record (what `records()` returns). */
export function publicRecord(record: StoredRecord): ZoneRecord {
  return { ...record };
}

/**
 * One zone's records, indexed. Mutations rebuild the index and bump the SOA serial, as a
 * real primary does on every change.
 */
export class ZoneContents {
  private list: StoredRecord[] = [];
  private byOwner = new Map<string, StoredRecord[]>();
  private existing = new Set<string>();
  serial = 0;
  /** This zone's SOA TTLs, when they differ from the server's. */
  soa: SoaSettings | undefined;

  constructor(
    readonly name: string,
    records: readonly ZoneRecord[] = [],
  ) {
    this.replace(records);
  }

  /** Validates every record first: one bad record changes nothing. */
  replace(records: readonly ZoneRecord[]): void {
    const stored = records.map((r) => storeRecord(this.name, r));
    this.reindex(stored);
  }

  add(records: readonly ZoneRecord[]): void {
    const stored = records.map((r) => storeRecord(this.name, r));
    this.reindex([...this.list, ...stored]);
  }

  /** Removes the records `match` selects; returns how many went. */
  remove(match: (record: StoredRecord) => boolean): number {
    const kept = this.list.filter((r) => !match(r));
    const removed = this.list.length - kept.length;
    if (removed > 0) this.reindex(kept);
    return removed;
  }

  records(): StoredRecord[] {
    return [...this.list];
  }

  /** The records owned by `name`, or null when the name does not exist in the zone. */
  lookup(name: string): readonly StoredRecord[] | null {
    const owned = this.byOwner.get(name);
    if (owned) return owned;
    return this.existing.has(name) ? [] : null;
  }

  private reindex(records: StoredRecord[]): void {
    const byOwner = new Map<string, StoredRecord[]>();
    const existing = new Set<string>([this.name]);
    for (const record of records) {
      const owned = byOwner.get(record.name);
      if (owned) owned.push(record);
      else byOwner.set(record.name, [record]);
      // Every name between the owner and the apex exists (empty non-terminals such as
      // `_tcp.<zone>` above `_vlmcs._tcp.<zone>`).
      let name = record.name;
      while (name !== this.name && !existing.has(name)) {
        existing.add(name);
        const dot = name.indexOf('.');
        if (dot < 0) break;
        name = name.slice(dot + 1);
      }
    }
    this.list = records;
    this.byOwner = byOwner;
    this.existing = existing;
    this.serial = (this.serial + 1) >>> 0 || 1;
  }
}
