/**
 * One product, one protocol version, on a bound session: build the request (the monitor's
 * CMID and workstation, the product's IDs and genuine N policy, the current time), send it,
 * and check the answer with the codec (docs/protocol.md §4.4). The outcome is a verified KmsResponse, an
 * HRESULT the host returned instead of a payload, or a thrown ProbeFailure.
 */
import { KmsDecodeError } from '../errors.js';
import {
  createRequestTemplate,
  decodeClientResponse,
  filetimeFromDate,
  makeBaseRequest,
} from '../messages/index.js';
import type { KmsResponse, RequestContext, RequestTemplate } from '../messages/index.js';
import { ProbeFailure, asProbeFailure, fromDecodeError } from './failure.js';
import type { KmsIdentity } from './identity.js';
import type { KmsProductSpec } from './product-spec.js';
import type { KmsProtocolVersion } from '../protocol-version.js';
import type { ActivationCall, RpcSession, RpcTimeouts } from './rpc-session.js';
import type { ResponseStub } from '../rpc/index.js';

export type ExchangeAnswer =
  | { kind: 'response'; response: KmsResponse }
  /** The host refused with an HRESULT (null payload), e.g. 0xC004F042 or 0x8007000D. */
  | { kind: 'hresult'; hresult: number };

export interface ExchangeInput {
  product: KmsProductSpec;
  protocol: KmsProtocolVersion;
  identity: KmsIdentity;
  now: () => Date;
}

/**
 * Request templates by identity, product and version: every request a monitor sends for a
 * product differs only in its time and IV (request-template.ts). Weak keys, so products
 * and identities of a reloaded configuration take their templates with them.
 */
const TEMPLATES = new WeakMap<KmsIdentity, WeakMap<KmsProductSpec, Map<number, RequestTemplate>>>();

function templateFor(input: ExchangeInput): RequestTemplate {
  const { identity, product, protocol } = input;
  let byProduct = TEMPLATES.get(identity);
  if (byProduct === undefined) TEMPLATES.set(identity, (byProduct = new WeakMap()));
  let byVersion = byProduct.get(product);
  if (byVersion === undefined) byProduct.set(product, (byVersion = new Map()));
  let template = byVersion.get(protocol);
  if (template === undefined) {
    template = createRequestTemplate(
      makeBaseRequest({
        protocol,
        applicationId: product.applicationId,
        skuId: product.skuId,
        kmsCountedId: product.kmsCountedId,
        cmid: identity.cmid,
        nPolicy: product.nPolicy,
        workstation: identity.workstation,
        clientTime: 0n,
      }),
    );
    byVersion.set(protocol, template);
  }
  return template;
}

/**
 * One request of one exchange: writes the payload straight into the PDU the session sends
 * and, when the answer arrives, checks it against what was sent (decodeClientResponse).
 * One object per exchange, no closures: its methods run synchronously inside the session.
 */
class ExchangeCall<T> implements ActivationCall<T> {
  private context: RequestContext | null = null;

  constructor(
    readonly template: RequestTemplate,
    private readonly clientTime: bigint,
    private readonly protocol: KmsProtocolVersion,
    private readonly handler: AnswerHandler<T>,
  ) {}

  writePayload(out: Buffer, offset: number): void {
    this.context = this.template.writeInto(out, offset, this.clientTime);
  }

  readStub(stub: ResponseStub): T {
    return this.handler.onAnswer(this.answerOf(stub));
  }

  private answerOf(stub: ResponseStub): ExchangeAnswer {
    if (stub.payload === null) {
      if (stub.hresult === 0) {
        throw new ProbeFailure('malformed', 'host returned no response payload and no error code');
      }
      return { kind: 'hresult', hresult: stub.hresult };
    }
    const context = this.context;
    if (context === null) throw new ProbeFailure('unexpected', 'an answer to a request not sent');
    try {
      return { kind: 'response', response: decodeClientResponse(stub.payload, context) };
    } catch (error) {
      if (error instanceof KmsDecodeError)
        throw fromDecodeError(error, `v${this.protocol} response`);
      throw error;
    }
  }
}

/** What the caller makes of a checked answer, where it arrives (no promise of its own). */
export interface AnswerHandler<T> {
  onAnswer(answer: ExchangeAnswer): T;
}

/** The answer as it is. */
const AS_ANSWER: AnswerHandler<ExchangeAnswer> = { onAnswer: (answer) => answer };

/** The request of this exchange; a bad product spec is a named failure. */
function prepare<T>(input: ExchangeInput, handler: AnswerHandler<T>): ExchangeCall<T> {
  try {
    const now = input.now();
    const offset = input.product.clientTimeOffsetMs ?? 0;
    // A second Date only for a product dated off (trust's clock check), not per request.
    const clientTime = filetimeFromDate(offset === 0 ? now : new Date(now.getTime() + offset));
    return new ExchangeCall(templateFor(input), clientTime, input.protocol, handler);
  } catch (error) {
    // A product spec with a bad GUID or N: a local error, named so it cannot escape.
    throw asProbeFailure(error, `cannot build the request for ${input.product.slug}`);
  }
}

/**
 * Sends one request and resolves with what `handler` makes of the checked answer (by
 * default the answer itself); rejects with a ProbeFailure when there is no usable answer.
 */
export function exchange(
  session: RpcSession,
  input: ExchangeInput,
  timeouts: RpcTimeouts,
): Promise<ExchangeAnswer>;
export function exchange<T>(
  session: RpcSession,
  input: ExchangeInput,
  timeouts: RpcTimeouts,
  handler: AnswerHandler<T>,
): Promise<T>;
export function exchange<T>(
  session: RpcSession,
  input: ExchangeInput,
  timeouts: RpcTimeouts,
  handler: AnswerHandler<T> = AS_ANSWER as AnswerHandler<T>,
): Promise<T> {
  let call: ExchangeCall<T>;
  try {
    call = prepare(input, handler);
  } catch (error) {
    return Promise.reject(error as Error);
  }
  return session.requestActivation(call.template.size, call, timeouts);
}
