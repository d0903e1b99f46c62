/**
 * The base response (docs/protocol.md §4.1): version, ePID length P, ePID (UTF-16LE + NUL), echoed CMID
 * and client time, count and the two intervals. 44 + P bytes; abstract-encoding style.
 */
import { KmsDecodeError, requireBytes } from '../errors.js';
import { guid } from '../guid.js';
import { asBuffer, checkU32, readVersion, writeVersion } from './bytes.js';
import { filetime } from './filetime.js';
import type { KmsVersion } from './types.js';
import { decodeUtf16z, encodeUtf16z } from './utf16.js';

/** Largest ePID field, NUL included (64 WCHARs). */
export const EPID_MAX_BYTES = 128;
/** Fixed part: version 4 + P 4 + CMID 16 + time 8 + count/intervals 12. */
export const BASE_RESPONSE_FIXED = 44;

export interface BaseResponse {
  version: KmsVersion;
  epid: string;
  cmid: string;
  clientTime: bigint;
  activeClients: number;
  activationIntervalMinutes: number;
  renewalIntervalMinutes: number;
}

/** Offsets of the fields after the ePID, for a given ePID byte length P. */
export function baseResponseOffsets(epidBytes: number): {
  cmid: number;
  clientTime: number;
  activeClients: number;
  activationInterval: number;
  renewalInterval: number;
  end: number;
} {
  const p = 8 + epidBytes;
  return {
    cmid: p,
    clientTime: p + 16,
    activeClients: p + 24,
    activationInterval: p + 28,
    renewalInterval: p + 32,
    end: p + 36,
  };
}

function encodingLength(value: BaseResponse): number {
  return BASE_RESPONSE_FIXED + (value.epid.length + 1) * 2;
}

/** Count and intervals: the part of a base response the host chooses. */
export interface BaseResponseNumbers {
  activeClients: number;
  activationIntervalMinutes: number;
  renewalIntervalMinutes: number;
}

/** Writes everything but the two echoes; returns the echo offsets for the caller to fill. */
function writeFields(
  version: KmsVersion,
  epidText: string,
  numbers: BaseResponseNumbers,
  buf: Buffer | undefined,
  offset: number,
): { out: Buffer; cmid: number; clientTime: number; length: number } {
  const epid = encodeUtf16z(epidText, EPID_MAX_BYTES, 'ePID');
  const length = BASE_RESPONSE_FIXED + epid.length;
  const out = buf ?? Buffer.alloc(length);
  if (!Number.isInteger(offset) || offset < 0 || offset + length > out.length) {
    throw new RangeError(`base response needs ${length} bytes at offset ${offset}`);
  }
  const o = baseResponseOffsets(epid.length);
  writeVersion(out, offset, version);
  out.writeUInt32LE(epid.length, offset + 4);
  epid.copy(out, offset + 8);
  out.writeUInt32LE(checkU32(numbers.activeClients, 'activeClients'), offset + o.activeClients);
  out.writeUInt32LE(
    checkU32(numbers.activationIntervalMinutes, 'activationIntervalMinutes'),
    offset + o.activationInterval,
  );
  out.writeUInt32LE(
    checkU32(numbers.renewalIntervalMinutes, 'renewalIntervalMinutes'),
    offset + o.renewalInterval,
  );
  return { out, cmid: offset + o.cmid, clientTime: offset + o.clientTime, length };
}

function encode(value: BaseResponse, buf?: Buffer, offset = 0): Buffer {
  const w = writeFields(value.version, value.epid, value, buf, offset);
  guid.encode(value.cmid, w.out, w.cmid);
  filetime.encode(value.clientTime, w.out, w.clientTime);
  encode.bytes = w.length;
  return w.out;
}
encode.bytes = 0;

/**
 * Host side: a base response whose CMID and client time are copied from the request's
 * wire bytes (the echo is byte-exact by construction, no GUID/FILETIME round trip).
 */
export function encodeEchoingBaseResponse(
  version: KmsVersion,
  epid: string,
  cmidBytes: Uint8Array,
  clientTimeBytes: Uint8Array,
  numbers: BaseResponseNumbers,
): Buffer {
  if (cmidBytes.length !== 16 || clientTimeBytes.length !== 8) {
    throw new RangeError('echo fields must be 16 (CMID) and 8 (time) bytes');
  }
  const w = writeFields(version, epid, numbers, undefined, 0);
  w.out.set(cmidBytes, w.cmid);
  w.out.set(clientTimeBytes, w.clientTime);
  return w.out;
}

/** Enforces docs/protocol.md §4.4 item 3 (P ≤ 128, even, NUL-terminated, no inner NUL) before reading on. */
function decode(buf: Uint8Array, offset = 0): BaseResponse {
  requireBytes(buf, offset, 8, 'base response header');
  const b = asBuffer(buf);
  const version = readVersion(b, offset, 'base response version');
  const epidBytes = b.readUInt32LE(offset + 4);
  if (epidBytes > EPID_MAX_BYTES) {
    throw new KmsDecodeError('malformed', `ePID length ${epidBytes} exceeds ${EPID_MAX_BYTES}`);
  }
  const epid = decodeUtf16z(b, offset + 8, epidBytes, 'ePID');
  const o = baseResponseOffsets(epidBytes);
  requireBytes(b, offset + o.cmid, o.end - o.cmid, 'base response');
  const value: BaseResponse = {
    version,
    epid,
    cmid: guid.decode(b, offset + o.cmid),
    clientTime: filetime.decode(b, offset + o.clientTime),
    activeClients: b.readUInt32LE(offset + o.activeClients),
    activationIntervalMinutes: b.readUInt32LE(offset + o.activationInterval),
    renewalIntervalMinutes: b.readUInt32LE(offset + o.renewalInterval),
  };
  decode.bytes = o.end;
  return value;
}
decode.bytes = 0;

export const baseResponse = { encode, decode, encodingLength };
