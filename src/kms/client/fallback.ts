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
import type { ExchangeInput } from './exchange.js';
import { ProbeFailure, asProbeFailure, hresultFailure } from './failure.js';
import type { KmsProductSpec } from './product-spec.js';
import type { KmsProtocolVersion } from '../protocol-version.js';

/** ERROR_INVALID_DATA: what a host answers for a protocol version it does not speak. */
export const HRESULT_PROTOCOL_NOT_SUPPORTED = 0x8007000d;

/** Each version's list, built once: the probe asks for one per product and host. */
const ORDERS = new Map<KmsProtocolVersion, readonly KmsProtocolVersion[]>();
const FORCED = new Map<KmsProtocolVersion, readonly KmsProtocolVersion[]>();

/** The product's own version, then each lower one down to 4; or the forced version alone. */
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
    for (let v = product.protocol; v >= 4; v--) out.push(v as KmsProtocolVersion);
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

export async function exchangeWithFallback(
  session: RpcSession,
  input: Omit<ExchangeInput, 'protocol'>,
  protocols: readonly KmsProtocolVersion[],
  timeouts: RpcTimeouts,
): Promise<ProductOutcome> {
  const tried: KmsProtocolVersion[] = [];
  // Built only when needed: an Error's stack trace costs more than a whole codec step, and
  // this runs once per product on every host.
  let failure: ProbeFailure | null = null;
  for (let i = 0; i < protocols.length; i++) {
    const protocol = protocols[i]!;
    tried.push(protocol);
    let answer;
    try {
      answer = await exchange(
        session,
        { product: input.product, identity: input.identity, now: input.now, protocol },
        timeouts,
      );
    } catch (error) {
      return { protocol, response: null, tried, failure: asProbeFailure(error, 'request') };
    }
    if (answer.kind === 'response') {
      return { protocol, response: answer.response, tried, failure: null };
    }
    failure = hresultFailure(answer.hresult, protocol);
    const lower = i + 1 < protocols.length;
    if (answer.hresult !== HRESULT_PROTOCOL_NOT_SUPPORTED || !lower) {
      return { protocol, response: null, tried, failure };
    }
  }
  return {
    protocol: tried[tried.length - 1] ?? 4,
    response: null,
    tried,
    failure: failure ?? new ProbeFailure('malformed', 'no protocol version to try'),
  };
}
