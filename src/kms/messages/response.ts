/**
 * Client side: decode a KMS response payload and run every check of docs/protocol.md §4.4 against the
 * context of the request it answers. Anything that fails throws KmsDecodeError:
 * decrypt_failed (v5/v6 ciphertext length or padding), malformed (structure, ePID rules,
 * payload length), mismatch (version / CMID / time echo), verify_failed (v4 MAC, hash,
 * v5 IV rule, v6 XoredIVs and HMAC).
 */
import { bytesEqualText, sha256Text } from '../crypto/digest-text.js';
import { decryptPadded, kmsCipher } from '../crypto/kms-cipher.js';
import { v4Mac } from '../crypto/v4-mac.js';
import { v6SlotHmacMatches } from '../crypto/v6-hmac.js';
import { KmsDecodeError, requireBytes } from '../errors.js';
import { BASE_RESPONSE_FIXED, baseResponse, baseResponseOffsets } from './base-response.js';
import type { BaseResponse } from './base-response.js';
import {
  asBuffer,
  bytesEqual,
  formatVersion,
  mismatch,
  readVersion,
  sameVersion,
} from './bytes.js';
import type { KmsResponse, KmsResponseWarning, RequestContext } from './types.js';

export interface DecodeResponseOptions {
  /**
   * v6: also accept an HMAC keyed with the neighbouring time slot (floor(T/C1) ± 1), as
   * vlmcs tolerates; a match there adds the 'hmac_adjacent_time_slot' warning. Default
   * false: vlmcsd and py-kms key from the echoed time, so the exact slot always matches.
   */
  hmacSlotTolerance?: boolean;
}

/** Sizes after the base response: RandomXoredIVs + Hash (v5), + HwId + XoredIVs + HMAC (v6). */
const V5_TAIL = 16 + 32;
const V6_TAIL = V5_TAIL + 8 + 16 + 16;
const MAC_SIZE = 16;
const SLOT_OFFSETS_EXACT = [0] as const;
const SLOT_OFFSETS_TOLERANT = [0, -1, 1] as const;
/** R = the first 16 bytes after the base response ⊕ D(IV_req), hashed at once (synchronous). */
const random = Buffer.alloc(16);

// The usual Microsoft ePID: platform-group-key-key-channel-LCID-build.rev-DDDYYYY.
const STANDARD_EPID = /^\d{5}-\d{5}-\d{3}-\d{6}-\d{2}-\d{1,5}-\d{1,5}\.\d{4}-\d{7}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function decodeClientResponse(
  payload: Uint8Array,
  context: RequestContext,
  options: DecodeResponseOptions = {},
): KmsResponse {
  const outer = readVersion(payload, 0, 'response version');
  if (!sameVersion(outer, context.version)) {
    throw mismatch(
      `response version ${formatVersion(outer)} ≠ request ${formatVersion(context.version)}`,
    );
  }
  switch (context.version.major) {
    case 4:
      return decodeV4(payload, context);
    case 5:
    case 6:
      return decodeV5V6(payload, context, options);
    default:
      throw new KmsDecodeError(
        'unexpected',
        `no response format for protocol ${formatVersion(context.version)}`,
      );
  }
}

/**
 * ePID content beyond docs/protocol.md §4.4's structural rules. A real ePID is digits, '-' and '.';
 * requiring printable ASCII matters for v5, whose base response is not authenticated: a
 * corrupted ciphertext block inside the ePID otherwise decrypts to garbage that passes.
 */
function checkEpidText(epid: string, warnings: KmsResponseWarning[]): void {
  if (!PRINTABLE_ASCII.test(epid)) {
    throw new KmsDecodeError('malformed', 'ePID contains characters outside printable ASCII');
  }
  if (!STANDARD_EPID.test(epid)) warnings.push('epid_nonstandard_format');
}

/**
 * Version and byte-exact CMID/time echo of a base response that ends at `end` in `plain`
 * (the echoes are compared as wire bytes, not as decoded values).
 */
function checkEchoes(
  plain: Uint8Array,
  base: BaseResponse,
  end: number,
  context: RequestContext,
): void {
  if (!sameVersion(base.version, context.version)) {
    throw mismatch(
      `inner response version ${formatVersion(base.version)} ≠ request ${formatVersion(context.version)}`,
    );
  }
  const o = baseResponseOffsets(end - BASE_RESPONSE_FIXED);
  if (!bytesEqual(plain.subarray(o.cmid, o.cmid + 16), context.cmidBytes)) {
    throw mismatch('CMID is not the one sent');
  }
  if (!bytesEqual(plain.subarray(o.clientTime, o.clientTime + 8), context.clientTimeBytes)) {
    throw mismatch('client time is not the one sent');
  }
}

function result(
  base: BaseResponse,
  hwid: string | null,
  warnings: KmsResponseWarning[],
): KmsResponse {
  return {
    version: base.version,
    epid: base.epid,
    cmid: base.cmid,
    clientTime: base.clientTime,
    activeClients: base.activeClients,
    activationIntervalMinutes: base.activationIntervalMinutes,
    renewalIntervalMinutes: base.renewalIntervalMinutes,
    hwid,
    warnings,
  };
}

function decodeV4(payload: Uint8Array, context: RequestContext): KmsResponse {
  const warnings: KmsResponseWarning[] = [];
  const base = baseResponse.decode(payload, 0);
  const end = baseResponse.decode.bytes;
  checkEpidText(base.epid, warnings);
  checkEchoes(payload, base, end, context);
  requireBytes(payload, end, MAC_SIZE, 'v4 response MAC');
  if (!bytesEqual(v4Mac(payload.subarray(0, end)), payload.subarray(end, end + MAC_SIZE))) {
    throw new KmsDecodeError('verify_failed', 'v4 response MAC does not match');
  }
  if (payload.length !== end + MAC_SIZE) {
    throw new KmsDecodeError(
      'malformed',
      `v4 response has ${payload.length - end - MAC_SIZE} extra bytes`,
    );
  }
  return result(base, null, warnings);
}

function decodeV5V6(
  payload: Uint8Array,
  context: RequestContext,
  options: DecodeResponseOptions,
): KmsResponse {
  const { requestIv, decryptedRequestIv } = context;
  if (requestIv === null || decryptedRequestIv === null) {
    throw new TypeError('v5/v6 request context without request IV');
  }
  const v6 = context.version.major === 6;
  const warnings: KmsResponseWarning[] = [];
  requireBytes(payload, 4, 16, 'response IV');
  const responseIv = payload.subarray(4, 20);
  const cipher = kmsCipher(context.version.major);
  const plain = decryptPadded(cipher, responseIv, payload.subarray(20));

  const base = baseResponse.decode(plain, 0);
  const b = baseResponse.decode.bytes;
  checkEpidText(base.epid, warnings);
  checkEchoes(plain, base, b, context);
  const expected = b + (v6 ? V6_TAIL : V5_TAIL);
  if (plain.length < expected) {
    throw new KmsDecodeError(
      'malformed',
      `response plaintext is ${plain.length} bytes, want ${expected}`,
    );
  }

  // Hash: the host proves it decrypted our IV by hiding a random R under D(IV_req).
  for (let i = 0; i < 16; i++) random[i] = plain[b + i]! ^ decryptedRequestIv[i]!;
  if (!bytesEqualText(plain, b + 16, sha256Text(random))) {
    throw new KmsDecodeError('verify_failed', 'response hash does not match');
  }

  let hwid: string | null = null;
  if (!v6) {
    if (!bytesEqual(responseIv, requestIv)) {
      throw new KmsDecodeError('verify_failed', 'v5 response IV differs from the request IV');
    }
  } else {
    hwid = asBuffer(plain)
      .toString('hex', b + 48, b + 56)
      .toUpperCase();
    if (!bytesEqual(plain.subarray(b + 56, b + 72), decryptedRequestIv)) {
      throw new KmsDecodeError('verify_failed', 'v6 XoredIVs is not D(request IV)');
    }
    const slot = matchHmac(plain, b, cipher.decryptBlock(responseIv), base.clientTime, options);
    if (slot === null) throw new KmsDecodeError('verify_failed', 'v6 response HMAC does not match');
    if (slot !== 0) warnings.push('hmac_adjacent_time_slot');
  }

  if (plain.length !== expected) {
    throw new KmsDecodeError('malformed', `response has ${plain.length - expected} extra bytes`);
  }
  if (v6 && bytesEqual(responseIv, requestIv)) warnings.push('response_iv_equals_request_iv');
  return result(base, hwid, warnings);
}

/** Returns the slot offset whose key verifies the HMAC (0, then −1/+1 if tolerated), or null. */
function matchHmac(
  plain: Uint8Array,
  b: number,
  decryptedResponseIv: Buffer,
  clientTime: bigint,
  options: DecodeResponseOptions,
): number | null {
  const parts = [decryptedResponseIv, plain.subarray(0, b + 72)];
  const offsets = options.hmacSlotTolerance ? SLOT_OFFSETS_TOLERANT : SLOT_OFFSETS_EXACT;
  for (const offset of offsets) {
    if (v6SlotHmacMatches(clientTime, offset, parts, plain, b + 72)) return offset;
  }
  return null;
}
