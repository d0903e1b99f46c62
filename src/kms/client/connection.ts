/**
 * One TCP connection to a KMS host, used as a strict request/answer channel: `call` writes a
 * PDU and waits for the next whole PDU, under a timeout. Every way the connection can go
 * wrong becomes one ProbeFailure, recorded once; after that the connection is dead (a late
 * answer would pair with the wrong request) and every further call fails the same way.
 *
 * Cleanup is owned here: `open` either returns a connected RpcConnection or rejects after its
 * socket has closed, and `close` destroys the socket, drops the abort listener and resolves
 * only once the socket's 'close' event has fired, so no handle outlives a probe.
 */
import net from 'node:net';
import { KmsDecodeError } from '../errors.js';
import type { Deadline, PhaseBudget } from './deadline.js';
import { ProbeFailure } from './failure.js';
import type { ProbeTarget } from './options.js';
import { PduReader } from './pdu-reader.js';
import { hostKey } from '../../util/host-port.js';

export type CallPhase = 'bind' | 'request';

export interface ConnectSettings {
  connectMs: number;
  deadline: Deadline;
  signal?: AbortSignal;
}

/**
 * Reads the answer to a call where it arrives, in the socket's data callback: what it
 * returns resolves the call, what it throws rejects it (and leaves the connection as it
 * is: a payload the reader refuses is not a broken connection). One promise per exchange
 * instead of one per layer awaiting the layer below (docs/performance.md, KMS client CPU).
 */
export interface AnswerReader<T> {
  readAnswer(pdu: Buffer): T;
}

/** Hands the PDU back unread: the bind phase decodes it after the await. */
const AS_IS: AnswerReader<Buffer> = { readAnswer: (pdu) => pdu };

interface Waiter {
  resolve(value: unknown): void;
  reject(failure: unknown): void;
}

/**
 * What the pending wait is for: the timeout's text is built from it only if it fires. One
 * per connection, rewritten by each wait (no object per call).
 */
interface PhaseWait {
  phase: CallPhase | 'connect';
  /** The setting that applies (connectMs, bindMs or requestMs). */
  settingMs: number;
  /** What the wait was given: settingMs or, when less was left, the overall deadline's rest. */
  ms: number;
  deadline: Deadline | null;
}

/** Errors before the connection is up: what the admin should look at. */
function connectFailure(error: NodeJS.ErrnoException, where: string): ProbeFailure {
  switch (error.code) {
    case 'ECONNREFUSED':
      return new ProbeFailure(
        'connect_refused',
        `${where} refused the connection (nothing listens there)`,
      );
    case 'ETIMEDOUT':
      return new ProbeFailure('connect_timeout', `connecting to ${where} timed out in the OS`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return new ProbeFailure(
        'network',
        `cannot resolve the host name of ${where} (${error.code})`,
      );
    default:
      return new ProbeFailure('network', `connecting to ${where}: ${error.message}`);
  }
}

/** Errors once connected. A reset is the host dropping the exchange, like a close. */
function streamFailure(error: NodeJS.ErrnoException, where: string): ProbeFailure {
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
    return new ProbeFailure('connection_closed', `${where} reset the connection (${error.code})`);
  }
  return new ProbeFailure('network', `${where}: ${error.message}`);
}

function label(target: ProbeTarget): string {
  return hostKey(target);
}

/** The state of a connection the probe closed itself (see close()). */
const CLOSED_BY_PROBE = new ProbeFailure('aborted', 'connection closed by the probe');
/** What a connect wait resolves with (no PDU). */
const EMPTY = Buffer.alloc(0);

export class RpcConnection {
  private readonly socket = new net.Socket();
  private readonly reader = new PduReader();
  private readonly queue: Buffer[] = [];
  private readonly closed: Promise<void>;
  private waiter: Waiter | null = null;
  /** How the pending call reads its answer. */
  private answerReader: AnswerReader<unknown> = AS_IS;
  /** What the pending wait is for: plain data, not closures made per call. */
  private readonly pending: PhaseWait = { phase: 'connect', settingMs: 0, ms: 0, deadline: null };
  /**
   * One timer for every phase of the connection. A phase with the same budget as the last
   * re-arms it (refresh) instead of creating and cancelling a Timeout per phase, which
   * also rebuilt Node's timer list for that duration each time (docs/performance.md, KMS
   * client CPU). Between phases it may still run; firing without a waiter does nothing.
   * Cleared when the connection ends, so it never outlives the socket.
   */
  private timer: NodeJS.Timeout | null = null;
  private timerMs = -1;
  private failure: ProbeFailure | null = null;
  private connected = false;
  /** Bytes received since the current call started (for messages and the stale-retry rule). */
  private receivedInCall = 0;
  private callsDone = 0;
  readonly where: string;

  private constructor(
    private readonly target: ProbeTarget,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.where = label(target);
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error: NodeJS.ErrnoException) =>
      this.fail(
        this.connected ? streamFailure(error, this.where) : connectFailure(error, this.where),
      ),
    );
    // Checked before building the failure: every connection ends with 'end'/'close', and an
    // Error costs microseconds to construct (its stack trace), several times per probe.
    this.socket.on('end', () => this.failure === null && this.fail(this.closedFailure()));
    this.socket.on('close', () => this.failure === null && this.fail(this.closedFailure()));
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Connects within the connect timeout (and the overall deadline). Throws ProbeFailure. */
  static async open(target: ProbeTarget, settings: ConnectSettings): Promise<RpcConnection> {
    if (settings.signal?.aborted)
      throw new ProbeFailure('aborted', 'probe aborted before connecting');
    const connection = new RpcConnection(target, settings.signal);
    try {
      await connection.connect(settings);
      return connection;
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  /** The IP address connected to, or null before the connection is up. */
  get address(): string | null {
    if (!this.connected) return null;
    // An IP target is the peer's address: no getpeername() system call per exchange.
    const given = this.target.address;
    if (given && net.isIP(given) !== 0) return given;
    return this.socket.remoteAddress ?? null;
  }

  /** The failure that ended this connection, or null while it is usable. */
  get broken(): ProbeFailure | null {
    return this.failure;
  }

  /** Answers fully received on this connection. */
  get completedCalls(): number {
    return this.callsDone;
  }

  /** Bytes of the current (or last) call's answer that arrived. */
  get bytesReceived(): number {
    return this.receivedInCall;
  }

  private connect(settings: ConnectSettings): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter = { resolve: () => resolve(), reject };
      this.wait('connect', settings.connectMs, settings.deadline, waiter);
      this.socket.setNoDelay(true);
      this.socket.connect(
        { host: this.target.address ?? this.target.host, port: this.target.port },
        () => {
          if (this.failure !== null) return;
          this.connected = true;
          const waiter = this.waiter;
          this.waiter = null;
          waiter?.resolve(EMPTY);
        },
      );
    });
  }

  /**
   * Sends `pdu` and resolves with the next whole PDU the host sends. Rejects with a
   * ProbeFailure on timeout, close, socket error, abort or non-RPC bytes; all of them end
   * the connection.
   */
  call(pdu: Buffer, phase: CallPhase, phaseMs: number, deadline: Deadline): Promise<Buffer> {
    return this.callWith(pdu, phase, phaseMs, deadline, AS_IS);
  }

  /**
   * {@link call}, resolving with what `reader` makes of the answer (it runs synchronously
   * when the answer arrives; what it throws rejects the call, the connection stays).
   */
  callWith<T>(
    pdu: Buffer,
    phase: CallPhase,
    phaseMs: number,
    deadline: Deadline,
    reader: AnswerReader<T>,
  ): Promise<T> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.queue.length > 0) {
      const failure = new ProbeFailure(
        'unexpected',
        `${this.where} sent ${this.queue.length} PDU(s) nobody asked for`,
      );
      this.fail(failure);
      return Promise.reject(failure);
    }
    this.receivedInCall = 0;
    this.answerReader = reader;
    return new Promise<T>((resolve, reject) => {
      this.wait(phase, phaseMs, deadline, {
        resolve: resolve as Waiter['resolve'],
        reject,
      });
      this.socket.write(pdu);
    });
  }

  /** The failure of the pending wait when its time runs out. */
  private timeoutFailure(deadline: Deadline): ProbeFailure {
    const { phase, settingMs, ms } = this.pending;
    const budget: PhaseBudget = { ms, byDeadline: ms < settingMs };
    if (phase === 'connect') {
      return new ProbeFailure(
        'connect_timeout',
        `no TCP connection to ${this.where} within ${deadline.describe(budget, 'connect', settingMs)}`,
      );
    }
    const what = phase === 'bind' ? 'bind answer' : 'response';
    const got = this.receivedInCall > 0 ? ` (${this.receivedInCall} bytes of it arrived)` : '';
    return new ProbeFailure(
      'timeout',
      `no complete ${what} from ${this.where} within ${deadline.describe(budget, phase, settingMs)}${got}`,
    );
  }

  /** Destroys the socket and resolves once it has closed. Safe to call more than once. */
  async close(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort);
    // One shared instance: closing is the normal end of every probe, and nobody waits on
    // the connection any more to read a stack from it.
    if (this.failure === null) this.fail(CLOSED_BY_PROBE);
    this.socket.destroy();
    await this.closed;
  }

  private onData(chunk: Buffer): void {
    if (this.failure !== null) return;
    this.receivedInCall += chunk.length;
    let pdus: Buffer[];
    try {
      pdus = this.reader.push(chunk);
    } catch (error) {
      const message = error instanceof KmsDecodeError ? error.message : String(error);
      this.fail(
        new ProbeFailure('malformed', `${this.where} sent bytes that are not RPC: ${message}`),
      );
      return;
    }
    for (const pdu of pdus) this.queue.push(pdu);
    this.deliver();
  }

  private deliver(): void {
    const waiter = this.waiter;
    const pdu = this.queue.shift();
    if (waiter === null || pdu === undefined) {
      if (pdu !== undefined) this.queue.unshift(pdu);
      return;
    }
    this.waiter = null;
    this.callsDone += 1;
    let value: unknown;
    try {
      value = this.answerReader.readAnswer(pdu);
    } catch (error) {
      waiter.reject(error);
      return;
    }
    waiter.resolve(value);
  }

  /** Makes `waiter` the pending wait of `phase` and (re-)arms the timer for its budget. */
  private wait(
    phase: PhaseWait['phase'],
    settingMs: number,
    deadline: Deadline,
    waiter: Waiter,
  ): void {
    this.waiter = waiter;
    const ms = deadline.phaseMs(settingMs);
    const pending = this.pending;
    pending.phase = phase;
    pending.settingMs = settingMs;
    pending.ms = ms;
    pending.deadline = deadline;
    if (this.timer !== null && ms === this.timerMs) {
      this.timer.refresh();
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerMs = ms;
    this.timer = setTimeout(this.onTimer, ms);
  }

  private readonly onTimer = (): void => {
    const deadline = this.pending.deadline;
    if (this.waiter !== null && deadline !== null) this.fail(this.timeoutFailure(deadline));
  };

  private readonly onAbort = (): void => {
    this.fail(new ProbeFailure('aborted', 'probe aborted'));
  };

  private closedFailure(): ProbeFailure {
    if (!this.connected)
      return new ProbeFailure('network', `${this.where} closed before connecting`);
    const partial = this.reader.buffered > 0 ? ` after ${this.reader.buffered} bytes of a PDU` : '';
    return new ProbeFailure('connection_closed', `${this.where} closed the connection${partial}`);
  }

  /** Records the first failure, ends the connection and fails the pending wait, if any. */
  private fail(failure: ProbeFailure): void {
    if (this.failure !== null) return;
    this.failure = failure;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.socket.destroy();
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(failure);
  }
}
