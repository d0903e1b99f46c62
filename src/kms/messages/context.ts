/** Building the request context both sides keep, and the request codec result shapes. */
import type { BaseRequest } from './base-request.js';
import { BASE_REQUEST_OFFSETS } from './base-request.js';
import type { KmsVersion, RequestContext } from './types.js';

/** A client request ready to send, and what to keep for checking the answer. */
export interface EncodedRequest {
  /** The KMS payload (252 bytes v4, 260 bytes v5/v6) that goes into the RPC stub. */
  readonly payload: Buffer;
  readonly context: RequestContext;
}

/** A request as a host sees it after decryption and checks. */
export interface DecodedRequest {
  readonly request: BaseRequest;
  readonly context: RequestContext;
}

/** Copies the echoed fields out of a clear 236-byte base request. */
export function requestContext(
  version: KmsVersion,
  base: Uint8Array,
  requestIv: Buffer | null,
  decryptedRequestIv: Buffer | null,
): RequestContext {
  const o = BASE_REQUEST_OFFSETS;
  return {
    version: { major: version.major, minor: version.minor },
    cmidBytes: Buffer.from(base.subarray(o.cmid, o.cmid + 16)),
    clientTimeBytes: Buffer.from(base.subarray(o.clientTime, o.clientTime + 8)),
    requestIv,
    decryptedRequestIv,
  };
}
