/**
 * v5/v6 request (docs/protocol.md §3.3): clear version ‖ IV ‖ AES-CBC(base ‖ 04040404). v5 uses plain
 * AES-128, every major ≥ 6 the v6 schedule (vlmcs does the same for e.g. a 7.0 probe).
 */
import { decryptPadded, kmsCipher } from '../crypto/kms-cipher.js';
import { KmsDecodeError, requireBytes } from '../errors.js';
import { BASE_REQUEST_SIZE, baseRequest } from './base-request.js';
import type { BaseRequest } from './base-request.js';
import { formatVersion, mismatch, readVersion, sameVersion } from './bytes.js';
import { requestContext } from './context.js';
import type { DecodedRequest, EncodedRequest } from './context.js';
import { REQUEST_V5V6_SIZE, createRequestTemplate } from './request-template.js';

export { REQUEST_V5V6_SIZE } from './request-template.js';

/** `iv` is injectable for reproducible requests; by default 16 CSPRNG bytes per request. */
export function encodeRequestV5V6(request: BaseRequest, iv?: Uint8Array): EncodedRequest {
  if (request.version.major < 5) {
    throw new RangeError(`v5/v6 encoder got version ${formatVersion(request.version)}`);
  }
  // Built where it is sent: the base request, its padding and the encryption all write
  // into the payload (request-template.ts).
  const payload = Buffer.allocUnsafe(REQUEST_V5V6_SIZE);
  const context = createRequestTemplate(request).writeInto(payload, 0, request.clientTime, iv);
  return { payload, context };
}

/** Host side. The caller has already checked the clear version is one it serves. */
export function decodeRequestV5V6(payload: Uint8Array): DecodedRequest {
  const outer = readVersion(payload, 0, 'request version');
  requireBytes(payload, 4, 16, 'request IV');
  const requestIv = Buffer.from(payload.subarray(4, 20));
  const cipher = kmsCipher(outer.major);
  const plain = decryptPadded(cipher, requestIv, payload.subarray(20));
  if (plain.length !== BASE_REQUEST_SIZE) {
    throw new KmsDecodeError(
      'malformed',
      `decrypted request is ${plain.length} bytes, want ${BASE_REQUEST_SIZE}`,
    );
  }
  const request = baseRequest.decode(plain, 0);
  if (!sameVersion(request.version, outer)) {
    throw mismatch(
      `inner version ${formatVersion(request.version)} differs from outer ${formatVersion(outer)}`,
    );
  }
  return {
    request,
    context: requestContext(outer, plain, requestIv, cipher.decryptBlock(requestIv)),
  };
}
