/**
 * DCE/RPC (connection-oriented, ncacn_ip_tcp) numbers the KMS exchange uses: packet types,
 * header flags, the KMS interface and transfer syntaxes, bind results and fault statuses.
 * Sources: C706 / [MS-RPCE] and the KMS captures in test/vectors/ (docs/protocol.md §2).
 */

/** Packet types (header byte 2). */
export const PTYPE = {
  request: 0,
  response: 2,
  fault: 3,
  bind: 11,
  bindAck: 12,
  bindNak: 13,
  alterContext: 14,
  alterContextResp: 15,
} as const;
export type PType = (typeof PTYPE)[keyof typeof PTYPE];

const PTYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'request',
  2: 'response',
  3: 'fault',
  11: 'bind',
  12: 'bind_ack',
  13: 'bind_nak',
  14: 'alter_context',
  15: 'alter_context_resp',
};

/** Name of a packet type as the vectors spell it ('bind_ack'), or 'ptype_<n>'. */
export function ptypeName(ptype: number): string {
  return PTYPE_NAMES[ptype] ?? `ptype_${ptype}`;
}

/** pfc_flags bits (header byte 3). */
export const PFC = {
  firstFrag: 0x01,
  lastFrag: 0x02,
  pendingCancel: 0x04,
  concurrentMultiplex: 0x10,
  didNotExecute: 0x20,
  maybe: 0x40,
  objectUuid: 0x80,
} as const;

/** Every KMS PDU is a single fragment. */
export const PFC_FIRST_LAST = PFC.firstFrag | PFC.lastFrag;

/** Data representation: little-endian integers, ASCII, IEEE floats — bytes 10 00 00 00. */
export const DREP_LITTLE_ENDIAN = 0x10000000;

export const RPC_VERSION = 5;
export const RPC_VERSION_MINOR = 0;
export const HEADER_LENGTH = 16;

/** Fragment sizes every Microsoft client and vlmcs offer (0x16d0). */
export const DEFAULT_MAX_FRAG = 5840;

/**
 * A presentation syntax: UUID plus a u32 version. For an interface (abstract syntax) the
 * u32 packs major in the low 16 bits and minor in the high 16 bits, as on the wire.
 */
export interface SyntaxId {
  readonly uuid: string;
  readonly version: number;
}

/** The KMS interface ("KMSServer", one method RequestActivation, opnum 0), version 1.0. */
export const KMS_INTERFACE: SyntaxId = { uuid: '51c82175-844e-4750-b0d8-ec255555bc06', version: 1 };
export const KMS_OPNUM_REQUEST_ACTIVATION = 0;

/** NDR (NDR32) transfer syntax, version 2: the one every DCE/RPC server supports. */
export const NDR32_SYNTAX: SyntaxId = { uuid: '8a885d04-1ceb-11c9-9fe8-08002b104860', version: 2 };
/** NDR64 transfer syntax, version 1. */
export const NDR64_SYNTAX: SyntaxId = { uuid: '71710533-beba-4937-8319-b5dbef9ccc36', version: 1 };

/**
 * Bind-time feature negotiation ([MS-RPCE] 3.3.1.5.3): the "transfer syntax" is the prefix
 * 6cb71c2c-9812-4540 followed by an 8-byte feature bitmask in place of the last two groups.
 */
export const BTFN_UUID_PREFIX = '6cb71c2c-9812-4540-';
export const BTFN_FEATURES = {
  securityContextMultiplexing: 0x01,
  keepConnectionOnOrphan: 0x02,
} as const;

/** The BTFN syntax offering `features` (vlmcs offers 0x03). Only the first bitmask byte is used. */
export function btfnSyntax(features: number): SyntaxId {
  if (!Number.isInteger(features) || features < 0 || features > 0xff) {
    throw new RangeError(`BTFN feature bitmask out of range: ${features}`);
  }
  const hex = features.toString(16).padStart(2, '0');
  return { uuid: `${BTFN_UUID_PREFIX}${hex}00-000000000000`, version: 1 };
}

export function isBtfnSyntax(uuid: string): boolean {
  return uuid.toLowerCase().startsWith(BTFN_UUID_PREFIX);
}

/** p_cont_def_result_t: result of one presentation context in a bind_ack. */
export const CONTEXT_RESULT = {
  acceptance: 0,
  userRejection: 1,
  providerRejection: 2,
  /** BTFN only: the reason field then carries the server's feature bitmask. */
  negotiateAck: 3,
} as const;

/** p_provider_reason_t: why a provider rejected a context. */
export const PROVIDER_REASON = {
  notSpecified: 0,
  abstractSyntaxNotSupported: 1,
  proposedTransferSyntaxesNotSupported: 2,
  localLimitExceeded: 3,
} as const;

/** p_reject_reason_t of a bind_nak. */
export const BIND_NAK_REASONS: Readonly<Record<number, string>> = {
  0: 'reason_not_specified',
  1: 'temporary_congestion',
  2: 'local_limit_exceeded',
  3: 'called_paddr_unknown',
  4: 'protocol_version_not_supported',
  5: 'default_context_not_supported',
  6: 'user_data_not_readable',
  7: 'no_psap_available',
  8: 'authentication_type_not_recognized',
  9: 'invalid_checksum',
};

/** Fault statuses worth naming (C706 appendix E, [MS-RPCE] 3.1.1.5.5). */
export const FAULT_STATUS = {
  op_rng_error: 0x1c010002,
  unk_if: 0x1c010003,
  proto_error: 0x1c01000b,
  server_too_busy: 0x1c010014,
  access_denied: 0x00000005,
  bad_stub_data: 0x000006f7,
} as const;

const FAULT_STATUS_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(FAULT_STATUS).map(([name, code]) => [code, name]),
);

/** 'unk_if' for 0x1C010003, undefined for a status not in the table. */
export function faultStatusName(status: number): string | undefined {
  return FAULT_STATUS_NAMES.get(status >>> 0);
}
