/**
 * probeKms: ask one KMS host about several products, the way a monitor should (docs/design.md
 * principles 1-6, docs/protocol.md §1-5).
 *
 * One TCP connection carries every product: connect, bind once, then one RequestActivation
 * per product with call ids 2, 3, 4, ... Connection policy:
 * - connect or bind fails → that failure is the answer for this and every remaining product
 *   (it is the host's state, not the product's; trying again per product only adds load);
 * - a product fails inside the KMS payload (HRESULT, fault, decrypt/verify/mismatch) → the
 *   association is still in sync, the next product uses the same connection;
 * - the connection dies or desyncs during a product (timeout, close, reset, bad PDU, wrong
 *   call id) → that product fails with the reason, the next product gets a new connection
 *   (within the overall deadline);
 * - a connection that already carried an answer and turns out closed before any byte of the
 *   next one (a host that serves one request per connection) → reconnect and send that
 *   request once more, as HTTP clients do with stale keep-alive connections (also within a
 *   protocol fallback). Same CMID, so the retry changes nothing on the host's count.
 * The overall deadline and the caller's AbortSignal end everything; products not reached get
 * 'timeout' / 'aborted'. The promise never rejects, and resolves only after the socket has
 * closed and every timer is cleared.
 */
import { RpcConnection } from './connection.js';
import { Deadline } from './deadline.js';
import { ProbeFailure, asProbeFailure } from './failure.js';
import { FallbackExchange, protocolsToTry } from './fallback.js';
import type { ProductOutcome } from './fallback.js';
import { buildProductResult } from './build-result.js';
import type { KmsProbeOptions, ProbeTarget } from './options.js';
import type { KmsProductSpec } from './product-spec.js';
import type { KmsProtocolVersion } from '../protocol-version.js';
import type { KmsProductResult, PhaseDurations } from './result.js';
import { RpcSession } from './rpc-session.js';
import type { RpcTimeouts } from './rpc-session.js';

const seconds = (since: number): number => (performance.now() - since) / 1000;

/** A connect or bind failure, with the time the failed phase took. */
class SessionFailure {
  constructor(
    readonly failure: ProbeFailure,
    readonly phases: PhaseDurations,
  ) {}
}

class ProbeRun {
  private readonly deadline: Deadline;
  private readonly rpcTimeouts: RpcTimeouts;
  private readonly now: () => Date;
  private session: RpcSession | null = null;
  private sessionPhases: PhaseDurations = {};
  private address: string | null = null;
  /** Connections bound so far in this probe, and whether the current one replaced a
   * connection the host closed after answering. */
  private connections = 0;
  private reopened = false;

  constructor(
    private readonly target: ProbeTarget,
    private readonly options: KmsProbeOptions,
  ) {
    this.deadline = new Deadline(options.timeouts.overallMs);
    this.rpcTimeouts = {
      bindMs: options.timeouts.bindMs,
      requestMs: options.timeouts.requestMs,
      deadline: this.deadline,
    };
    this.now = options.now ?? (() => new Date());
  }

  async run(products: readonly KmsProductSpec[]): Promise<KmsProductResult[]> {
    const results: KmsProductResult[] = [];
    try {
      for (const product of products) {
        const stop = this.stopReason();
        if (stop !== null) {
          results.push(this.result(product, null, stop, {}));
          continue;
        }
        const outcome = await this.probeProduct(product);
        if (outcome instanceof SessionFailure) {
          // Connect or bind failed: the same answer for every product not yet probed.
          for (const rest of products.slice(results.length)) {
            results.push(this.result(rest, null, outcome.failure, outcome.phases));
          }
          break;
        }
        results.push(outcome);
      }
    } finally {
      await this.dropSession();
    }
    return results;
  }

  /** Why no further product may start, or null. */
  private stopReason(): ProbeFailure | null {
    if (this.options.signal?.aborted) {
      return new ProbeFailure('aborted', 'probe aborted before this product was tried');
    }
    if (this.deadline.expired()) {
      return new ProbeFailure(
        'timeout',
        `the ${this.deadline.overallMs} ms overall deadline passed before this product was tried`,
      );
    }
    return null;
  }

  private async probeProduct(product: KmsProductSpec): Promise<KmsProductResult | SessionFailure> {
    let session = this.session ?? (await this.openSession());
    if (session instanceof SessionFailure) return session;

    const requestStarted = performance.now();
    const protocols = protocolsToTry(product, this.options.protocol);
    this.reopened = false;
    let tryNow = protocols;
    let outcome: ProductOutcome;
    for (;;) {
      // Awaited here, not in a function of its own: the product's one promise (fallback.ts).
      const run = this.ask(session, product, tryNow);
      try {
        outcome = await run.start();
      } catch (error) {
        outcome = run.failed(error);
      }
      if (this.reopened || !this.isStale(session, outcome)) break;
      await this.dropSession();
      session = await this.openSession();
      if (session instanceof SessionFailure) return session;
      this.reopened = true;
      // Resume with the version whose request was lost, not from the top again.
      const failedAt = outcome.protocol;
      tryNow = protocols.filter((p) => p <= failedAt);
    }
    const phases: PhaseDurations = { ...this.sessionPhases, request: seconds(requestStarted) };
    const result = this.result(product, outcome, outcome.failure, phases);
    // Dead or desynchronised: the next product starts on a new connection.
    if (session.unusable !== null) await this.dropSession();
    return result;
  }

  /**
   * A connection that had already answered a request and then closed before any byte of the
   * next answer: the host closes after each answer, not a failure of this product.
   */
  private isStale(session: RpcSession, outcome: ProductOutcome): boolean {
    return (
      outcome.failure?.reason === 'connection_closed' &&
      session.requestsAnswered > 0 &&
      session.connection.bytesReceived === 0 &&
      this.stopReason() === null
    );
  }

  private ask(
    session: RpcSession,
    product: KmsProductSpec,
    protocols: readonly KmsProtocolVersion[],
  ): FallbackExchange {
    return new FallbackExchange(
      session,
      { product, identity: this.options.identity, now: this.now },
      protocols,
      this.rpcTimeouts,
    );
  }

  private async openSession(): Promise<RpcSession | SessionFailure> {
    const connectStarted = performance.now();
    let connection: RpcConnection;
    try {
      connection = await RpcConnection.open(this.target, {
        connectMs: this.options.timeouts.connectMs,
        deadline: this.deadline,
        signal: this.options.signal,
      });
    } catch (error) {
      return new SessionFailure(asProbeFailure(error, 'connect'), {
        connect: seconds(connectStarted),
      });
    }
    const connect = seconds(connectStarted);
    this.address = connection.address;
    const bindStarted = performance.now();
    try {
      this.session = await RpcSession.bind(
        connection,
        this.options.bind ?? 'ndr32',
        this.rpcTimeouts,
      );
    } catch (error) {
      await connection.close();
      return new SessionFailure(asProbeFailure(error, 'bind'), {
        connect,
        bind: seconds(bindStarted),
      });
    }
    this.sessionPhases = { connect, bind: seconds(bindStarted) };
    this.connections += 1;
    return this.session;
  }

  private async dropSession(): Promise<void> {
    const session = this.session;
    this.session = null;
    await session?.connection.close();
  }

  private result(
    product: KmsProductSpec,
    outcome: ProductOutcome | null,
    failure: ProbeFailure | null,
    phases: PhaseDurations,
  ): KmsProductResult {
    return buildProductResult({
      target: this.target,
      address: phases.bind === undefined && outcome === null ? null : this.address,
      product,
      protocol: outcome?.protocol ?? null,
      response: outcome?.response ?? null,
      failure,
      phases,
      timestamp: this.now(),
      association:
        outcome === null || this.session === null
          ? null
          : {
              group: this.session.associationGroup,
              connection: this.connections,
              answered: this.session.requestsAnswered,
              reopened: this.reopened,
            },
    });
  }
}

/**
 * Probes `products` on one KMS host. One result per product, in order; never rejects.
 * See the file comment for the connection policy.
 */
export async function probeKms(
  target: ProbeTarget,
  products: readonly KmsProductSpec[],
  options: KmsProbeOptions,
): Promise<KmsProductResult[]> {
  const run = new ProbeRun(target, options);
  try {
    return await run.run(products);
  } catch (error) {
    // Last line of defence (principle 5): a bug is a named failure, not a rejected promise.
    const failure = asProbeFailure(error, 'internal error');
    const now = options.now ?? (() => new Date());
    return products.map((product) =>
      buildProductResult({
        target,
        address: null,
        product,
        protocol: null,
        response: null,
        failure,
        phases: {},
        timestamp: now(),
      }),
    );
  }
}
