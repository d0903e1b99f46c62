/**
 * Fault (PTYPE 3): the server could not run the call. The status (an NCA code such as
 * 0x1C010003 unknown interface, or a Win32 error) is what matters. vlmcsd leaves garbage in
 * cancel_count, the flags byte and alloc_hint, so the decoder reports them without judging;
 * anything after the 32 fixed bytes (Microsoft's extended error info) is kept as `stub`.
 */
import { PFC, PFC_FIRST_LAST, PTYPE } from './constants.js';
import { ANSWER_FIELDS, definePdu } from './pdu-codec.js';
import type { PduCodec } from './pdu-codec.js';

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

/** status and reserved, after the fixed fields. */
const STATUS_LENGTH = 8;

export const fault: PduCodec<FaultPdu, FaultPduInit> = definePdu({
  ptype: PTYPE.fault,
  fields: [...ANSWER_FIELDS, { key: 'faultFlags', wire: 'fault_flags', bytes: 1 }] as const,
  flags: (value: FaultPduInit) => value.pfcFlags ?? PFC_FIRST_LAST | PFC.didNotExecute,
  computed: (_value, length) => ({ allocHint: length }),
  tailLength: (value) => STATUS_LENGTH + (value.stub?.length ?? 0),
  encodeTail(value, out, p) {
    // Unsigned: a status may arrive as a negative (signed) HRESULT.
    p = out.writeUInt32LE(value.status >>> 0, p);
    p = out.writeUInt32LE(value.reserved ?? 0, p);
    value.stub?.copy(out, p);
  },
  decodeTail(r) {
    const status = r.u32('status');
    // A fault cut after the status still names the failure; the reserved word is optional.
    const reserved = r.remaining >= 4 ? r.u32('reserved') : (r.skip(r.remaining, 'reserved'), 0);
    return { status, reserved, stub: r.bytes(r.remaining, 'stub') };
  },
});
