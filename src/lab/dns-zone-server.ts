/**
 * The lab's authoritative DNS server: serves zones given as data over UDP and TCP (2-byte
 * length framing) on one loopback port, so the demo and the tests publish `_vlmcs._tcp`
 * records without dnsmasq or any system resolver. Zones change at run time (a test removes
 * a record and adds it back). Loopback only, checked before any socket exists; every input
 * is untrusted: garbage is dropped or answered FORMERR, TCP connections are bounded in
 * number, size and idle time, and close() leaves no socket or timer behind.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { buildAnswer } from './dns-zone-answer.js';
import type { AnswerRcode, BuiltAnswer, SoaSettings, ZoneView } from './dns-zone-answer.js';
import {
  DnsZoneError,
  ZoneContents,
  kmsSrvRecord,
  publicRecord,
  zoneName,
} from './dns-zone-data.js';
import type { KmsSrvData, StoredRecord, ZoneRecord } from './dns-zone-data.js';
import { KMS_SRV_PREFIX } from '../dns/names.js';
import { resolverLabel } from '../dns/resolver-address.js';
import { parseQuery } from './dns-zone-query.js';
import { loopbackListenAddress } from './loopback.js';

export { DnsZoneError, addressRecords, kmsSrvRecord } from './dns-zone-data.js';
export type { KmsSrvData, ZoneRecord } from './dns-zone-data.js';

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
}

export interface DnsZoneServer {
  readonly address: string;
  readonly port: number;
  /** `127.0.0.1:PORT` (`[::1]:PORT`): the resolver string of the monitor's configuration. */
  readonly resolver: string;
  /** Creates or replaces a zone; validated first, a bad record changes nothing. */
  setZone(zone: string, records: readonly ZoneRecord[]): void;
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

function bindUdp(socket: dgram.Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    socket.once('error', onError);
    socket.bind({ port, address, exclusive: true }, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

function listenTcp(server: net.Server, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ port, host: address, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeUdp(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // never bound or already closed
    }
  });
}

function closeTcp(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) resolve();
    else server.close(() => resolve());
  });
}

function checkCount(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DnsZoneError(`${what} must be ${min}..${max}, got ${value}`);
  }
  return value;
}

function soaSettings(soa: Partial<SoaSettings> | undefined): SoaSettings {
  return {
    ttl: checkCount(soa?.ttl ?? DEFAULT_SOA.ttl, 0, 0x7fffffff, 'soa.ttl'),
    minimum: checkCount(soa?.minimum ?? DEFAULT_SOA.minimum, 0, 0x7fffffff, 'soa.minimum'),
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
    let suffix = name;
    for (;;) {
      const zone = this.zones.get(suffix);
      if (zone) return zone;
      const dot = suffix.indexOf('.');
      if (dot < 0) return undefined;
      suffix = suffix.slice(dot + 1);
    }
  }

  get(zone: string): ZoneContents {
    const contents = this.zones.get(servedZoneName(zone));
    if (!contents) throw new DnsZoneError(`zone ${JSON.stringify(zone)} is not served`);
    return contents;
  }

  set(zone: string, records: readonly ZoneRecord[]): void {
    const name = servedZoneName(zone);
    const existing = this.zones.get(name);
    if (existing) existing.replace(records);
    else this.zones.set(name, new ZoneContents(name, records));
  }

  delete(zone: string): boolean {
    return this.zones.delete(servedZoneName(zone));
  }

  names(): string[] {
    return [...this.zones.keys()].sort();
  }
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

  const stats: DnsZoneServerStats = {
    udpQueries: 0,
    tcpQueries: 0,
    dropped: 0,
    rcodes: {},
    truncated: 0,
    trimmed: 0,
    tcpConnections: 0,
  };
  const answer = (bytes: Buffer, transport: 'udp' | 'tcp'): BuiltAnswer | null => {
    let built: BuiltAnswer | null;
    try {
      built = buildAnswer(parseQuery(bytes), table, transport);
    } catch {
      // A bug must not take the server down; the client sees a timeout and the count shows it.
      built = null;
    }
    if (built === null) {
      stats.dropped++;
      return null;
    }
    stats.rcodes[built.rcode] = (stats.rcodes[built.rcode] ?? 0) + 1;
    if (built.truncated) stats.truncated++;
    if (built.trimmed > 0) stats.trimmed++;
    return built;
  };

  let closed = false;
  const sockets = new Set<net.Socket>();
  const family = net.isIP(address) === 6 ? 'udp6' : 'udp4';
  let udp = dgram.createSocket({ type: family });
  let tcp = net.createServer({ noDelay: true });

  const onUdpMessage = (message: Buffer, peer: dgram.RemoteInfo): void => {
    stats.udpQueries++;
    const built = answer(message, 'udp');
    if (built === null || closed) return;
    udp.send(built.bytes, peer.port, peer.address, () => undefined);
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
        const built = answer(message, 'tcp');
        if (built === null) {
          // Not even a header: the stream cannot be trusted any more.
          socket.destroy();
          return;
        }
        if (!socket.write(framed(built.bytes)) && socket.writableLength > MAX_PENDING_WRITE_BYTES) {
          socket.pause();
        }
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

  const resolver = resolverLabel({ address, port });

  return {
    address,
    port,
    resolver,
    setZone: (zone, records) => table.set(zone, records),
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
    stats: () => ({ ...stats, rcodes: { ...stats.rcodes } }),
    async close() {
      if (closed) return;
      closed = true;
      for (const socket of sockets) socket.destroy();
      await Promise.all([closeUdp(udp), closeTcp(tcp)]);
    },
  };
}
