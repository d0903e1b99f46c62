/**
 * A client request whose constant part is encoded once. A monitor sends the same request to
 * every host again and again: the same version, application, SKU and counted IDs, CMID, N
 * policy and workstation (docs/protocol.md §3.1). Only the client time (and for v5/v6 the IV
 * and so every ciphertext byte) changes per request, so the 236-byte clear base request is
 * built by the ordinary encoder once and each request copies it, writes its time and seals
 * it. encodeRequestV4 and encodeRequestV5V6 are a template used once, so there is one
 * encoder of each layout (docs/performance.md, KMS client CPU).
 */
import { kmsCipher } from '../crypto/kms-cipher.js';
import type { KmsCipher } from '../crypto/kms-cipher.js';
import { randomBlock } from '../crypto/random.js';
import { v4Mac } from '../crypto/v4-mac.js';
import { BASE_REQUEST_OFFSETS, BASE_REQUEST_SIZE, baseRequest } from './base-request.js';
import type { BaseRequest } from './base-request.js';
import { check16, writeVersion } from './bytes.js';
import { filetime } from './filetime.js';
import type { KmsVersion, RequestContext } from './types.js';

const O = BASE_REQUEST_OFFSETS;
/** v4 (docs/protocol.md §3.2): the clear base request, then its 16-byte MAC. */
export const REQUEST_V4_SIZE = BASE_REQUEST_SIZE + 16;
/** PKCS#7 to the 16-byte block: 236 clear bytes take 4 bytes of value 4. */
const PAD = 16 - (BASE_REQUEST_SIZE % 16);
/** v5/v6 (docs/protocol.md §3.3): 4 version + 16 IV + 240 ciphertext. */
export const REQUEST_V5V6_SIZE = 4 + 16 + BASE_REQUEST_SIZE + PAD;
/** v5/v6: the sealed part starts after the clear version and the IV. */
const SEALED_AT = 4 + 16;
const SEALED_SIZE = REQUEST_V5V6_SIZE - SEALED_AT;

export interface RequestTemplate {
  readonly version: KmsVersion;
  /** Payload bytes every request of this template has (252 for v4, 260 for v5/v6). */
  readonly size: number;
  /**
   * Writes one request payload at `offset` of `out` (`size` bytes) with `clientTime`, and
   * returns what decodeClientResponse needs. `iv` (v5/v6) defaults to fresh CSPRNG bytes.
   */
  writeInto(out: Buffer, offset: number, clientTime: bigint, iv?: Uint8Array): RequestContext;
}

/**
 * Encodes `request` (its client time is a placeholder) as the template's constant part.
 * Throws what the encoder throws for a bad GUID, N or workstation, once, here.
 */
export function createRequestTemplate(request: BaseRequest): RequestTemplate {
  // Pooled memory: every byte is written, and a one-shot encode (encodeRequestV5V6) makes
  // a template per call, where a new zeroed ArrayBuffer would cost more than the encoding.
  const clear = baseRequest.encode(request, Buffer.allocUnsafe(BASE_REQUEST_SIZE), 0);
  // Shared by every context of the template: nobody writes into a context's bytes.
  const cmidBytes = Buffer.from(clear.subarray(O.cmid, O.cmid + 16));
  const version = { major: request.version.major, minor: request.version.minor };
  if (version.major === 4) return v4Template(version, clear, cmidBytes);
  if (version.major < 5) throw new RangeError(`no request format for protocol ${version.major}`);
  return sealedTemplate(version, clear, cmidBytes, kmsCipher(version.major));
}

function timeBytes(out: Buffer, at: number): Buffer {
  return Buffer.from(out.subarray(at, at + 8));
}

function v4Template(version: KmsVersion, clear: Buffer, cmidBytes: Buffer): RequestTemplate {
  return {
    version,
    size: REQUEST_V4_SIZE,
    writeInto(out, offset, clientTime) {
      clear.copy(out, offset);
      filetime.encode(clientTime, out, offset + O.clientTime);
      const base = out.subarray(offset, offset + BASE_REQUEST_SIZE);
      v4Mac(base).copy(out, offset + BASE_REQUEST_SIZE);
      return {
        version,
        cmidBytes,
        clientTimeBytes: timeBytes(out, offset + O.clientTime),
        requestIv: null,
        decryptedRequestIv: null,
      };
    },
  };
}

function sealedTemplate(
  version: KmsVersion,
  clear: Buffer,
  cmidBytes: Buffer,
  cipher: KmsCipher,
): RequestTemplate {
  // The clear base request and its PKCS#7 padding (236 bytes → 4 × 0x04), as sealed.
  const padded = Buffer.allocUnsafe(SEALED_SIZE);
  clear.copy(padded, 0);
  padded.fill(PAD, BASE_REQUEST_SIZE);
  return {
    version,
    size: REQUEST_V5V6_SIZE,
    writeInto(out, offset, clientTime, iv) {
      const requestIv = iv === undefined ? randomBlock() : check16(iv, 'request IV');
      writeVersion(out, offset, version);
      requestIv.copy(out, offset + 4);
      const sealedAt = offset + SEALED_AT;
      padded.copy(out, sealedAt);
      filetime.encode(clientTime, out, sealedAt + O.clientTime);
      // The echo is copied out before the clear text is encrypted where it lies.
      const clientTimeBytes = timeBytes(out, sealedAt + O.clientTime);
      cipher.encryptCbcInPlace(requestIv, out.subarray(sealedAt, sealedAt + SEALED_SIZE));
      return {
        version,
        cmidBytes,
        clientTimeBytes,
        requestIv,
        decryptedRequestIv: cipher.decryptBlock(requestIv),
      };
    },
  };
}
