/**
 * v5/v6 request (docs/protocol.md §3.3): clear version ‖ IV ‖ AES-CBC(base ‖ 04040404). v5 uses plain
 * AES-128, every major ≥ 6 the v6 schedule (vlmcs does the same for e.g. a 7.0 probe).
 */
import { decryptPadded, kmsCipher } from '../crypto/kms-cipher.js';
import { randomBlock } from '../crypto/random.js';
import { KmsDecodeError, requireBytes } from '../errors.js';
import { BASE_REQUEST_SIZE, baseRequest } from './base-request.js';
import type { BaseRequest } from './base-request.js';
import {
  check16,
  formatVersion,
  mismatch,
  readVersion,
  sameVersion,
  writeVersion,
} from './bytes.js';
import { requestContext } from './context.js';
import type { DecodedRequest, EncodedRequest } from './context.js';

/** PKCS#7 to the 16-byte block: 236 clear bytes take 4 bytes of value 4. */
const PAD = 16 - (BASE_REQUEST_SIZE % 16);
/** 4 version + 16 IV + 240 ciphertext. */
export const REQUEST_V5V6_SIZE = 4 + 16 + BASE_REQUEST_SIZE + PAD;

/** `iv` is injectable for reproducible requests; by default 16 CSPRNG bytes per request. */
export function encodeRequestV5V6(
  request: BaseRequest,
  iv: Uint8Array = randomBlock(),
): EncodedRequest {
  if (request.version.major < 5) {
    throw new RangeError(`v5/v6 encoder got version ${formatVersion(request.version)}`);
  }
  const requestIv = check16(iv, 'request IV');
  const cipher = kmsCipher(request.version.major);
  // Built where it is sent: the base request, its PKCS#7 padding (236 bytes → 4 × 0x04)
  // and the encryption all write into the payload, no intermediate buffers.
  const payload = Buffer.allocUnsafe(REQUEST_V5V6_SIZE);
  writeVersion(payload, 0, request.version);
  requestIv.copy(payload, 4);
  const sealed = payload.subarray(20);
  baseRequest.encode(request, payload, 20);
  sealed.fill(PAD, BASE_REQUEST_SIZE);
  // The context copies the echoed fields out of the clear text before it is encrypted.
  const base = sealed.subarray(0, BASE_REQUEST_SIZE);
  const context = requestContext(request.version, base, requestIv, cipher.decryptBlock(requestIv));
  cipher.encryptCbcInPlace(requestIv, sealed);
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
