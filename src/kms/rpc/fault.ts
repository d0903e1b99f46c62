/**
 * Fault (PTYPE 3): the server could not run the call. The status (an NCA code such as
 * 0x1C010003 unknown interface, or a Win32 error) is what matters. vlmcsd leaves garbage in
 * cancel_count, the flags byte and alloc_hint, so the decoder reports them without judging;
 * anything after the 32 fixed bytes (Microsoft's extended error info) is kept as `stub`.
 */
import { decodeFrame, encodeFrameHeader } from './header.js';
import { ByteReader } from './reader.js';
import { HEADER_LENGTH, PFC, PFC_FIRST_LAST, PTYPE } from './constants.js';

export interface FaultPdu {
  callId: number;
  pfcFlags: number;
  allocHint: number;
  contextId: number;
  cancelCount: number;
  /** Byte 23: reserved in C706, fault_flags in [MS-RPCE]; may hold garbage. */
  faultFlags: number;
  status: number;
  /** Bytes 28..31, reserved; may hold garbage. */
  reserved: number;
  stub: Buffer;
}

/**
 * Defaults: FIRST|LAST|DID_NOT_EXECUTE (the call never reached the interface), alloc_hint =
 * the PDU length (what vlmcsd sends), everything else 0.
 */
export type FaultPduInit = Pick<FaultPdu, 'callId' | 'status'> & Partial<FaultPdu>;

const FIXED = HEADER_LENGTH + 16;

function encodingLength(value: FaultPduInit): number {
  return FIXED + (value.stub?.length ?? 0);
}

export const fault = {
  ptype: PTYPE.fault,
  encodingLength,

  encode(value: FaultPduInit, buf?: Buffer, offset = 0): Buffer {
    const length = encodingLength(value);
    const out = buf ?? Buffer.alloc(length + offset);
    const body = encodeFrameHeader(
      out,
      offset,
      PTYPE.fault,
      length,
      value,
      PFC_FIRST_LAST | PFC.didNotExecute,
    );
    let p = out.writeUInt32LE(value.allocHint ?? length, body);
    p = out.writeUInt16LE(value.contextId ?? 0, p);
    p = out.writeUInt8(value.cancelCount ?? 0, p);
    p = out.writeUInt8(value.faultFlags ?? 0, p);
    p = out.writeUInt32LE(value.status >>> 0, p);
    p = out.writeUInt32LE(value.reserved ?? 0, p);
    value.stub?.copy(out, p);
    return out;
  },

  decode(buf: Uint8Array, offset = 0): FaultPdu {
    const { header: h, end } = decodeFrame(buf, offset, [PTYPE.fault], 'fault');
    const r = new ByteReader(buf, offset + HEADER_LENGTH, end, 'fault');
    const allocHint = r.u32('alloc_hint');
    const contextId = r.u16('p_cont_id');
    const cancelCount = r.u8('cancel_count');
    const faultFlags = r.u8('fault_flags');
    const status = r.u32('status');
    // A fault cut after the status still names the failure; the reserved word is optional.
    const reserved = r.remaining >= 4 ? r.u32('reserved') : (r.skip(r.remaining, 'reserved'), 0);
    const stub = r.bytes(r.remaining, 'stub');
    return {
      callId: h.callId,
      pfcFlags: h.pfcFlags,
      allocHint,
      contextId,
      cancelCount,
      faultFlags,
      status,
      reserved,
      stub,
    };
  },
};
