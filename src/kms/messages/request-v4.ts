/** v4 request (docs/protocol.md §3.2): the clear 236-byte base followed by V4MAC(base). */
import { v4Mac } from '../crypto/v4-mac.js';
import { KmsDecodeError } from '../errors.js';
import { BASE_REQUEST_SIZE, baseRequest } from './base-request.js';
import type { BaseRequest } from './base-request.js';
import { bytesEqual, formatVersion } from './bytes.js';
import { requestContext } from './context.js';
import type { DecodedRequest, EncodedRequest } from './context.js';
import { REQUEST_V4_SIZE, createRequestTemplate } from './request-template.js';

export { REQUEST_V4_SIZE } from './request-template.js';

export function encodeRequestV4(request: BaseRequest): EncodedRequest {
  if (request.version.major !== 4) {
    throw new RangeError(`v4 encoder got version ${formatVersion(request.version)}`);
  }
  const payload = Buffer.allocUnsafe(REQUEST_V4_SIZE);
  const context = createRequestTemplate(request).writeInto(payload, 0, request.clientTime);
  return { payload, context };
}

export interface DecodeRequestV4Options {
  /** Check the request MAC (default true). vlmcsd skips it; a strict host should not. */
  verifyMac?: boolean;
}

/** Host side. The caller has already seen major 4 in the first four bytes. */
export function decodeRequestV4(
  payload: Uint8Array,
  options: DecodeRequestV4Options = {},
): DecodedRequest {
  if (payload.length !== REQUEST_V4_SIZE) {
    throw new KmsDecodeError(
      'malformed',
      `v4 request must be ${REQUEST_V4_SIZE} bytes, got ${payload.length}`,
    );
  }
  const base = payload.subarray(0, BASE_REQUEST_SIZE);
  if (
    (options.verifyMac ?? true) &&
    !bytesEqual(v4Mac(base), payload.subarray(BASE_REQUEST_SIZE))
  ) {
    throw new KmsDecodeError('verify_failed', 'v4 request MAC does not match');
  }
  const request = baseRequest.decode(base, 0);
  return { request, context: requestContext(request.version, base, null, null) };
}
