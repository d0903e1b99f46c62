/**
 * Bind-Nak (PTYPE 13): the endpoint refuses the association. Body: u16 reject reason, then the
 * RPC protocol versions the server supports (u8 count, count × {u8 major, u8 minor}). Anything
 * after the list (newer servers may append a signature and extended error) is ignored.
 */
import { BIND_NAK_REASONS, PTYPE } from './constants.js';
import { definePdu } from './pdu-codec.js';
import type { PduCodec } from './pdu-codec.js';

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

/** The only version KMS speaks, listed when `versions` is left out. */
const KMS_VERSIONS: readonly RpcVersion[] = [{ major: 5, minor: 0 }];

export const bindNak: PduCodec<BindNakPdu, BindNakPduInit> = definePdu({
  ptype: PTYPE.bindNak,
  fields: [{ key: 'rejectReason', wire: 'provider_reject_reason', bytes: 2 }] as const,
  tailLength: (value) => 1 + 2 * (value.versions ?? KMS_VERSIONS).length,

  encodeTail(value, out, p) {
    const versions = value.versions ?? KMS_VERSIONS;
    p = out.writeUInt8(versions.length, p);
    for (const v of versions) {
      p = out.writeUInt8(v.major, p);
      p = out.writeUInt8(v.minor, p);
    }
  },

  decodeTail(r) {
    const versions: RpcVersion[] = [];
    if (r.remaining > 0) {
      const count = r.u8('n_protocols');
      r.need(2 * count, 'p_protocols');
      for (let i = 0; i < count; i++) versions.push({ major: r.u8('major'), minor: r.u8('minor') });
    }
    return { versions };
  },
});

/** 'protocol_version_not_supported' for 4, or 'reason_<n>'. */
export function bindNakReasonName(reason: number): string {
  return BIND_NAK_REASONS[reason] ?? `reason_${reason}`;
}
