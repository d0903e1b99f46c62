/**
 * The 16-byte common header of every connection-oriented DCE/RPC PDU, and the checks a strict
 * client (vlmcs) makes on what a host sends. Decoding only reads fields; `validateHeader`
 * decides whether they are acceptable, so the lab host and fuzz tests can see odd headers.
 */
import { KmsDecodeError, requireBytes } from '../errors.js';
import {
  DREP_LITTLE_ENDIAN,
  HEADER_LENGTH,
  PFC,
  PFC_FIRST_LAST,
  RPC_VERSION,
  RPC_VERSION_MINOR,
  ptypeName,
} from './constants.js';

export interface RpcHeader {
  rpcVers: number;
  rpcVersMinor: number;
  ptype: number;
  pfcFlags: number;
  /** packed_drep as a big-endian u32 of its four bytes: 0x10000000 for `10 00 00 00`. */
  drep: number;
  /** Total PDU length including this header. */
  fragLength: number;
  authLength: number;
  callId: number;
}

/** What encoders need; version, drep and auth_length default to the KMS values. */
export type RpcHeaderInit = Pick<RpcHeader, 'ptype' | 'pfcFlags' | 'fragLength' | 'callId'> &
  Partial<Pick<RpcHeader, 'rpcVers' | 'rpcVersMinor' | 'drep' | 'authLength'>>;

export const header = {
  encodingLength(): number {
    return HEADER_LENGTH;
  },

  encode(h: RpcHeaderInit, buf: Buffer = Buffer.alloc(HEADER_LENGTH), offset = 0): Buffer {
    buf.writeUInt8(h.rpcVers ?? RPC_VERSION, offset);
    buf.writeUInt8(h.rpcVersMinor ?? RPC_VERSION_MINOR, offset + 1);
    buf.writeUInt8(h.ptype, offset + 2);
    buf.writeUInt8(h.pfcFlags, offset + 3);
    buf.writeUInt32BE(h.drep ?? DREP_LITTLE_ENDIAN, offset + 4);
    buf.writeUInt16LE(h.fragLength, offset + 8);
    buf.writeUInt16LE(h.authLength ?? 0, offset + 10);
    buf.writeUInt32LE(h.callId, offset + 12);
    return buf;
  },

  decode(buf: Uint8Array, offset = 0): RpcHeader {
    requireBytes(buf, offset, HEADER_LENGTH, 'RPC header');
    // All 16 bytes are known present: read them directly (every PDU of a probe passes here).
    const b = buf;
    const o = offset;
    return {
      rpcVers: b[o]!,
      rpcVersMinor: b[o + 1]!,
      ptype: b[o + 2]!,
      pfcFlags: b[o + 3]!,
      drep: ((b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!) >>> 0,
      fragLength: b[o + 8]! | (b[o + 9]! << 8),
      authLength: b[o + 10]! | (b[o + 11]! << 8),
      callId: (b[o + 12]! | (b[o + 13]! << 8) | (b[o + 14]! << 16) | (b[o + 15]! << 24)) >>> 0,
    };
  },
};

/**
 * Writes the header of a one-fragment PDU of `fragLength` bytes at `offset` and returns
 * where its body starts. Flags default to `defaultFlags` (FIRST|LAST: every KMS PDU is a
 * single fragment); version, drep and auth_length to the KMS values.
 */
export function encodeFrameHeader(
  out: Buffer,
  offset: number,
  ptype: number,
  fragLength: number,
  value: { callId: number; pfcFlags?: number | undefined },
  defaultFlags: number = PFC_FIRST_LAST,
): number {
  header.encode(
    { ptype, pfcFlags: value.pfcFlags ?? defaultFlags, fragLength, callId: value.callId },
    out,
    offset,
  );
  return offset + HEADER_LENGTH;
}

/**
 * Reads the header of the PDU at `offset` and checks that the whole PDU (frag_length bytes)
 * is present and has the packet type this codec handles. Returns the header and the PDU's end.
 */
export function decodeFrame(
  buf: Uint8Array,
  offset: number,
  ptypes: readonly number[],
  what: string,
): { header: RpcHeader; end: number } {
  const h = header.decode(buf, offset);
  if (h.fragLength < HEADER_LENGTH) {
    throw new KmsDecodeError(
      'malformed',
      `${what}: frag_length ${h.fragLength} < ${HEADER_LENGTH}`,
    );
  }
  requireBytes(buf, offset, h.fragLength, what);
  if (!ptypes.includes(h.ptype)) {
    throw new KmsDecodeError(
      'unexpected',
      `${what}: packet type ${ptypeName(h.ptype)} (${h.ptype}) is not ${ptypes.map(ptypeName).join('/')}`,
    );
  }
  return { header: h, end: offset + h.fragLength };
}

export interface HeaderExpectation {
  /** The packet type(s) acceptable here, e.g. [response, fault] after a request. */
  ptype: number | readonly number[];
  /** The call id this PDU must echo; omit on the server side, where the client picks it. */
  callId?: number;
  /**
   * Accept call_id 1 in an answer whatever was sent. vlmcs does this because Wine's RPC
   * runtime answers with 1; on by default, set false for a strictly echoing peer.
   */
  tolerateCallIdOne?: boolean;
}

/**
 * The receiver checks of a strict client: version 5.0, little-endian drep, no
 * authentication, a single fragment (FIRST|LAST), an expected type, and the call id echo.
 * Throws KmsDecodeError('unexpected') naming the first check that fails.
 */
export function validateHeader(h: RpcHeader, expect: HeaderExpectation): void {
  const problem = headerProblem(h, expect);
  if (problem !== null) throw new KmsDecodeError('unexpected', problem);
}

/** The first check of {@link validateHeader} that fails, in words, or null. */
function headerProblem(h: RpcHeader, expect: HeaderExpectation): string | null {
  if (h.rpcVers !== RPC_VERSION || h.rpcVersMinor !== RPC_VERSION_MINOR) {
    return `RPC version ${h.rpcVers}.${h.rpcVersMinor}, expected 5.0`;
  }
  if (h.drep !== DREP_LITTLE_ENDIAN) {
    return `data representation ${h.drep.toString(16).padStart(8, '0')}, expected 10000000`;
  }
  if (h.authLength !== 0) return `auth_length ${h.authLength}, expected 0 (anonymous RPC)`;
  if ((h.pfcFlags & PFC_FIRST_LAST) !== PFC_FIRST_LAST) {
    return `pfc_flags 0x${h.pfcFlags.toString(16)} lack FIRST|LAST: fragmented PDUs are not used by KMS`;
  }
  const allowed = expect.ptype;
  if (typeof allowed === 'number' ? h.ptype !== allowed : !allowed.includes(h.ptype)) {
    const names = typeof allowed === 'number' ? [allowed] : allowed;
    return `got ${ptypeName(h.ptype)} (${h.ptype}), expected ${names.map(ptypeName).join(' or ')}`;
  }
  if (expect.callId !== undefined && h.callId !== expect.callId) {
    const tolerated = (expect.tolerateCallIdOne ?? true) && h.callId === 1;
    if (!tolerated) return `call_id ${h.callId} does not echo ${expect.callId}`;
  }
  return null;
}

/** True when the object-UUID flag says a request carries a 16-byte object UUID. */
export function hasObjectUuid(h: Pick<RpcHeader, 'pfcFlags'>): boolean {
  return (h.pfcFlags & PFC.objectUuid) !== 0;
}
