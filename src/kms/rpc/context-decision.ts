/**
 * Reads a bind_ack (or alter_context_resp) against the contexts the client offered and says
 * how to go on (docs/protocol.md §2.3, "Monitor rule"):
 * - the NDR32 context was accepted → call on it;
 * - NDR32 was rejected but NDR64 accepted (vlmcsd's default; Windows 8 / Server 2012 hosts and
 *   later, per vlmcsd's documentation) → alter-context for NDR32, or speak NDR64;
 * - every KMS context was rejected with reason 1 (abstract syntax not supported) → whatever
 *   listens there is an RPC server but not a KMS host;
 * - anything else → no usable context.
 * Results are matched to offered contexts by position, the order DCE/RPC answers in.
 */
import type { PresentationContext } from './bind.js';
import type { ContextResult } from './bind-ack.js';
import {
  CONTEXT_RESULT,
  KMS_INTERFACE,
  NDR32_SYNTAX,
  NDR64_SYNTAX,
  PROVIDER_REASON,
  isBtfnSyntax,
} from './constants.js';
import type { SyntaxId } from './constants.js';
import type { NdrSyntax } from './ndr-stub.js';

export type ContextDecision =
  /** Call RequestActivation on `contextId` with NDR32 stubs. */
  | { kind: 'ndr32'; contextId: number }
  /**
   * Only NDR64 was accepted (on `contextId`). Either send buildNdr32AlterContext for
   * `ndr32ContextId` and, once accepted, call on it with NDR32, or call on `contextId` with
   * NDR64 stubs. `ndr32ContextId` is null when NDR32 was not offered at all.
   */
  | { kind: 'ndr64'; contextId: number; ndr32ContextId: number | null }
  /** The server does not know the KMS interface: not a KMS host. */
  | { kind: 'not-kms'; detail: string }
  /** Some other refusal or an answer that does not fit the offer. */
  | { kind: 'rejected'; detail: string };

function sameUuid(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function syntaxKind(s: SyntaxId | undefined): NdrSyntax | 'btfn' | 'other' {
  if (s === undefined) return 'other';
  if (sameUuid(s.uuid, NDR32_SYNTAX.uuid)) return 'ndr32';
  if (sameUuid(s.uuid, NDR64_SYNTAX.uuid)) return 'ndr64';
  if (isBtfnSyntax(s.uuid)) return 'btfn';
  return 'other';
}

function describe(results: readonly ContextResult[]): string {
  return results.map((r, i) => `#${i} result ${r.result} reason ${r.reason}`).join(', ');
}

export function chooseContext(
  offered: readonly PresentationContext[],
  results: readonly ContextResult[],
): ContextDecision {
  if (results.length !== offered.length) {
    return {
      kind: 'rejected',
      detail: `${results.length} results for ${offered.length} offered contexts`,
    };
  }
  let ndr32ContextId: number | null = null;
  let ndr64Accepted: number | undefined;
  const kmsResults: ContextResult[] = [];

  for (const [i, context] of offered.entries()) {
    const res = results[i] as ContextResult;
    if (!sameUuid(context.abstractSyntax.uuid, KMS_INTERFACE.uuid)) continue;
    const offeredKind = syntaxKind(context.transferSyntaxes[0]);
    if (offeredKind === 'btfn') continue; // answered with negotiate_ack; says nothing about KMS
    kmsResults.push(res);
    const accepted = res.result === CONTEXT_RESULT.acceptance;
    if (accepted) {
      // The accepted syntax must be one this context offered.
      const echoed = res.transferSyntax;
      const wasOffered = context.transferSyntaxes.some((t) => sameUuid(t.uuid, echoed.uuid));
      if (!wasOffered) {
        return {
          kind: 'rejected',
          detail: `context ${context.contextId} accepted a transfer syntax it was not offered (${echoed.uuid})`,
        };
      }
      const kind = syntaxKind(echoed);
      if (kind === 'ndr32') return { kind: 'ndr32', contextId: context.contextId };
      if (kind === 'ndr64' && ndr64Accepted === undefined) ndr64Accepted = context.contextId;
    } else if (offeredKind === 'ndr32' && ndr32ContextId === null) {
      ndr32ContextId = context.contextId;
    }
  }

  if (ndr64Accepted !== undefined) {
    return { kind: 'ndr64', contextId: ndr64Accepted, ndr32ContextId };
  }
  if (
    kmsResults.length > 0 &&
    kmsResults.every(
      (r) =>
        r.result === CONTEXT_RESULT.providerRejection &&
        r.reason === PROVIDER_REASON.abstractSyntaxNotSupported,
    )
  ) {
    return {
      kind: 'not-kms',
      detail: `the server does not support the KMS interface (${describe(results)})`,
    };
  }
  return {
    kind: 'rejected',
    detail: `no KMS presentation context accepted (${describe(results)})`,
  };
}
