/**
 * Protocol fallback (docs/protocol.md §5.4): a host that does not know a request's version
 * answers HRESULT 0x8007000D; a real client then retries with the next lower version. The
 * retry goes on the same association (the host answered, so the connection is in sync), and
 * the result reports the version that worked. A forced version (--protocol) is tried alone:
 * whoever forces a version wants to know whether the host speaks that one.
 */
import type { KmsResponse } from '../messages/index.js';
import type { RpcTimeouts, RpcSession } from './rpc-session.js';
import { exchange } from './exchange.js';
import type { AnswerHandler, ExchangeAnswer, ExchangeInput } from './exchange.js';
import { ProbeFailure, asProbeFailure, hresultFailure } from './failure.js';
import type { KmsProductSpec } from './product-spec.js';
import { OLDEST_KMS_PROTOCOL, type KmsProtocolVersion } from '../protocol-version.js';

/** ERROR_INVALID_DATA: what a host answers for a protocol version it does not speak. */
export const HRESULT_PROTOCOL_NOT_SUPPORTED = 0x8007000d;

/** Each version's list, built once: the probe asks for one per product and host. */
const ORDERS = new Map<KmsProtocolVersion, readonly KmsProtocolVersion[]>();
const FORCED = new Map<KmsProtocolVersion, readonly KmsProtocolVersion[]>();

/** The product's own version, then each lower one down to the oldest; or the forced one alone. */
export function protocolsToTry(
  product: Pick<KmsProductSpec, 'protocol'>,
  forced?: KmsProtocolVersion,
): readonly KmsProtocolVersion[] {
  if (forced !== undefined) {
    let alone = FORCED.get(forced);
    if (alone === undefined) FORCED.set(forced, (alone = Object.freeze([forced])));
    return alone;
  }
  let order = ORDERS.get(product.protocol);
  if (order === undefined) {
    const out: KmsProtocolVersion[] = [];
    for (let v = product.protocol; v >= OLDEST_KMS_PROTOCOL; v--) out.push(v as KmsProtocolVersion);
    ORDERS.set(product.protocol, (order = Object.freeze(out)));
  }
  return order;
}

export interface ProductOutcome {
  /** The version that answered, or the one tried last. */
  protocol: KmsProtocolVersion;
  response: KmsResponse | null;
  failure: ProbeFailure | null;
  /** Versions tried, in order (more than one after a fallback). */
  tried: KmsProtocolVersion[];
}

/**
 * One product's exchange with fallback, as one promise: each answer is judged where it
 * arrives (exchange's AnswerHandler) and a fallback sends the next version's request from
 * there, so the product's promise follows it; no async layer per product
 * (docs/performance.md, KMS client CPU). The promise rejects only when an attempt got no
 * usable answer: {@link failed} turns that into the outcome.
 */
export class FallbackExchange implements AnswerHandler<ProductOutcome | Promise<ProductOutcome>> {
  private index = 0;
  private readonly attempt: ExchangeInput;

  constructor(
    private readonly session: RpcSession,
    input: Omit<ExchangeInput, 'protocol'>,
    private readonly protocols: readonly KmsProtocolVersion[],
    private readonly timeouts: RpcTimeouts,
  ) {
    this.attempt = {
      product: input.product,
      identity: input.identity,
      now: input.now,
      protocol: protocols[0] ?? OLDEST_KMS_PROTOCOL,
    };
  }

  /** Sends the first version's request. */
  start(): Promise<ProductOutcome> {
    if (this.protocols.length === 0) {
      const failure = new ProbeFailure('malformed', 'no protocol version to try');
      return Promise.resolve({ protocol: OLDEST_KMS_PROTOCOL, response: null, tried: [], failure });
    }
    return this.send();
  }

  /** The outcome of the attempt that got no usable answer (what start() rejected with). */
  failed(error: unknown): ProductOutcome {
    return this.outcome(null, asProbeFailure(error, 'request'));
  }

  onAnswer(answer: ExchangeAnswer): ProductOutcome | Promise<ProductOutcome> {
    if (answer.kind === 'response') return this.outcome(answer.response, null);
    const failure = hresultFailure(answer.hresult, this.attempt.protocol);
    const lower = this.index + 1 < this.protocols.length;
    if (answer.hresult !== HRESULT_PROTOCOL_NOT_SUPPORTED || !lower) {
      return this.outcome(null, failure);
    }
    // The host answered, so the association is in sync: the next version goes on it.
    this.index += 1;
    return this.send();
  }

  private send(): Promise<ProductOutcome> {
    this.attempt.protocol = this.protocols[this.index]!;
    // The handler may answer with the next attempt's promise, which the first one follows.
    return exchange(this.session, this.attempt, this.timeouts, this) as Promise<ProductOutcome>;
  }

  private outcome(response: KmsResponse | null, failure: ProbeFailure | null): ProductOutcome {
    // The versions tried are the prefix of the order up to this one, cut once here.
    const tried = this.protocols.slice(0, this.index + 1);
    return { protocol: this.attempt.protocol, response, failure, tried };
  }
}
