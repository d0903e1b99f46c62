/**
 * Ready-made binds for the KMS interface (docs/protocol.md §2.2):
 * - the recommended NDR32-only bind (72 bytes): NDR32 is the transfer syntax every DCE/RPC
 *   server supports, and with nothing else offered no host can prefer NDR64 and force an
 *   alter-context round trip;
 * - the 3-context bind vlmcs sends by default (NDR32, NDR64, BTFN 0x03; 160 bytes), for the
 *   lab and for comparing a host's answers with what a Windows client gets;
 * - the NDR32 alter-context vlmcs sends when a host rejected NDR32 in favour of NDR64.
 */
import { alterContext, bind } from './bind.js';
import type { PresentationContext } from './bind.js';
import {
  BTFN_FEATURES,
  KMS_INTERFACE,
  NDR32_SYNTAX,
  NDR64_SYNTAX,
  PFC,
  PFC_FIRST_LAST,
  btfnSyntax,
} from './constants.js';
import type { SyntaxId } from './constants.js';
import { BoundedCache } from '../../util/bounded-cache.js';

/** vlmcs (and, per vlmcsd's source, Microsoft clients) start call ids at 2. */
export const DEFAULT_CALL_ID = 2;

/** vlmcs's BTFN offer: security-context multiplexing | keep connection on orphan. */
export const VLMCS_BTFN_FEATURES =
  BTFN_FEATURES.securityContextMultiplexing | BTFN_FEATURES.keepConnectionOnOrphan;

function kmsContext(contextId: number, transfer: SyntaxId): PresentationContext {
  return { contextId, abstractSyntax: KMS_INTERFACE, transferSyntaxes: [transfer] };
}

export interface Ndr32BindOptions {
  callId?: number;
  /** Default FIRST|LAST (0x03), as in docs/protocol.md's 72-byte example. */
  pfcFlags?: number;
  /** Add BTFN (0x03) as context 1; it changes nothing for KMS. */
  btfn?: boolean;
}

/** Context 0 = KMS over NDR32, optionally context 1 = BTFN. */
export function ndr32BindContexts(
  options: Pick<Ndr32BindOptions, 'btfn'> = {},
): PresentationContext[] {
  const contexts = [kmsContext(0, NDR32_SYNTAX)];
  if (options.btfn) contexts.push(kmsContext(1, btfnSyntax(VLMCS_BTFN_FEATURES)));
  return contexts;
}

/**
 * Encoded binds by their inputs: every probe sends the same one or two binds, so the
 * encoder (syntax GUIDs, context list) runs once per shape, not once per connection
 * (docs/performance.md, KMS client CPU). Callers get a copy they may alter.
 */
const ENCODED_BINDS = new BoundedCache<string, Buffer>(64);

function encodedOnce(key: string, encode: () => Buffer): Buffer {
  return Buffer.from(ENCODED_BINDS.get(key) ?? ENCODED_BINDS.add(key, encode()));
}

/** The recommended bind: KMS/NDR32 as context 0 (72 bytes without BTFN). */
export function buildNdr32Bind(options: Ndr32BindOptions = {}): Buffer {
  const callId = options.callId ?? DEFAULT_CALL_ID;
  const pfcFlags = options.pfcFlags ?? PFC_FIRST_LAST;
  const btfn = options.btfn === true;
  return encodedOnce(`ndr32/${callId}/${pfcFlags}/${btfn}`, () =>
    bind.encode({ callId, pfcFlags, contexts: ndr32BindContexts({ btfn }) }),
  );
}

/** vlmcs's offer: ctx 0 KMS/NDR32, ctx 1 KMS/NDR64, ctx 2 KMS/BTFN(0x03). */
export function vlmcsBindContexts(): PresentationContext[] {
  return [
    kmsContext(0, NDR32_SYNTAX),
    kmsContext(1, NDR64_SYNTAX),
    kmsContext(2, btfnSyntax(VLMCS_BTFN_FEATURES)),
  ];
}

/** The 160-byte bind vlmcs sends by default, flags FIRST|LAST|CONC_MPX (0x13). */
export function buildVlmcsBind(options: { callId?: number } = {}): Buffer {
  const callId = options.callId ?? DEFAULT_CALL_ID;
  return encodedOnce(`vlmcs/${callId}`, () =>
    bind.encode({
      callId,
      pfcFlags: PFC_FIRST_LAST | PFC.concurrentMultiplex,
      contexts: vlmcsBindContexts(),
    }),
  );
}

/**
 * The alter-context that asks again for NDR32 on `contextId` after a host accepted only
 * NDR64 (72 bytes). vlmcs sends flags 0x13 and assoc group 0; the same call id as the bind.
 */
export function buildNdr32AlterContext(
  options: { callId?: number; contextId?: number; pfcFlags?: number } = {},
): Buffer {
  return alterContext.encode({
    callId: options.callId ?? DEFAULT_CALL_ID,
    pfcFlags: options.pfcFlags ?? PFC_FIRST_LAST | PFC.concurrentMultiplex,
    contexts: [kmsContext(options.contextId ?? 0, NDR32_SYNTAX)],
  });
}
