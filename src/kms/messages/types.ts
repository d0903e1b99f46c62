/** Shared shapes of the KMS message layer. */

/** Protocol version as it travels: u16 minor then u16 major, little-endian. */
export interface KmsVersion {
  readonly major: number;
  readonly minor: number;
}

/**
 * What survives from a request to the matching response, on both sides of the exchange:
 * the client keeps it to check the answer (docs/protocol.md §4.4); a host keeps it to build the answer
 * (echoes, IV handling). Byte fields are raw wire bytes because the echoes are byte-exact.
 */
export interface RequestContext {
  /** Request version; the response must carry the same one (outer and inner). */
  readonly version: KmsVersion;
  /** The 16 wire bytes of the CMID (base request offset 64). */
  readonly cmidBytes: Buffer;
  /** The 8 wire bytes of the client FILETIME (base request offset 84). */
  readonly clientTimeBytes: Buffer;
  /** v5/v6: the request IV sent in clear; null for v4. */
  readonly requestIv: Buffer | null;
  /** v5/v6: D(requestIv), one-block decryption with the version's key; null for v4. */
  readonly decryptedRequestIv: Buffer | null;
}

/** Non-fatal observations about a response that passed every check. */
export type KmsResponseWarning =
  /** v6 answer reuses the request IV: what vlmcs flags as an emulator (docs/protocol.md §4.4 item 8). */
  | 'response_iv_equals_request_iv'
  /** v6 HMAC only matched the key of the neighbouring time slot (tolerance option). */
  | 'hmac_adjacent_time_slot'
  /** ePID is printable ASCII but not in the usual 5-5-3-6-2-LCID-build-date form. */
  | 'epid_nonstandard_format';

/** A verified answer, as the monitor consumes it. */
export interface KmsResponse {
  readonly version: KmsVersion;
  readonly epid: string;
  /** Echoed CMID, lowercase text GUID. */
  readonly cmid: string;
  /** Echoed client time, FILETIME ticks. */
  readonly clientTime: bigint;
  /** The host's current count. */
  readonly activeClients: number;
  readonly activationIntervalMinutes: number;
  readonly renewalIntervalMinutes: number;
  /** v6: host hardware ID as 16 uppercase hex digits in byte order; v4/v5: null. */
  readonly hwid: string | null;
  readonly warnings: readonly KmsResponseWarning[];
}
