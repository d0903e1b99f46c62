/**
 * Every TCP connection of the web server, from accept to close, so that none can outstay
 * its welcome:
 *
 * - A cap (`server.maxConnections`) keeps the listener from taking the file descriptors
 *   the poller needs. Before the cap is reached, the connections idle longest (no request
 *   in progress: a keep-alive connection between requests, or one that never sent a byte)
 *   are closed, so a crowd of idle sockets cannot lock new clients out.
 * - Shutdown has a deadline: idle connections close at once, requests in progress get
 *   `graceMs`, and whatever is still open then is destroyed — a client dribbling header
 *   lines, or a TLS handshake that never ends, cannot hold the process.
 *
 * Connections are keyed by their remote address and port, which the raw TCP socket and the
 * TLS socket above it share, so TLS connections are seen from the first byte.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server, Socket } from 'node:net';

interface Tracked {
  socket: Socket;
  /** Requests in progress on this connection (more than one only when pipelined). */
  busy: number;
}

/** Shedding starts above this share of the cap and stops at the lower one. */
const SHED_FROM = 0.9;
const SHED_TO = 0.8;

export interface ConnectionStats {
  open: number;
  idle: number;
  max: number;
  shed: number;
}

export class ConnectionTracker {
  /** Least recently active first: a Map iterates in insertion order, and activity re-inserts. */
  private readonly connections = new Map<string, Tracked>();
  private max: number;
  private shedTotal = 0;
  private closing = false;
  private nextAnonymous = 0;

  constructor(
    private readonly server: Server,
    maxConnections: number,
  ) {
    this.max = maxConnections;
    server.maxConnections = maxConnections;
    server.on('connection', (socket: Socket) => this.onConnection(socket));
    server.on('request', (request: IncomingMessage, response: ServerResponse) =>
      this.onRequest(request, response),
    );
  }

  setMaxConnections(max: number): void {
    this.max = max;
    this.server.maxConnections = max;
  }

  stats(): ConnectionStats {
    let idle = 0;
    for (const c of this.connections.values()) if (c.busy === 0) idle++;
    return { open: this.connections.size, idle, max: this.max, shed: this.shedTotal };
  }

  private static key(socket: { remoteAddress?: string; remotePort?: number }): string | null {
    return socket.remoteAddress === undefined
      ? null
      : `${socket.remoteAddress}|${socket.remotePort ?? ''}`;
  }

  private onConnection(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const key = ConnectionTracker.key(socket) ?? `anonymous|${this.nextAnonymous++}`;
    this.connections.set(key, { socket, busy: 0 });
    socket.once('close', () => {
      if (this.connections.get(key)?.socket === socket) this.connections.delete(key);
    });
    if (this.connections.size > this.max * SHED_FROM) this.shed(socket);
  }

  private onRequest(request: IncomingMessage, response: ServerResponse): void {
    const key = ConnectionTracker.key(request.socket);
    const tracked = key === null ? undefined : this.connections.get(key);
    if (!tracked || key === null) return;
    tracked.busy++;
    this.touch(key, tracked);
    response.once('close', () => {
      tracked.busy = Math.max(0, tracked.busy - 1);
      if (this.connections.get(key) === tracked) this.touch(key, tracked);
    });
  }

  private touch(key: string, tracked: Tracked): void {
    this.connections.delete(key);
    this.connections.set(key, tracked);
  }

  /** Closes the longest-idle connections (never `keep`, the one just accepted). */
  private shed(keep: Socket): void {
    const target = Math.floor(this.max * SHED_TO);
    for (const [key, c] of this.connections) {
      if (this.connections.size <= target) break;
      if (c.busy > 0 || c.socket === keep) continue;
      this.connections.delete(key);
      c.socket.destroy();
      this.shedTotal++;
    }
  }

  /**
   * For shutdown, after the listener stopped accepting: closes idle connections now,
   * waits up to `graceMs` for requests in progress, destroys the rest. Resolves with the
   * number destroyed at the deadline.
   */
  async drain(graceMs: number): Promise<number> {
    this.closing = true;
    for (const [key, c] of this.connections) {
      if (c.busy > 0) continue;
      this.connections.delete(key);
      c.socket.destroy();
    }
    const deadline = Date.now() + graceMs;
    while (this.connections.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      // A request that finished leaves its keep-alive connection idle: close it too.
      for (const [key, c] of this.connections) {
        if (c.busy > 0) continue;
        this.connections.delete(key);
        c.socket.destroy();
      }
    }
    const left = [...this.connections.values()];
    this.connections.clear();
    for (const c of left) c.socket.destroy();
    return left.length;
  }
}
