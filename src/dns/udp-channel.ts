/**
 * Connected UDP sockets shared by the queries in flight to one resolver. Opening a socket
 * per query (bind, connect, close) costs Node more CPU than the DNS work itself; sharing
 * one among concurrent queries removes most of that while keeping what per-query sockets
 * gave:
 *  - a connected socket still makes the kernel discard datagrams from any other address
 *    and still reports ICMP port-unreachable (as a socket error, failing its queries);
 *  - the source port stays unpredictable: each socket takes a fresh random port, is
 *    retired after `maxQueriesPerSocket` queries, and closes the moment no query is in
 *    flight on it — so an idle client holds no socket, and a finished lookup leaves none;
 *  - IDs are random and unique among the queries in flight on one socket.
 * A datagram whose ID matches no query in flight on its socket cannot be attributed to
 * one, so every query waiting there notes it as a dropped id_mismatch.
 */
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import { DnsFailure } from './errors.js';
import { resolverLabel, type ResolverAddress } from './resolver-address.js';

/** What a channel tells the query that owns an ID. */
export interface ChannelListener {
  /** A datagram carrying this query's ID (still to be vetted). */
  datagram(message: Buffer): void;
  /** A datagram that belongs to no query on this socket (another ID, no header). */
  stray(failure: DnsFailure): void;
  /** The socket failed (ICMP unreachable, send error): the query is over. */
  error(failure: DnsFailure): void;
}

export interface ChannelOptions {
  randomId: () => number;
  /** Queries a socket carries before it takes no more (default 100). */
  maxQueriesPerSocket: number;
  /** Queries in flight on one socket at once (default 64). */
  maxInFlightPerSocket: number;
}

export class UdpChannel {
  private readonly socket: dgram.Socket;
  private readonly listeners = new Map<number, ChannelListener>();
  private readonly unsent: Buffer[] = [];
  private connected = false;
  private broken = false;
  private issued = 0;
  private closing: Promise<void> | null = null;

  constructor(
    readonly server: ResolverAddress,
    private readonly options: ChannelOptions,
    private readonly onClose: (channel: UdpChannel) => void,
  ) {
    this.socket = dgram.createSocket(isIP(server.address) === 6 ? 'udp6' : 'udp4');
    this.socket.on('message', (message: Buffer) => this.receive(message));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.connect(server.port, server.address, () => {
      this.connected = true;
      for (const wire of this.unsent.splice(0)) this.transmit(wire);
    });
  }

  /** Whether a new query may be started here. */
  get accepting(): boolean {
    return (
      this.closing === null &&
      !this.broken &&
      this.issued < this.options.maxQueriesPerSocket &&
      this.listeners.size < this.options.maxInFlightPerSocket
    );
  }

  /** Reserves a random ID not in flight on this socket. */
  register(listener: ChannelListener): number {
    let id = this.options.randomId() & 0xffff;
    while (this.listeners.has(id)) id = this.options.randomId() & 0xffff;
    this.listeners.set(id, listener);
    this.issued++;
    return id;
  }

  send(wire: Buffer): void {
    if (this.closing || this.broken) return;
    if (this.connected) this.transmit(wire);
    else this.unsent.push(wire);
  }

  /**
   * Ends a query. The last one out closes the socket (and takes it out of the pool at
   * once, so no new query joins a closing socket); the promise resolves when it is closed.
   */
  release(id: number): Promise<void> {
    this.listeners.delete(id);
    if (this.listeners.size > 0) return Promise.resolve();
    this.closing ??= new Promise<void>((resolve) => {
      this.onClose(this);
      this.socket.close(() => resolve());
    });
    return this.closing;
  }

  private transmit(wire: Buffer): void {
    // Node reports a send error only to a callback, but a callback also turns off its
    // synchronous try-send fast path. The first datagram of a socket carries one, to catch
    // errors such as "no route" (the same for every later send to this address); later
    // ones go without. ICMP errors arrive on the receive side either way.
    if (this.sentAny) return void this.socket.send(wire);
    this.sentAny = true;
    this.socket.send(wire, (error) => {
      if (error) this.fail(error);
    });
  }

  private sentAny = false;

  private receive(message: Buffer): void {
    // Only the ID is needed to route; the owner vets the rest.
    const id = message.length >= 12 ? message.readUInt16BE(0) : -1;
    const owner = this.listeners.get(id);
    if (owner) return owner.datagram(message);
    const failure =
      id >= 0
        ? new DnsFailure('id_mismatch', `an answer with ID ${id}, which no query in flight has`)
        : new DnsFailure(
            'malformed',
            `a ${message.length}-byte datagram, too short for a DNS header`,
          );
    for (const listener of this.listeners.values()) listener.stray(failure);
  }

  private fail(error: Error): void {
    const code = (error as NodeJS.ErrnoException).code;
    const text =
      code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
    const failure = new DnsFailure('network', `${resolverLabel(this.server)}: ${text}`);
    // No new queries here; those in flight end now, and the last to release closes it.
    this.broken = true;
    for (const listener of [...this.listeners.values()]) listener.error(failure);
  }
}

/** The open channels of one client, per resolver. */
export class UdpChannels {
  private readonly open = new Map<string, UdpChannel[]>();

  constructor(private readonly options: ChannelOptions) {}

  acquire(server: ResolverAddress): UdpChannel {
    const key = resolverLabel(server);
    const list = this.open.get(key) ?? [];
    const usable = list.find((channel) => channel.accepting);
    if (usable) return usable;
    const channel = new UdpChannel(server, this.options, (closed) => {
      const remaining = (this.open.get(key) ?? []).filter((c) => c !== closed);
      if (remaining.length > 0) this.open.set(key, remaining);
      else this.open.delete(key);
    });
    list.push(channel);
    this.open.set(key, list);
    return channel;
  }
}
