/**
 * What a probe of a KMS host reports: one result per product, always with either the
 * host's answer or one named failure reason (docs/design.md principle 5). The field names
 * are those of the `probe --json` contract in docs/design.md.
 */
import type { KmsProtocolVersion } from '../protocol-version.js';

/** Every way a KMS exchange can fail, named. */
export const KMS_FAILURE_REASONS = [
  /** TCP connect refused (RST): nothing listens, the host is down or the SRV record is stale. */
  'connect_refused',
  /** TCP connect did not complete in time: filtered or unreachable. */
  'connect_timeout',
  /** Another socket error (unreachable network, reset, DNS of the host name failed). */
  'network',
  /** The peer closed the connection before the exchange finished. */
  'connection_closed',
  /** Bind-Nak, or every presentation context rejected: not a usable KMS/RPC endpoint. */
  'bind_rejected',
  /** The host answered with a Fault PDU instead of a response. */
  'rpc_fault',
  /** The host answered with an HRESULT instead of a payload (e.g. 0xC004F042). */
  'kms_error',
  /** v5/v6: the response did not decrypt (wrong length or padding). */
  'decrypt_failed',
  /** The MAC, hash, HMAC or IV check failed: the answer cannot be trusted. */
  'verify_failed',
  /** The host did not echo the request's version, CMID or time. */
  'mismatch',
  /** Bytes that are not a well-formed RPC PDU or KMS response. */
  'malformed',
  /** A well-formed PDU the protocol does not allow here (wrong type, call id). */
  'unexpected',
  /** A phase (bind, request) or the overall deadline ran out. */
  'timeout',
  /** The caller aborted the probe (shutdown, reload). */
  'aborted',
  /** No address to connect to: the host name has no A or AAAA record at the configured resolvers. */
  'no_address',
] as const;
export type KmsFailureReason = (typeof KMS_FAILURE_REASONS)[number];

/** The reasons that say the host's port could not be reached at all (nothing was answered). */
export const CONNECT_FAILURE_REASONS: ReadonlySet<KmsFailureReason> = new Set([
  'connect_refused',
  'connect_timeout',
  'network',
]);

export interface KmsError {
  reason: KmsFailureReason;
  /** HRESULT or fault status as `0xC004F042` where there is one, else null. */
  code: string | null;
  message: string;
}

/** Seconds spent in each phase; absent when the phase was not reached. */
export interface PhaseDurations {
  connect?: number;
  bind?: number;
  request?: number;
}

export interface KmsProductResult {
  host: string;
  port: number;
  /** The IP address actually connected to, when a connection was made. */
  address: string | null;
  /** Product slug; the `product` label of every metric. */
  product: string;
  success: boolean;
  /** The protocol version that answered (after any fallback), or the one tried last. */
  protocol: KmsProtocolVersion | null;
  /** ePID as the host sent it. */
  epid: string | null;
  /** 16 uppercase hex digits (v6 only). */
  hwid: string | null;
  /** Host OS build from the ePID. */
  hostBuild: number | null;
  /** ISO 8601 date from the ePID's DDDYYYY part. */
  keyInstallDate: string | null;
  /** The host's current count for this product's application (includes the monitor). */
  activeClients: number | null;
  /** N: the count clients of this product need before the host activates them. */
  threshold: number;
  activationIntervalMinutes: number | null;
  renewalIntervalMinutes: number | null;
  /** Wall time of this product's exchange, from connect to verified response. */
  durationSeconds: number;
  phases: PhaseDurations;
  /** When the probe finished, ISO 8601. */
  timestamp: string;
  error: KmsError | null;
  /**
   * The RPC association that carried the request; null when none was made (optional so
   * results stored before it existed, and hand-made ones, still fit).
   */
  association?: AssociationInfo | null;
}

/** How the host kept the association: evidence for the trust checks (docs/trust.md). */
export interface AssociationInfo {
  /** assoc_group_id of the bind_ack. */
  group: number;
  /** Which connection of this probe carried the request, from 1. */
  connection: number;
  /** Requests the connection had answered, this one included. */
  answered: number;
  /**
   * True when the host had closed the previous connection after answering and the request
   * went on a new one (genuine hosts keep the association open).
   */
  reopened: boolean;
}

/** TCP reachability: connect and close, no KMS request (cheap; runs every interval). */
export interface TcpProbeResult {
  host: string;
  port: number;
  address: string | null;
  up: boolean;
  durationSeconds: number;
  timestamp: string;
  error: KmsError | null;
}
