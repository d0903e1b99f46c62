/**
 * One query over UDP, on a socket shared with the other queries in flight to the same
 * resolver (see udp-channel.ts). Retransmits within the deadline, vets every datagram
 * carrying its ID, and waits through strays: only a valid answer, a broken answer to this
 * very question, a socket error or the deadline ends it. At the deadline it is `timeout`
 * unless datagrams meant for this query (its ID, or its question with another ID) were
 * dropped: then the most telling of those names the failure.
 *
 * A query is one object with methods rather than a bundle of closures, and it owns no timer:
 * its channel keeps one timer for all its queries and calls `due()` when this one's next
 * retransmission or deadline comes (a timer per query cost more than the query's own work).
 */
import { DnsFailure } from './errors.js';
import {
  encodeQuery,
  vetAnswer,
  type DnsQuestion,
  type DnsResponse,
  type SentQuery,
} from './message.js';
import { resolverLabel, type ResolverAddress } from './resolver-address.js';
import { DropLog, type ExchangeOptions } from './transport-types.js';
import {
  questionKey,
  type ChannelListener,
  type UdpChannel,
  type UdpChannels,
} from './udp-channel.js';
import { TYPE } from './wire-check.js';

class UdpQuery implements ChannelListener {
  readonly id: number;
  /** performance.now() of the next retransmission or of the deadline. */
  dueAt = 0;
  /** What was asked, with its ID: answers are vetted against it. */
  private readonly sent: SentQuery;
  private readonly wire: Buffer;
  private readonly started = performance.now();
  private sends = 0;
  private drops: DropLog | null = null;
  private settled = false;
  private key: string | null = null;
  private readonly onAbort: (() => void) | null = null;

  constructor(
    private readonly channel: UdpChannel,
    private readonly question: DnsQuestion,
    edns: boolean,
    private readonly options: ExchangeOptions,
    private readonly resolve: (response: DnsResponse) => void,
    private readonly reject: (failure: DnsFailure) => void,
  ) {
    this.id = channel.register(this);
    this.sent = { ...question, id: this.id, edns };
    this.wire = encodeQuery(this.sent);
    if (options.signal) {
      this.onAbort = () => this.settle(new DnsFailure('timeout', `query to ${this.label} aborted`));
      options.signal.addEventListener('abort', this.onAbort, { once: true });
    }
    this.send(this.started);
  }

  get questionKey(): string {
    return (this.key ??= questionKey(this.question.name, TYPE[this.question.type]));
  }

  datagram(message: Buffer): void {
    const verdict = vetAnswer(message, this.sent, this.wire);
    if (verdict.kind === 'answer') this.settle(null, verdict.response);
    else if (verdict.kind === 'fail') this.settle(verdict.failure);
    else this.stray(verdict.failure);
  }

  stray(failure: DnsFailure): void {
    (this.drops ??= new DropLog()).add(failure);
  }

  error(failure: DnsFailure): void {
    this.settle(failure);
  }

  due(now: number): void {
    if (this.sends < this.options.attempts) this.send(now);
    else this.settle(this.timedOut(now));
  }

  private get label(): string {
    return resolverLabel(this.channel.server);
  }

  private send(now: number): void {
    this.sends++;
    this.channel.send(this.wire);
    const remaining = this.options.deadline - now;
    const attemptsLeft = Math.max(1, this.options.attempts - this.sends + 1);
    // Spread the remaining time evenly over the transmissions still allowed.
    this.dueAt = now + Math.max(1, remaining / attemptsLeft);
    this.channel.schedule(this.dueAt);
  }

  private timedOut(now: number): DnsFailure {
    const waited = Math.round(now - this.started);
    const dropped = this.drops?.strongest;
    if (this.drops && dropped) {
      return new DnsFailure(
        dropped.reason,
        `no valid answer from ${this.label} within ${waited} ms; dropped ${this.drops.count} datagram(s), e.g. ${dropped.message}`,
      );
    }
    return new DnsFailure(
      'timeout',
      `no answer from ${this.label} within ${waited} ms (${this.sends} UDP attempt(s))`,
    );
  }

  private settle(failure: DnsFailure | null, response?: DnsResponse): void {
    if (this.settled) return;
    this.settled = true;
    if (this.onAbort) this.options.signal?.removeEventListener('abort', this.onAbort);
    // When this was the socket's last query, resolve only once the socket is closed, so a
    // finished lookup holds no handle; otherwise at once, without another promise.
    const closing = this.channel.release(this.id);
    if (closing) void closing.then(() => this.finish(failure, response));
    else this.finish(failure, response);
  }

  private finish(failure: DnsFailure | null, response?: DnsResponse): void {
    if (failure) this.reject(failure);
    else this.resolve(response as DnsResponse);
  }
}

export function exchangeUdp(
  channels: UdpChannels,
  server: ResolverAddress,
  question: DnsQuestion,
  edns: boolean,
  options: ExchangeOptions,
): Promise<DnsResponse> {
  return new Promise<DnsResponse>((resolve, reject) => {
    if (options.signal?.aborted) {
      return reject(new DnsFailure('timeout', `query to ${resolverLabel(server)} aborted`));
    }
    if (options.deadline <= performance.now()) {
      return reject(
        new DnsFailure(
          'timeout',
          `no answer from ${resolverLabel(server)} within 0 ms (0 UDP attempt(s))`,
        ),
      );
    }
    new UdpQuery(channels.acquire(server), question, edns, options, resolve, reject);
  });
}

/** `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9` style text for socket errors. */
export function errorText(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
