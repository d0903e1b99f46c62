/**
 * The DCE/RPC association over one connection (docs/protocol.md §2): bind, pick the
 * presentation context, then RequestActivation calls with call ids 2, 3, 4, ...
 *
 * Bind paths:
 * - NDR32 alone (the default): accepted → call on it. If a host rejects NDR32 as a transfer
 *   syntax (2/2), ask once more with an alter-context offering NDR64 and speak NDR64.
 * - the Windows/vlmcs offer (NDR32, NDR64, BTFN): a host preferring NDR64 rejects NDR32;
 *   then, like vlmcs, alter-context for NDR32 and call on it, or speak NDR64 if that fails.
 * A Bind-Nak or rejection of every context is 'bind_rejected'; a Fault is 'rpc_fault'.
 *
 * An RPC-level protocol violation (wrong call id, wrong packet type, a PDU that does not
 * decode) poisons the session: the caller opens a new connection for the next product.
 */
import { KmsDecodeError } from '../errors.js';
import {
  CONTEXT_RESULT,
  DEFAULT_CALL_ID,
  KMS_INTERFACE,
  NDR64_SYNTAX,
  PFC,
  PFC_FIRST_LAST,
  PROVIDER_REASON,
  PTYPE,
  alterContext,
  alterContextResp,
  bindAck,
  bindNak,
  bindNakReasonName,
  buildNdr32AlterContext,
  buildNdr32Bind,
  buildVlmcsBind,
  chooseContext,
  fault,
  faultStatusName,
  header,
  ndr32BindContexts,
  requestFrame,
  responseStub,
  responseStubOf,
  validateHeader,
  vlmcsBindContexts,
} from '../rpc/index.js';
import type {
  BindAckCodec,
  BindAckPdu,
  NdrSyntax,
  PresentationContext,
  ResponseStub,
} from '../rpc/index.js';
import type { AnswerReader, RpcConnection } from './connection.js';
import type { Deadline } from './deadline.js';
import { formatHresult } from '../hresult.js';
import { ProbeFailure, fromDecodeError } from './failure.js';
import type { BindStyle } from './options.js';

export interface RpcTimeouts {
  bindMs: number;
  requestMs: number;
  deadline: Deadline;
}

/** The NDR64 context an alter-context adds when a host refuses NDR32. */
const NDR64_ALTER_CONTEXTS: PresentationContext[] = [
  { contextId: 1, abstractSyntax: KMS_INTERFACE, transferSyntaxes: [NDR64_SYNTAX] },
];

function faultFailure(pdu: Buffer, what: string): ProbeFailure {
  const f = fault.decode(pdu);
  const name = faultStatusName(f.status);
  const code = formatHresult(f.status);
  return new ProbeFailure(
    'rpc_fault',
    `host answered the ${what} with an RPC fault, status ${code}${name ? ` (nca_s_${name})` : ''}`,
    code,
  );
}

/**
 * Checks a PDU against what the protocol allows here and decodes it; every way it can be
 * wrong becomes a ProbeFailure: bind_nak → bind_rejected, fault → rpc_fault, other header
 * problems → unexpected, body that does not decode → malformed.
 */
function readBindAnswer(
  pdu: Buffer,
  codec: BindAckCodec,
  callId: number,
  what: string,
): BindAckPdu {
  try {
    const h = header.decode(pdu);
    if (h.ptype === PTYPE.bindNak) {
      const nak = bindNak.decode(pdu);
      throw new ProbeFailure(
        'bind_rejected',
        `host refused the RPC association (bind_nak, ${bindNakReasonName(nak.rejectReason)}): not a usable KMS endpoint`,
      );
    }
    if (h.ptype === PTYPE.fault) throw faultFailure(pdu, what);
    validateHeader(h, { ptype: codec.ptype, callId, tolerateCallIdOne: false });
    return codec.decode(pdu);
  } catch (error) {
    if (error instanceof KmsDecodeError) throw fromDecodeError(error, what);
    throw error;
  }
}

/** What one RequestActivation call writes into its PDU and makes of the answer's stub. */
export interface ActivationCall<T> {
  writePayload(out: Buffer, offset: number): void;
  /** Runs when the answer arrives (synchronously, in the data callback). */
  readStub(stub: ResponseStub): T;
}

export class RpcSession {
  private nextCallId = DEFAULT_CALL_ID;
  /** The call id and the call of the request whose answer is awaited. */
  private pendingCallId = 0;
  private pendingCall: ActivationCall<unknown> | null = null;
  /** Made once per session: the connection runs it on every request's answer. */
  private readonly answerReader: AnswerReader<unknown> = {
    readAnswer: (answer) => this.readAnswer(answer),
  };
  private poisoned: ProbeFailure | null = null;
  private answered = 0;

  private constructor(
    readonly connection: RpcConnection,
    readonly syntax: NdrSyntax,
    readonly contextId: number,
    /** The bind_ack's association group: hosts pick their own, one emulator a constant. */
    readonly associationGroup: number,
  ) {}

  /** Binds on a fresh connection. Throws ProbeFailure. */
  static async bind(
    connection: RpcConnection,
    style: BindStyle,
    timeouts: RpcTimeouts,
  ): Promise<RpcSession> {
    const callId = DEFAULT_CALL_ID;
    const offered = style === 'windows' ? vlmcsBindContexts() : ndr32BindContexts();
    const bindPdu = style === 'windows' ? buildVlmcsBind({ callId }) : buildNdr32Bind({ callId });
    const ack = readBindAnswer(
      await connection.call(bindPdu, 'bind', timeouts.bindMs, timeouts.deadline),
      bindAck,
      callId,
      'bind',
    );
    const decision = chooseContext(offered, ack.results);
    const alter = async (pdu: Buffer, contexts: PresentationContext[]) => {
      const answer = readBindAnswer(
        await connection.call(pdu, 'bind', timeouts.bindMs, timeouts.deadline),
        alterContextResp,
        callId,
        'alter-context',
      );
      return chooseContext(contexts, answer.results);
    };

    switch (decision.kind) {
      case 'ndr32':
        return new RpcSession(connection, 'ndr32', decision.contextId, ack.assocGroupId);
      case 'ndr64': {
        // vlmcs's path: the host chose NDR64 over NDR32; ask for NDR32 on its own context.
        if (decision.ndr32ContextId === null)
          return new RpcSession(connection, 'ndr64', decision.contextId, ack.assocGroupId);
        const contextId = decision.ndr32ContextId;
        const pdu = buildNdr32AlterContext({ callId, contextId });
        const again = await alter(
          pdu,
          ndr32BindContexts().map((c) => ({ ...c, contextId })),
        );
        return again.kind === 'ndr32'
          ? new RpcSession(connection, 'ndr32', again.contextId, ack.assocGroupId)
          : new RpcSession(connection, 'ndr64', decision.contextId, ack.assocGroupId);
      }
      case 'not-kms':
        throw new ProbeFailure('bind_rejected', `not a KMS host: ${decision.detail}`);
      case 'rejected': {
        const first = ack.results[0];
        const ndr32Refused =
          style === 'ndr32' &&
          first?.result === CONTEXT_RESULT.providerRejection &&
          first.reason === PROVIDER_REASON.proposedTransferSyntaxesNotSupported;
        if (!ndr32Refused)
          throw new ProbeFailure('bind_rejected', `bind refused: ${decision.detail}`);
        const pdu = alterContext.encode({
          callId,
          pfcFlags: PFC_FIRST_LAST | PFC.concurrentMultiplex,
          contexts: NDR64_ALTER_CONTEXTS,
        });
        const again = await alter(pdu, NDR64_ALTER_CONTEXTS);
        if (again.kind === 'ndr64')
          return new RpcSession(connection, 'ndr64', again.contextId, ack.assocGroupId);
        const detail = again.kind === 'ndr32' ? 'unexpected NDR32 acceptance' : again.detail;
        throw new ProbeFailure('bind_rejected', `host refused NDR32 and NDR64: ${detail}`);
      }
    }
  }

  /** Null while the session can carry another request. */
  get unusable(): ProbeFailure | null {
    return this.connection.broken ?? this.poisoned;
  }

  /** Requests answered (with a payload or an HRESULT) on this session. */
  get requestsAnswered(): number {
    return this.answered;
  }

  /**
   * One RequestActivation call: `call` writes its `payloadSize`-byte payload into the PDU
   * (synchronously, before it is sent) and reads the response stub (payload or HRESULT)
   * when the answer arrives, inside the data callback, so the exchange costs one promise.
   * Rejects with a ProbeFailure for a fault, a timeout, a closed connection or a bad PDU,
   * and with whatever `call.readStub` throws.
   */
  requestActivation<T>(
    payloadSize: number,
    call: ActivationCall<T>,
    timeouts: RpcTimeouts,
  ): Promise<T> {
    const callId = this.nextCallId;
    const frame = requestFrame(this.syntax, this.contextId, payloadSize);
    const pdu = frame.open(callId);
    call.writePayload(pdu, frame.payloadAt);
    this.nextCallId += 1;
    this.pendingCallId = callId;
    this.pendingCall = call;
    return this.connection.callWith(
      pdu,
      'request',
      timeouts.requestMs,
      timeouts.deadline,
      this.answerReader as AnswerReader<T>,
    );
  }

  /** The connection's reader for a request's answer: the RPC checks, then the call's own. */
  private readAnswer(answer: Buffer): unknown {
    const call = this.pendingCall;
    this.pendingCall = null;
    if (call === null) throw new ProbeFailure('unexpected', 'an answer with no request pending');
    return call.readStub(this.readResponseStub(answer));
  }

  private readResponseStub(answer: Buffer): ResponseStub {
    try {
      const h = header.decode(answer);
      validateHeader(h, {
        ptype: [PTYPE.response, PTYPE.fault],
        callId: this.pendingCallId,
        tolerateCallIdOne: false,
      });
      if (h.ptype === PTYPE.fault) {
        this.answered += 1;
        throw faultFailure(answer, 'request');
      }
      const stubAnswer = responseStub(this.syntax).decode(responseStubOf(answer, h));
      this.answered += 1;
      return stubAnswer;
    } catch (error) {
      if (!(error instanceof KmsDecodeError)) throw error;
      const failure = fromDecodeError(error, 'response PDU');
      this.poisoned = failure;
      throw failure;
    }
  }
}
