/**
 * The one error type every KMS/RPC decoder throws. Decoders treat their input as hostile:
 * any byte string either decodes or ends in a KmsDecodeError with a reason, never in a
 * RangeError, TypeError or an allocation sized by an unchecked length.
 */
export type KmsDecodeReason =
  /** Structurally impossible: too short, a length field out of range, bad padding of a field. */
  | 'malformed'
  /** v5/v6: the ciphertext length or PKCS#7 padding is wrong, so nothing inside can be trusted. */
  | 'decrypt_failed'
  /** A MAC, hash, HMAC or IV rule does not hold: the answer is forged or corrupted. */
  | 'verify_failed'
  /** A field the host must echo (version, CMID, client time) differs from the request. */
  | 'mismatch'
  /** The PDU is well formed but not what the protocol allows here (type, flags, call id). */
  | 'unexpected';

export class KmsDecodeError extends Error {
  override readonly name = 'KmsDecodeError';
  constructor(
    readonly reason: KmsDecodeReason,
    message: string,
  ) {
    super(message);
  }
}

/** Throws a malformed error unless `need` bytes are available at `offset`. */
export function requireBytes(buf: Uint8Array, offset: number, need: number, what: string): void {
  if (!Number.isInteger(offset) || offset < 0 || need < 0 || offset + need > buf.length) {
    throw new KmsDecodeError(
      'malformed',
      `${what}: need ${need} bytes at offset ${offset}, have ${Math.max(0, buf.length - offset)}`,
    );
  }
}
