/**
 * Request (PTYPE 0): alloc_hint, the presentation context the call uses, the operation
 * number and the stub (the NDR-marshalled arguments), docs/protocol.md §2.4. An object UUID
 * follows the opnum only when pfc_flags has 0x80; KMS clients never set it, but the decoder
 * honours it so the stub is found where the sender put it.
 */
import { decodeFrame, hasObjectUuid, header } from './header.js';
import { ByteReader } from './reader.js';
import { guid } from '../guid.js';
import {
  HEADER_LENGTH,
  KMS_OPNUM_REQUEST_ACTIVATION,
  PFC,
  PFC_FIRST_LAST,
  PTYPE,
} from './constants.js';

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

const FIXED = HEADER_LENGTH + 8;

function encodingLength(value: RequestPduInit): number {
  return FIXED + (value.object === undefined ? 0 : 16) + value.stub.length;
}

export const request = {
  ptype: PTYPE.request,
  encodingLength,

  encode(value: RequestPduInit, buf?: Buffer, offset = 0): Buffer {
    const length = encodingLength(value);
    const out = buf ?? Buffer.alloc(length + offset);
    let flags = value.pfcFlags ?? PFC_FIRST_LAST;
    flags = value.object === undefined ? flags & ~PFC.objectUuid : flags | PFC.objectUuid;
    header.encode(
      { ptype: PTYPE.request, pfcFlags: flags, fragLength: length, callId: value.callId },
      out,
      offset,
    );
    let p = out.writeUInt32LE(value.allocHint ?? value.stub.length, offset + HEADER_LENGTH);
    p = out.writeUInt16LE(value.contextId ?? 0, p);
    p = out.writeUInt16LE(value.opnum ?? KMS_OPNUM_REQUEST_ACTIVATION, p);
    if (value.object !== undefined) {
      guid.encode(value.object, out, p);
      p += 16;
    }
    value.stub.copy(out, p);
    return out;
  },

  decode(buf: Uint8Array, offset = 0): RequestPdu {
    const { header: h, end } = decodeFrame(buf, offset, [PTYPE.request], 'request');
    const r = new ByteReader(buf, offset + HEADER_LENGTH, end, 'request');
    const allocHint = r.u32('alloc_hint');
    const contextId = r.u16('p_cont_id');
    const opnum = r.u16('opnum');
    const object = hasObjectUuid(h) ? r.guid('object') : undefined;
    const stub = r.bytes(r.remaining, 'stub');
    const pdu: RequestPdu = {
      callId: h.callId,
      pfcFlags: h.pfcFlags,
      allocHint,
      contextId,
      opnum,
      stub,
    };
    if (object !== undefined) pdu.object = object;
    return pdu;
  },
};
