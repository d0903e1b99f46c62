/**
 * Response (PTYPE 2): alloc_hint, the context echoed, cancel_count and a reserved byte, then
 * the stub holding the method's out-parameters and return value (docs/protocol.md §2.5).
 */
import { decodeFrame, encodeFrameHeader } from './header.js';
import { ByteReader } from './reader.js';
import { HEADER_LENGTH, PTYPE } from './constants.js';

export interface ResponsePdu {
  callId: number;
  pfcFlags: number;
  allocHint: number;
  contextId: number;
  /** Must be 0 for KMS; left for the caller to judge. */
  cancelCount: number;
  reserved: number;
  stub: Buffer;
}

/** Defaults: FIRST|LAST, alloc_hint = stub length, context 0, cancel_count and reserved 0. */
export type ResponsePduInit = Pick<ResponsePdu, 'callId' | 'stub'> & Partial<ResponsePdu>;

const FIXED = HEADER_LENGTH + 8;

function encodingLength(value: ResponsePduInit): number {
  return FIXED + value.stub.length;
}

export const response = {
  ptype: PTYPE.response,
  encodingLength,

  encode(value: ResponsePduInit, buf?: Buffer, offset = 0): Buffer {
    const length = encodingLength(value);
    const out = buf ?? Buffer.alloc(length + offset);
    const body = encodeFrameHeader(out, offset, PTYPE.response, length, value);
    let p = out.writeUInt32LE(value.allocHint ?? value.stub.length, body);
    p = out.writeUInt16LE(value.contextId ?? 0, p);
    p = out.writeUInt8(value.cancelCount ?? 0, p);
    p = out.writeUInt8(value.reserved ?? 0, p);
    value.stub.copy(out, p);
    return out;
  },

  decode(buf: Uint8Array, offset = 0): ResponsePdu {
    const { header: h, end } = decodeFrame(buf, offset, [PTYPE.response], 'response');
    const r = new ByteReader(buf, offset + HEADER_LENGTH, end, 'response');
    const allocHint = r.u32('alloc_hint');
    const contextId = r.u16('p_cont_id');
    const cancelCount = r.u8('cancel_count');
    const reserved = r.u8('reserved');
    const stub = r.bytes(r.remaining, 'stub');
    return {
      callId: h.callId,
      pfcFlags: h.pfcFlags,
      allocHint,
      contextId,
      cancelCount,
      reserved,
      stub,
    };
  },
};
