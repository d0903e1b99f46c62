/**
 * Host side: build the response payload for a decoded request, the way vlmcsd does, so
 * decodeClientResponse (and vlmcs) accept it. Randomness is injectable so captured
 * vlmcsd answers can be reproduced byte for byte.
 *
 * v5 and v6 plaintext: base response ‖ (R ⊕ D(IV_req)) ‖ SHA-256(R) [‖ HwId ‖ D(IV_req) ‖
 * HMAC], PKCS#7, AES-CBC. v5 answers under the request IV (the client checks IV_resp =
 * IV_req); v6 under a fresh IV, with the HMAC over D(IV_resp) ‖ everything before it.
 */
import { hash } from 'node:crypto';
import { encryptPadded, kmsCipher } from '../crypto/kms-cipher.js';
import { v4Mac } from '../crypto/v4-mac.js';
import { randomBlock } from '../crypto/random.js';
import { v6SlotHmac } from '../crypto/v6-hmac.js';
import { encodeEchoingBaseResponse } from './base-response.js';
import { check16, formatVersion, writeVersion, xorBytes } from './bytes.js';
import { filetime } from './filetime.js';
import type { RequestContext } from './types.js';

export interface ServerResponseParams {
  /** Host ePID, at most 63 characters. */
  epid: string;
  /** v6 only (required there): 8 bytes, or 16 hex digits in byte order. */
  hwid?: Uint8Array | string;
  activeClients: number;
  activationIntervalMinutes: number;
  renewalIntervalMinutes: number;
}

export interface ServerRandomness {
  /** v5/v6: the 16-byte random value R whose SHA-256 the response carries. Default CSPRNG. */
  random?: Uint8Array;
  /** v6: the response IV exactly as sent on the wire. Default CSPRNG. */
  responseIv?: Uint8Array;
}

function hwidBytes(hwid: Uint8Array | string | undefined): Buffer {
  if (typeof hwid === 'string') {
    if (!/^[0-9a-fA-F]{16}$/.test(hwid))
      throw new RangeError(`HWID must be 16 hex digits, got ${JSON.stringify(hwid)}`);
    return Buffer.from(hwid, 'hex');
  }
  if (hwid === undefined || hwid.length !== 8)
    throw new RangeError('v6 response needs an 8-byte HWID');
  return Buffer.from(hwid);
}

export function encodeServerResponse(
  context: RequestContext,
  params: ServerResponseParams,
  randomness: ServerRandomness = {},
): Buffer {
  const { major } = context.version;
  const base = encodeEchoingBaseResponse(
    context.version,
    params.epid,
    context.cmidBytes,
    context.clientTimeBytes,
    params,
  );

  if (major === 4) return Buffer.concat([base, v4Mac(base)]);
  if (major !== 5 && major !== 6) {
    throw new RangeError(`no response format for protocol ${formatVersion(context.version)}`);
  }
  const { requestIv, decryptedRequestIv } = context;
  if (requestIv === null || decryptedRequestIv === null) {
    throw new TypeError('v5/v6 request context without request IV');
  }
  const cipher = kmsCipher(major);
  const random = check16(randomness.random ?? randomBlock(), 'random value');
  const parts: Buffer[] = [
    base,
    xorBytes(random, decryptedRequestIv),
    hash('sha256', random, 'buffer'),
  ];
  let responseIv = requestIv;
  if (major === 6) {
    responseIv = check16(randomness.responseIv ?? randomBlock(), 'response IV');
    parts.push(hwidBytes(params.hwid), decryptedRequestIv);
    const time = filetime.decode(context.clientTimeBytes);
    parts.push(v6SlotHmac(time, 0, [cipher.decryptBlock(responseIv), ...parts]));
  }
  const ciphertext = encryptPadded(cipher, responseIv, Buffer.concat(parts));
  const out = Buffer.allocUnsafe(20 + ciphertext.length);
  writeVersion(out, 0, context.version);
  responseIv.copy(out, 4);
  ciphertext.copy(out, 20);
  return out;
}
