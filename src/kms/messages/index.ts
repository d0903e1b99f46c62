/**
 * Public API of the KMS message layer (docs/protocol.md §3-4): pure functions over the KMS payload
 * bytes carried inside the RPC stub. No I/O.
 *
 * Client: encodeClientRequest → send payload → decodeClientResponse(payload, context).
 * Host:   decodeServerRequest(payload) → encodeServerResponse(context, params).
 */
export type { KmsVersion, RequestContext, KmsResponse, KmsResponseWarning } from './types.js';
export type { EncodedRequest, DecodedRequest } from './context.js';
export {
  baseRequest,
  makeBaseRequest,
  BASE_REQUEST_SIZE,
  BASE_REQUEST_OFFSETS,
  WORKSTATION_UNITS,
  ZERO_GUID,
} from './base-request.js';
export type { BaseRequest, BaseRequestInput } from './base-request.js';
export {
  baseResponse,
  baseResponseOffsets,
  encodeEchoingBaseResponse,
  EPID_MAX_BYTES,
  BASE_RESPONSE_FIXED,
} from './base-response.js';
export type { BaseResponse, BaseResponseNumbers } from './base-response.js';
export {
  filetime,
  filetimeFromDate,
  filetimeToDate,
  filetimeNow,
  FILETIME_UNIX_EPOCH,
} from './filetime.js';
export { formatVersion, sameVersion } from './bytes.js';
export { encodeRequestV4, decodeRequestV4, REQUEST_V4_SIZE } from './request-v4.js';
export type { DecodeRequestV4Options } from './request-v4.js';
export { encodeRequestV5V6, decodeRequestV5V6, REQUEST_V5V6_SIZE } from './request-v5v6.js';
export {
  encodeClientRequest,
  decodeServerRequest,
  peekRequestVersion,
  isSupportedVersion,
} from './request.js';
export type { EncodeRequestOptions, DecodeServerRequestOptions } from './request.js';
export { createRequestTemplate } from './request-template.js';
export type { RequestTemplate } from './request-template.js';
export { decodeClientResponse } from './response.js';
export type { DecodeResponseOptions } from './response.js';
export { encodeServerResponse } from './server.js';
export type { ServerResponseParams, ServerRandomness } from './server.js';
