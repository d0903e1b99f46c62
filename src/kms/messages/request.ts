/** Version dispatch for requests: the client encoder and the host decoder. */
import { KmsDecodeError } from '../errors.js';
import type { BaseRequest } from './base-request.js';
import { formatVersion, readVersion } from './bytes.js';
import type { DecodedRequest, EncodedRequest } from './context.js';
import { decodeRequestV4 } from './request-v4.js';
import { decodeRequestV5V6, encodeRequestV5V6 } from './request-v5v6.js';
import { encodeRequestV4 } from './request-v4.js';
import type { KmsVersion } from './types.js';
import { isKmsProtocolVersion } from '../protocol-version.js';

export interface EncodeRequestOptions {
  /** v5/v6 request IV (16 bytes); default fresh CSPRNG bytes. Ignored for v4. */
  iv?: Uint8Array;
}

/**
 * Encodes a client request for `request.version.major` (4 → MAC'd clear text, ≥ 5 →
 * encrypted). Returns the payload and the context decodeClientResponse needs.
 */
export function encodeClientRequest(
  request: BaseRequest,
  options: EncodeRequestOptions = {},
): EncodedRequest {
  if (request.version.major === 4) return encodeRequestV4(request);
  return encodeRequestV5V6(request, options.iv);
}

/** The clear version at the start of every request payload (host: pick the decoder). */
export function peekRequestVersion(payload: Uint8Array): KmsVersion {
  return readVersion(payload, 0, 'request version');
}

/** Versions a host (and vlmcsd) serves: 4.0, 5.0, 6.0. */
export function isSupportedVersion(version: KmsVersion): boolean {
  return version.minor === 0 && isKmsProtocolVersion(version.major);
}

export interface DecodeServerRequestOptions {
  /** v4: check the request MAC (default true). */
  verifyV4Mac?: boolean;
}

/**
 * Host side: checks and decodes a request payload. An unsupported clear version is an
 * 'unexpected' error (vlmcsd answers it with HRESULT 0x8007000D without decrypting; use
 * {@link peekRequestVersion} to tell that case apart before calling).
 */
export function decodeServerRequest(
  payload: Uint8Array,
  options: DecodeServerRequestOptions = {},
): DecodedRequest {
  const version = peekRequestVersion(payload);
  if (!isSupportedVersion(version)) {
    throw new KmsDecodeError(
      'unexpected',
      `unsupported KMS protocol version ${formatVersion(version)}`,
    );
  }
  if (version.major === 4)
    return decodeRequestV4(payload, { verifyMac: options.verifyV4Mac ?? true });
  return decodeRequestV5V6(payload);
}
