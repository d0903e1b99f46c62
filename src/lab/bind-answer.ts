/**
 * How the lab host answers the presentation contexts of a bind or alter-context, as vlmcsd
 * does (kms-protocol.md §2.3):
 * - a context for another interface → provider rejection, reason 1 (abstract syntax);
 * - BTFN → negotiate_ack with the offered features it supports (0x03), when enabled, else
 *   rejected (reason 2) like `vlmcsd -B0`;
 * - NDR64 → accepted when enabled (else rejected like `vlmcsd -N0`); NDR32 → accepted, except that a host supporting NDR64
 *   rejects it (reason 2) when the same bind also offers NDR64, so the client has to speak
 *   NDR64 or ask for NDR32 again with an alter-context;
 * - anything else → provider rejection, reason 2 (transfer syntax).
 */
import type { PresentationContext } from '../kms/rpc/bind.js';
import type { ContextResult } from '../kms/rpc/bind-ack.js';
import { NIL_SYNTAX } from '../kms/rpc/bind-ack.js';
import {
  CONTEXT_RESULT,
  KMS_INTERFACE,
  NDR32_SYNTAX,
  NDR64_SYNTAX,
  PROVIDER_REASON,
  isBtfnSyntax,
} from '../kms/rpc/constants.js';
import type { SyntaxId } from '../kms/rpc/constants.js';
import type { NdrSyntax } from '../kms/rpc/ndr-stub.js';

/** The BTFN features vlmcsd supports: security-context multiplexing | keep connection. */
const SUPPORTED_BTFN_FEATURES = 0x03;

export interface ContextAnswer {
  results: ContextResult[];
  /** Contexts accepted by this answer: context id → the syntax their stubs use. */
  accepted: Map<number, NdrSyntax>;
}

function same(a: SyntaxId, b: SyntaxId): boolean {
  return a.uuid.toLowerCase() === b.uuid.toLowerCase() && a.version === b.version;
}

function offers(context: PresentationContext, syntax: SyntaxId): boolean {
  return context.transferSyntaxes.some((t) => same(t, syntax));
}

/** The feature bitmask is the first of the BTFN UUID's last eight bytes. */
function btfnFeatures(uuid: string): number {
  return Number.parseInt(uuid.slice(19, 21), 16) || 0;
}

function rejection(reason: number): ContextResult {
  return { result: CONTEXT_RESULT.providerRejection, reason, transferSyntax: NIL_SYNTAX };
}

function acceptance(syntax: SyntaxId): ContextResult {
  return { result: CONTEXT_RESULT.acceptance, reason: 0, transferSyntax: syntax };
}

export function answerContexts(
  contexts: readonly PresentationContext[],
  support: { ndr64: boolean; btfn: boolean },
): ContextAnswer {
  const ndr64Enabled = support.ndr64;
  const isKms = (c: PresentationContext): boolean => same(c.abstractSyntax, KMS_INTERFACE);
  const ndr64Offered = ndr64Enabled && contexts.some((c) => isKms(c) && offers(c, NDR64_SYNTAX));
  const accepted = new Map<number, NdrSyntax>();
  const results = contexts.map((c): ContextResult => {
    if (!isKms(c)) return rejection(PROVIDER_REASON.abstractSyntaxNotSupported);
    const btfn = c.transferSyntaxes.find((t) => isBtfnSyntax(t.uuid));
    if (btfn !== undefined) {
      if (!support.btfn) return rejection(PROVIDER_REASON.proposedTransferSyntaxesNotSupported);
      return {
        result: CONTEXT_RESULT.negotiateAck,
        reason: btfnFeatures(btfn.uuid) & SUPPORTED_BTFN_FEATURES,
        transferSyntax: NIL_SYNTAX,
      };
    }
    if (ndr64Enabled && offers(c, NDR64_SYNTAX)) {
      accepted.set(c.contextId, 'ndr64');
      return acceptance(NDR64_SYNTAX);
    }
    if (offers(c, NDR32_SYNTAX) && !ndr64Offered) {
      accepted.set(c.contextId, 'ndr32');
      return acceptance(NDR32_SYNTAX);
    }
    return rejection(PROVIDER_REASON.proposedTransferSyntaxesNotSupported);
  });
  return { results, accepted };
}
