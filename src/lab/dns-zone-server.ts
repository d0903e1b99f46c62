/**
 * The lab's authoritative DNS server: serves zones given as data over UDP and TCP (2-byte
 * length framing) on one loopback port, so the demo and the tests publish `_vlmcs._tcp`
 * records without dnsmasq or any system resolver. Zones change at run time (a test removes
 * a record and adds it back). Loopback only, checked before any socket exists; every input
 * is untrusted: garbage is dropped or answered FORMERR, TCP connections are bounded in
 * number, size and idle time, and close() leaves no socket or timer behind. Fault modes
 * set per zone (dns-zone-faults.ts) make it a hostile server for the DNS client's tests.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { buildAnswer } from './dns-zone-answer.js';
import type { AnswerRcode, BuiltAnswer, SoaSettings, ZoneView } from './dns-zone-answer.js';
import {
  DnsZoneError,
  ZoneContents,
  inMostSpecificZone,
  kmsSrvRecord,
  publicRecord,
  zoneName,
} from './dns-zone-data.js';
import type { KmsSrvData, StoredRecord, ZoneRecord } from './dns-zone-data.js';
import { KMS_SRV_PREFIX } from '../dns/index.js';
import { resolverLabel } from '../dns/index.js';
import { TYPE } from '../dns/index.js';
import { FaultTable, applyDnsFault, faultHitsType } from './dns-zone-faults.js';
import type { DnsFault, FaultReply } from './dns-zone-faults.js';
import { parseQuery } from './dns-zone-query.js';
import type { ParsedQuery } from './dns-zone-query.js';
import { loopbackListenAddress } from './loopback.js';
import { bindUdp, closeTcp, closeUdp, listenTcp } from './sockets.js';

export { DnsZoneError, addressRecords, kmsSrvRecord } from './dns-zone-data.js';
export type { KmsSrvData, ZoneRecord } from './dns-zone-data.js';
export { DNS_FAULT_MODES } from './dns-zone-faults.js';
export type { DnsFault, DnsFaultMode, DnsFaultSpec } from './dns-zone-faults.js';

export interface DnsZoneServerOptions {
  /** A loopback IP (127.0.0.0/8 or ::1); default 127.0.0.1. Anything else throws. */
  address?: string;
  /** 0 (default) picks a port free for both UDP and TCP. */
  port?: number;
  /** Zone name → its records. */
  zones?: Readonly<Record<string, readonly ZoneRecord[]>>;
  /** SOA TTL and negative-caching TTL (default 60 s and 30 s). */
  soa?: Partial<SoaSettings>;
  /** TCP connections served at once (default 64); more are dropped on accept. */
  maxConnections?: number;
  /** Close a TCP connection idle this long (default 10 000 ms). */
  idleTimeoutMs?: number;
  /** Zone name → the fault its queries meet (see setFault). */
  faults?: Readonly<Record<string, DnsFault>>;
  /** Keep every query in `received` (tests); default false, so a long demo keeps nothing. */
  logQueries?: boolean;
  /**
   * Serve TCP (default true). false holds the TCP port only while binding, so a client's
   * TCP retry meets "connection refused" rather than another process's listener.
   */
  tcp?: boolean;
}

/** One query as the server read it (when `logQueries` is set). */
export interface ReceivedQuery {
  transport: 'udp' | 'tcp';
  /** Lower case, no trailing dot. */
  name: string;
  /** 'SRV', 'A', 'AAAA', … or TYPE<n>. */
  type: string;
  edns: boolean;
  /** The client's source port. */
  peerPort: number;
}

export interface DnsZoneServerStats {
  udpQueries: number;
  tcpQueries: number;
  /** Datagrams or frames not worth an answer (too short, or responses). */
  dropped: number;
  /** Answers by rcode. */
  rcodes: Partial<Record<AnswerRcode, number>>;
  /** UDP answers sent with TC. */
  truncated: number;
  /** TCP answers cut to fit 65,535 bytes. */
  trimmed: number;
  tcpConnections: number;
  /** Queries a fault answered (or silenced) instead of the zone data alone. */
  faulted: number;
}

export interface DnsZoneServer {
  readonly address: string;
  readonly port: number;
  /** `127.0.0.1:PORT` (`[::1]:PORT`): the resolver string of the monitor's configuration. */
  readonly resolver: string;
  /**
   * Creates or replaces a zone; validated first, a bad record changes nothing. `soa`: this
   * zone's SOA TTLs, if not the server's.
   */
  setZone(zone: string, records: readonly ZoneRecord[], soa?: Partial<SoaSettings>): void;
  /** Stops serving a zone: its names are REFUSED from then on. Returns whether it existed. */
  removeZone(zone: string): boolean;
  /** Served zone names. */
  zones(): string[];
  /** A copy of a zone's records; throws for a zone not served. */
  records(zone: string): ZoneRecord[];
  addRecords(zone: string, records: readonly ZoneRecord[]): void;
  /** Removes the records `match` selects; returns how many went. */
  removeRecords(zone: string, match: (record: ZoneRecord) => boolean): number;
  /** Adds a `_vlmcs._tcp.<zone>` record. */
  addSrv(zone: string, srv: KmsSrvData): void;
  /** Removes `_vlmcs._tcp.<zone>` records with this target (and port, if given). */
  removeSrv(zone: string, target: string, port?: number): number;
  /** Sets the fault every query for a name in `zone` meets from now on; null: none. */
  setFault(zone: string, fault: DnsFault | null): void;
  /** The queries read so far, oldest first (empty unless `logQueries`). */
  readonly received: readonly ReceivedQuery[];
  stats(): DnsZoneServerStats;
  /** Stops both listeners and destroys every connection. Safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_SOA: SoaSettings = { ttl: 60, minimum: 30 };
const DEFAULT_MAX_CONNECTIONS = 64;
const DEFAULT_IDLE_TIMEOUT_MS = 10_000;
/** A TCP client that stops reading: stop reading its queries until this drains. */
const MAX_PENDING_WRITE_BYTES = 1 << 20;
/** Ports tried when port 0 must be free for UDP and TCP alike. */
const PORT_ATTEMPTS = 20;

function checkCount(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DnsZoneError(`${what} must be ${min}..${max}, got ${value}`);
  }
  return value;
}

function soaSettings(soa: Partial<SoaSettings> | undefined): SoaSettings {
  return {
    // Any u32, as for records: a lab zone may publish TTLs RFC 2181 says to read as 0.
    ttl: checkCount(soa?.ttl ?? DEFAULT_SOA.ttl, 0, 0xffffffff, 'soa.ttl'),
    minimum: checkCount(soa?.minimum ?? DEFAULT_SOA.minimum, 0, 0xffffffff, 'soa.minimum'),
  };
}

/** A zone name: canonical, and not the root (a lab server must not claim every name). */
function servedZoneName(zone: string): string {
  const name = zoneName(zone, 'zone');
  if (name === '.') throw new DnsZoneError('the lab does not serve the root zone');
  return name;
}

/** The zones, looked up by the longest suffix of a name. */
class ZoneTable implements ZoneView {
  private readonly zones = new Map<string, ZoneContents>();

  constructor(readonly soa: SoaSettings) {}

  zoneOf(name: string): ZoneContents | undefined {
    return inMostSpecificZone(this.zones, name);
  }

  get(zone: string): ZoneContents {
    const contents = this.zones.get(servedZoneName(zone));
    if (!contents) throw new DnsZoneError(`zone ${JSON.stringify(zone)} is not served`);
    return contents;
  }

  set(zone: string, records: readonly ZoneRecord[], soa?: Partial<SoaSettings>): void {
    const name = servedZoneName(zone);
    const own = soa === undefined ? undefined : soaSettings({ ...this.soa, ...soa });
    const existing = this.zones.get(name);
    const contents = existing ?? new ZoneContents(name, records);
    if (existing) existing.replace(records);
    else this.zones.set(name, contents);
    contents.soa = own;
  }

  delete(zone: string): boolean {
    return this.zones.delete(servedZoneName(zone));
  }

  names(): string[] {
    return [...this.zones.keys()].sort();
  }
}

const TYPE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(TYPE).map(([name, code]) => [code, name]),
);

function typeName(qtype: number): string {
  return TYPE_NAMES.get(qtype) ?? `TYPE${qtype}`;
}

/** Splits a TCP byte stream into DNS messages (2-byte big-endian length prefix). */
class TcpFramer {
  private buffer: Buffer = Buffer.alloc(0);

  /** Appends bytes and returns every whole message now available. */
  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const messages: Buffer[] = [];
    while (this.buffer.length >= 2) {
      const length = this.buffer.readUInt16BE(0);
      if (this.buffer.length < 2 + length) break;
      messages.push(this.buffer.subarray(2, 2 + length));
      this.buffer = this.buffer.subarray(2 + length);
    }
    return messages;
  }
}

function framed(bytes: Buffer): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(bytes.length, 0);
  return Buffer.concat([prefix, bytes]);
}

export async function startDnsZoneServer(
  options: DnsZoneServerOptions = {},
): Promise<DnsZoneServer> {
  // Everything is validated before a socket exists: a refused address never binds.
  const address = loopbackListenAddress(options.address);
  const requestedPort = checkCount(options.port ?? 0, 0, 65535, 'port');
  const maxConnections = checkCount(
    options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    1,
    4096,
    'maxConnections',
  );
  const idleTimeoutMs = checkCount(
    options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    1,
    600_000,
    'idleTimeoutMs',
  );
  const table = new ZoneTable(soaSettings(options.soa));
  for (const [zone, records] of Object.entries(options.zones ?? {})) table.set(zone, records);
  const faults = new FaultTable();
  for (const [zone, fault] of Object.entries(options.faults ?? {})) faults.set(zone, fault);
  const logQueries = options.logQueries ?? false;
  const serveTcp = options.tcp ?? true;
  const received: ReceivedQuery[] = [];

  const stats: DnsZoneServerStats = {
    udpQueries: 0,
    tcpQueries: 0,
    dropped: 0,
    rcodes: {},
    truncated: 0,
    trimmed: 0,
    tcpConnections: 0,
    faulted: 0,
  };
  const counted = (built: BuiltAnswer | null): Buffer | null => {
    if (built === null) return null;
    stats.rcodes[built.rcode] = (stats.rcodes[built.rcode] ?? 0) + 1;
    if (built.truncated) stats.truncated++;
    if (built.trimmed > 0) stats.trimmed++;
    return built.bytes;
  };
  const faulted = (
    query: ParsedQuery,
    transport: 'udp' | 'tcp',
    peerPort: number,
  ): FaultReply | null => {
    const type = typeName(query.qtype);
    if (logQueries) {
      received.push({ transport, name: query.name, type, edns: query.edns !== null, peerPort });
    }
    const fault = faults.faultOf(query.name);
    if (fault === undefined || !faultHitsType(fault, type)) return null;
    stats.faulted++;
    return applyDnsFault(
      fault,
      query,
      transport,
      () => counted(buildAnswer({ kind: 'query', query }, table, transport)),
      () => faults.firstTime(`${transport}|${query.name}|${query.qtype}`),
    );
  };
  /** What to send for these bytes; null: nothing, and a TCP stream is no longer trusted. */
  const respond = (
    bytes: Buffer,
    transport: 'udp' | 'tcp',
    peerPort: number,
  ): FaultReply | null => {
    try {
      const parsed = parseQuery(bytes);
      const fault = parsed.kind === 'query' ? faulted(parsed.query, transport, peerPort) : null;
      if (fault !== null) return fault;
      const answer = counted(buildAnswer(parsed, table, transport));
      if (answer !== null) return { replies: [answer], delayMs: 0 };
    } catch {
      // A bug must not take the server down; the client sees a timeout and the count shows it.
    }
    stats.dropped++;
    return null;
  };

  let closed = false;
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  /** Runs `send` now, or later (delay and twice faults), unless the server closed meanwhile. */
  const deliver = (reply: FaultReply, send: (bytes: Buffer) => void): void => {
    const all = (): void => {
      if (!closed) for (const bytes of reply.replies) send(bytes);
    };
    const at = (delayMs: number): void => {
      if (delayMs === 0) return all();
      const timer = setTimeout(() => {
        timers.delete(timer);
        all();
      }, delayMs);
      timers.add(timer);
    };
    at(reply.delayMs);
    if (reply.againAfterMs !== undefined) at(reply.delayMs + reply.againAfterMs);
  };
  const family = net.isIP(address) === 6 ? 'udp6' : 'udp4';
  let udp = dgram.createSocket({ type: family });
  let tcp = net.createServer({ noDelay: true });

  const onUdpMessage = (message: Buffer, peer: dgram.RemoteInfo): void => {
    stats.udpQueries++;
    const reply = respond(message, 'udp', peer.port);
    if (reply === null || closed) return;
    deliver(reply, (bytes) => udp.send(bytes, peer.port, peer.address, () => undefined));
  };

  const onTcpConnection = (socket: net.Socket): void => {
    if (closed) {
      socket.destroy();
      return;
    }
    stats.tcpConnections++;
    sockets.add(socket);
    const framer = new TcpFramer();
    socket.setTimeout(idleTimeoutMs, () => socket.destroy());
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.on('drain', () => socket.resume());
    socket.on('data', (chunk: Buffer) => {
      for (const message of framer.push(chunk)) {
        stats.tcpQueries++;
        const reply = respond(message, 'tcp', socket.remotePort ?? 0);
        if (reply === null || reply.close) {
          // Not even a header (or a fault that hangs up): the stream ends here.
          socket.destroy();
          return;
        }
        deliver(reply, (bytes) => {
          if (socket.destroyed) return;
          if (!socket.write(framed(bytes)) && socket.writableLength > MAX_PENDING_WRITE_BYTES) {
            socket.pause();
          }
        });
      }
    });
  };

  // Port 0: the port UDP got must be free for TCP too; try again if it is not.
  let port: number;
  for (let attempt = 1; ; attempt++) {
    udp.on('error', () => undefined);
    try {
      await bindUdp(udp, requestedPort, address);
    } catch (error) {
      await closeUdp(udp);
      throw error;
    }
    port = udp.address().port;
    try {
      await listenTcp(tcp, port, address);
      break;
    } catch (error) {
      await closeUdp(udp);
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!inUse || requestedPort !== 0 || attempt >= PORT_ATTEMPTS) throw error;
      udp = dgram.createSocket({ type: family });
      tcp = net.createServer({ noDelay: true });
    }
  }
  udp.on('message', onUdpMessage);
  tcp.on('connection', onTcpConnection);
  tcp.maxConnections = maxConnections;
  // The port stayed taken while binding, so it is free now: a TCP retry is refused.
  if (!serveTcp) await closeTcp(tcp);

  const resolver = resolverLabel({ address, port });

  return {
    address,
    port,
    resolver,
    setZone: (zone, records, soa) => table.set(zone, records, soa),
    removeZone: (zone) => table.delete(zone),
    zones: () => table.names(),
    records: (zone) => table.get(zone).records().map(publicRecord),
    addRecords: (zone, records) => table.get(zone).add(records),
    removeRecords: (zone, match) =>
      table.get(zone).remove((record: StoredRecord) => match(publicRecord(record))),
    addSrv: (zone, srv) => table.get(zone).add([kmsSrvRecord(servedZoneName(zone), srv)]),
    removeSrv(zone, target, srvPort) {
      const owner = KMS_SRV_PREFIX + servedZoneName(zone);
      const wanted = zoneName(target, 'SRV target');
      return table
        .get(zone)
        .remove(
          (r) =>
            r.type === 'SRV' &&
            r.name === owner &&
            r.target === wanted &&
            (srvPort === undefined || r.port === srvPort),
        );
    },
    setFault: (zone, fault) => faults.set(zone, fault),
    received,
    stats: () => ({ ...stats, rcodes: { ...stats.rcodes } }),
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await Promise.all([closeUdp(udp), closeTcp(tcp)]);
    },
  };
}
