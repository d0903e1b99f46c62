/**
 * Bind-Nak (PTYPE 13): the endpoint refuses the association. Body: u16 reject reason, then the
 * RPC protocol versions the server supports (u8 count, count × {u8 major, u8 minor}). Anything
 * after the list (newer servers may append a signature and extended error) is ignored.
 */
import { decodeFrame, encodeFrameHeader } from './header.js';
import { ByteReader } from './reader.js';
import { BIND_NAK_REASONS, HEADER_LENGTH, PTYPE } from './constants.js';

export interface RpcVersion {
  major: number;
  minor: number;
}

export interface BindNakPdu {
  callId: number;
  pfcFlags: number;
  /** p_reject_reason_t, see BIND_NAK_REASONS. */
  rejectReason: number;
  /** Empty when the PDU ends right after the reason (an old peer may omit the list). */
  versions: RpcVersion[];
}

export type BindNakPduInit = Pick<BindNakPdu, 'callId' | 'rejectReason'> & Partial<BindNakPdu>;

function encodingLength(value: BindNakPduInit): number {
  return HEADER_LENGTH + 3 + 2 * (value.versions?.length ?? 1);
}

export const bindNak = {
  ptype: PTYPE.bindNak,
  encodingLength,

  /** Without `versions` the list is [5.0], the only version KMS speaks. */
  encode(value: BindNakPduInit, buf?: Buffer, offset = 0): Buffer {
    const versions = value.versions ?? [{ major: 5, minor: 0 }];
    const length = encodingLength({ ...value, versions });
    const out = buf ?? Buffer.alloc(length + offset);
    const body = encodeFrameHeader(out, offset, PTYPE.bindNak, length, value);
    let p = out.writeUInt16LE(value.rejectReason, body);
    p = out.writeUInt8(versions.length, p);
    for (const v of versions) {
      p = out.writeUInt8(v.major, p);
      p = out.writeUInt8(v.minor, p);
    }
    return out;
  },

  decode(buf: Uint8Array, offset = 0): BindNakPdu {
    const { header: h, end } = decodeFrame(buf, offset, [PTYPE.bindNak], 'bind_nak');
    const r = new ByteReader(buf, offset + HEADER_LENGTH, end, 'bind_nak');
    const rejectReason = r.u16('provider_reject_reason');
    const versions: RpcVersion[] = [];
    if (r.remaining > 0) {
      const count = r.u8('n_protocols');
      r.need(2 * count, 'p_protocols');
      for (let i = 0; i < count; i++) versions.push({ major: r.u8('major'), minor: r.u8('minor') });
    }
    return { callId: h.callId, pfcFlags: h.pfcFlags, rejectReason, versions };
  },
};

/** 'protocol_version_not_supported' for 4, or 'reason_<n>'. */
export function bindNakReasonName(reason: number): string {
  return BIND_NAK_REASONS[reason] ?? `reason_${reason}`;
}
