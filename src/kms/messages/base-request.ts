/**
 * The 236-byte base request (docs/protocol.md §3.1), identical in v4, v5 and v6; abstract-encoding
 * style codec (encode/decode/encodingLength, with encode.bytes/decode.bytes like dns-packet).
 */
import { requireBytes } from '../errors.js';
import { NIL_GUID, guid } from '../guid.js';
import { asBuffer, checkU32, readVersion, writeVersion } from './bytes.js';
import { filetime, filetimeNow } from './filetime.js';
import type { KmsVersion } from './types.js';
import { decodeUtf16Fixed, encodeUtf16Fixed } from './utf16.js';

export const BASE_REQUEST_SIZE = 236;
/** Workstation name field: 64 WCHARs, so at most 63 characters plus NUL. */
export const WORKSTATION_UNITS = 64;
/** The previous CMID of a client's first request (the nil GUID). */
export { NIL_GUID as ZERO_GUID } from '../guid.js';

/** Field offsets, exported for code that needs a raw slice (echo checks, tests). */
export const BASE_REQUEST_OFFSETS = {
  version: 0,
  vmFlag: 4,
  licenseStatus: 8,
  bindingExpiration: 12,
  applicationId: 16,
  skuId: 32,
  kmsCountedId: 48,
  cmid: 64,
  nPolicy: 80,
  clientTime: 84,
  previousCmid: 92,
  workstation: 108,
} as const;

export interface BaseRequest {
  version: KmsVersion;
  /** 0 physical machine, 1 virtual machine. */
  vmFlag: number;
  /** 0 unlicensed, 1 licensed, 2 OOB grace, 3 OOT grace, 4 non-genuine grace, 5 notification, 6 extended grace. */
  licenseStatus: number;
  /** Minutes left in the current license state. */
  bindingExpiration: number;
  applicationId: string;
  skuId: string;
  kmsCountedId: string;
  cmid: string;
  /** Minimum client count the product needs (25 / 5 / 5). */
  nPolicy: number;
  /** FILETIME ticks, UTC. */
  clientTime: bigint;
  previousCmid: string;
  /** At most 63 UTF-16 units. */
  workstation: string;
}

const O = BASE_REQUEST_OFFSETS;

function encodingLength(_value?: BaseRequest): number {
  return BASE_REQUEST_SIZE;
}

function encode(value: BaseRequest, buf?: Buffer, offset = 0): Buffer {
  const out = buf ?? Buffer.alloc(BASE_REQUEST_SIZE);
  if (!Number.isInteger(offset) || offset < 0 || offset + BASE_REQUEST_SIZE > out.length) {
    throw new RangeError(`base request needs ${BASE_REQUEST_SIZE} bytes at offset ${offset}`);
  }
  const { major, minor } = value.version;
  if (
    !Number.isInteger(major) ||
    major < 0 ||
    major > 0xffff ||
    !Number.isInteger(minor) ||
    minor < 0 ||
    minor > 0xffff
  ) {
    throw new RangeError(`version ${major}.${minor} is not two u16`);
  }
  writeVersion(out, offset + O.version, value.version);
  out.writeUInt32LE(checkU32(value.vmFlag, 'vmFlag'), offset + O.vmFlag);
  out.writeUInt32LE(checkU32(value.licenseStatus, 'licenseStatus'), offset + O.licenseStatus);
  out.writeUInt32LE(
    checkU32(value.bindingExpiration, 'bindingExpiration'),
    offset + O.bindingExpiration,
  );
  guid.encode(value.applicationId, out, offset + O.applicationId);
  guid.encode(value.skuId, out, offset + O.skuId);
  guid.encode(value.kmsCountedId, out, offset + O.kmsCountedId);
  guid.encode(value.cmid, out, offset + O.cmid);
  out.writeUInt32LE(checkU32(value.nPolicy, 'nPolicy'), offset + O.nPolicy);
  filetime.encode(value.clientTime, out, offset + O.clientTime);
  guid.encode(value.previousCmid, out, offset + O.previousCmid);
  encodeUtf16Fixed(
    value.workstation,
    WORKSTATION_UNITS,
    out,
    offset + O.workstation,
    'workstation',
  );
  encode.bytes = BASE_REQUEST_SIZE;
  return out;
}
encode.bytes = 0;

/**
 * Every 236-byte string is a valid base request at this layer (the workstation name is
 * read up to its first NUL); only a short buffer fails, with a malformed error.
 */
function decode(buf: Uint8Array, offset = 0): BaseRequest {
  requireBytes(buf, offset, BASE_REQUEST_SIZE, 'base request');
  const b = asBuffer(buf);
  const value: BaseRequest = {
    version: readVersion(b, offset + O.version, 'base request version'),
    vmFlag: b.readUInt32LE(offset + O.vmFlag),
    licenseStatus: b.readUInt32LE(offset + O.licenseStatus),
    bindingExpiration: b.readUInt32LE(offset + O.bindingExpiration),
    applicationId: guid.decode(b, offset + O.applicationId),
    skuId: guid.decode(b, offset + O.skuId),
    kmsCountedId: guid.decode(b, offset + O.kmsCountedId),
    cmid: guid.decode(b, offset + O.cmid),
    nPolicy: b.readUInt32LE(offset + O.nPolicy),
    clientTime: filetime.decode(b, offset + O.clientTime),
    previousCmid: guid.decode(b, offset + O.previousCmid),
    workstation: decodeUtf16Fixed(b, offset + O.workstation, WORKSTATION_UNITS, 'workstation'),
  };
  decode.bytes = BASE_REQUEST_SIZE;
  return value;
}
decode.bytes = 0;

export const baseRequest = { encode, decode, encodingLength };

/** What a caller must say about a probe; everything else has vlmcs's defaults. */
export interface BaseRequestInput {
  /** Major protocol version (4, 5 or 6); minor is 0. */
  protocol: number;
  applicationId: string;
  skuId: string;
  kmsCountedId: string;
  cmid: string;
  nPolicy: number;
  workstation: string;
  /** Default: now. */
  clientTime?: bigint;
  /** Default 0 (physical). */
  vmFlag?: number;
  /** Default 2 (initial grace), as vlmcs sends. */
  licenseStatus?: number;
  /** Default 43200 minutes (30 days), as vlmcs sends. */
  bindingExpiration?: number;
  /** Default all-zero GUID. */
  previousCmid?: string;
}

/** Builds a base request with the defaults known to work with vlmcsd (docs/protocol.md §3.1). */
export function makeBaseRequest(input: BaseRequestInput): BaseRequest {
  return {
    version: { major: input.protocol, minor: 0 },
    vmFlag: input.vmFlag ?? 0,
    licenseStatus: input.licenseStatus ?? 2,
    bindingExpiration: input.bindingExpiration ?? 43200,
    applicationId: input.applicationId,
    skuId: input.skuId,
    kmsCountedId: input.kmsCountedId,
    cmid: input.cmid,
    nPolicy: input.nPolicy,
    clientTime: input.clientTime ?? filetimeNow(),
    previousCmid: input.previousCmid ?? NIL_GUID,
    workstation: input.workstation,
  };
}
