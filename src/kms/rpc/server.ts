/**
 * The server half of the KMS RPC layer, for the lab host: which presentation contexts to
 * accept in a bind or alter-context, and whether a request may run. Modelled on what vlmcsd
 * does in the captures (docs/protocol.md §2.3, §2.6), which in turn mirrors Windows hosts:
 * - a context for another interface → provider rejection, reason 1 (abstract syntax);
 * - with NDR64 supported and offered anywhere in the same PDU, NDR32 contexts are rejected
 *   (2, 2) and the NDR64 one accepted — what Windows 8 / Server 2012 and later do, and why
 *   vlmcs follows with an alter-context; an NDR32-only offer is accepted;
 * - BTFN → negotiate_ack with the features both sides support, or (2, 2) when disabled;
 * - a request on a context never accepted → fault nca_s_unk_if; another opnum → op_rng_error.
 */
import type { PresentationContext } from './bind.js';
import { NIL_SYNTAX } from './bind-ack.js';
import type { ContextResult } from './bind-ack.js';
import {
  CONTEXT_RESULT,
  FAULT_STATUS,
  KMS_INTERFACE,
  KMS_OPNUM_REQUEST_ACTIVATION,
  NDR32_SYNTAX,
  NDR64_SYNTAX,
  PROVIDER_REASON,
  isBtfnSyntax,
} from './constants.js';
import type { SyntaxId } from './constants.js';
import type { NdrSyntax } from './ndr-stub.js';
import type { RequestPdu } from './request.js';
import { guid } from '../guid.js';

export interface BindAnswerOptions {
  /** Accept NDR64 and prefer it over NDR32, like vlmcsd's default and modern Windows. Default true. */
  ndr64?: boolean;
  /** BTFN features this server supports; null rejects BTFN like `vlmcsd -B0`. Default 0x03. */
  btfnFeatures?: number | null;
}

export interface BindAnswer {
  /** One result per offered context, in offered order. */
  results: ContextResult[];
  /** Contexts accepted by this answer, by id, with their transfer syntax. */
  accepted: Map<number, NdrSyntax>;
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The BTFN feature bitmask carried in the UUID's 9th byte. */
function btfnOffered(s: SyntaxId): number {
  return guid.encode(s.uuid)[8] as number;
}

function reject(reason: number): ContextResult {
  return { result: CONTEXT_RESULT.providerRejection, reason, transferSyntax: NIL_SYNTAX };
}

function accept(syntax: SyntaxId): ContextResult {
  return { result: CONTEXT_RESULT.acceptance, reason: 0, transferSyntax: syntax };
}

export function answerBindContexts(
  contexts: readonly PresentationContext[],
  options: BindAnswerOptions = {},
): BindAnswer {
  const ndr64 = options.ndr64 ?? true;
  const btfn = options.btfnFeatures === undefined ? 0x03 : options.btfnFeatures;
  const offers = (c: PresentationContext, s: SyntaxId): boolean =>
    c.transferSyntaxes.some((t) => same(t.uuid, s.uuid) && t.version === s.version);
  const isKms = (c: PresentationContext): boolean =>
    same(c.abstractSyntax.uuid, KMS_INTERFACE.uuid) &&
    (c.abstractSyntax.version & 0xffff) === (KMS_INTERFACE.version & 0xffff);
  const ndr64Anywhere = ndr64 && contexts.some((c) => isKms(c) && offers(c, NDR64_SYNTAX));

  const accepted = new Map<number, NdrSyntax>();
  const results = contexts.map((c): ContextResult => {
    if (!isKms(c)) return reject(PROVIDER_REASON.abstractSyntaxNotSupported);
    const btfnSyntax = c.transferSyntaxes.find((t) => isBtfnSyntax(t.uuid));
    if (btfnSyntax !== undefined) {
      if (btfn === null) return reject(PROVIDER_REASON.proposedTransferSyntaxesNotSupported);
      return {
        result: CONTEXT_RESULT.negotiateAck,
        reason: btfnOffered(btfnSyntax) & btfn,
        transferSyntax: NIL_SYNTAX,
      };
    }
    if (ndr64Anywhere && offers(c, NDR64_SYNTAX)) {
      accepted.set(c.contextId, 'ndr64');
      return accept(NDR64_SYNTAX);
    }
    if (!ndr64Anywhere && offers(c, NDR32_SYNTAX)) {
      accepted.set(c.contextId, 'ndr32');
      return accept(NDR32_SYNTAX);
    }
    return reject(PROVIDER_REASON.proposedTransferSyntaxesNotSupported);
  });
  return { results, accepted };
}

export type RequestRoute = { kind: 'call'; syntax: NdrSyntax } | { kind: 'fault'; status: number };

/** Whether `req` may run on the contexts accepted so far on this connection. */
export function routeRequest(
  req: Pick<RequestPdu, 'contextId' | 'opnum'>,
  accepted: ReadonlyMap<number, NdrSyntax>,
): RequestRoute {
  const syntax = accepted.get(req.contextId);
  if (syntax === undefined) return { kind: 'fault', status: FAULT_STATUS.unk_if };
  if (req.opnum !== KMS_OPNUM_REQUEST_ACTIVATION)
    return { kind: 'fault', status: FAULT_STATUS.op_rng_error };
  return { kind: 'call', syntax };
}
