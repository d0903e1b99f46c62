/**
 * Request (PTYPE 0): alloc_hint, the presentation context the call uses, the operation
 * number and the stub (the NDR-marshalled arguments), docs/protocol.md §2.4. An object UUID
 * follows the opnum only when pfc_flags has 0x80; KMS clients never set it, but the decoder
 * honours it so the stub is found where the sender put it.
 */
import { hasObjectUuid } from './header.js';
import { guid } from '../guid.js';
import { KMS_OPNUM_REQUEST_ACTIVATION, PFC, PFC_FIRST_LAST, PTYPE } from './constants.js';
import { CALL_FIELDS, definePdu } from './pdu-codec.js';
import type { PduCodec } from './pdu-codec.js';

export interface RequestPdu {
  callId: number;
  pfcFlags: number;
  /** The sender's hint of the stub size; vlmcs sets exactly the stub length. */
  allocHint: number;
  contextId: number;
  opnum: number;
  /** Object UUID, present only with the 0x80 flag. */
  object?: string;
  stub: Buffer;
}

/** Defaults: FIRST|LAST, alloc_hint = stub length, context 0, opnum 0 (RequestActivation). */
export type RequestPduInit = Pick<RequestPdu, 'callId' | 'stub'> & Partial<RequestPdu>;

const OBJECT_LENGTH = 16;

export const request: PduCodec<RequestPdu, RequestPduInit> = definePdu({
  ptype: PTYPE.request,
  fields: [
    ...CALL_FIELDS,
    { key: 'opnum', wire: 'opnum', bytes: 2, fallback: KMS_OPNUM_REQUEST_ACTIVATION },
  ] as const,
  // The object flag follows whether an object is given, whatever the caller's flags say.
  flags(value: RequestPduInit) {
    const flags = value.pfcFlags ?? PFC_FIRST_LAST;
    return value.object === undefined ? flags & ~PFC.objectUuid : flags | PFC.objectUuid;
  },
  computed: (value) => ({ allocHint: value.stub.length }),
  tailLength: (value) => (value.object === undefined ? 0 : OBJECT_LENGTH) + value.stub.length,
  encodeTail(value, out, p) {
    if (value.object !== undefined) {
      guid.encode(value.object, out, p);
      p += OBJECT_LENGTH;
    }
    value.stub.copy(out, p);
  },
  decodeTail(r, h): { stub: Buffer; object?: string } {
    const object = hasObjectUuid(h) ? r.guid('object') : undefined;
    const stub = r.bytes(r.remaining, 'stub');
    return object === undefined ? { stub } : { stub, object };
  },
});
