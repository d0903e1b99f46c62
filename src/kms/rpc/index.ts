/** DCE/RPC for KMS: PDU codecs, NDR stubs of RequestActivation, binds, framing. */
export * from './constants.js';
export { header, validateHeader, hasObjectUuid } from './header.js';
export type { RpcHeader, RpcHeaderInit, HeaderExpectation } from './header.js';
export { bind, alterContext } from './bind.js';
export type { BindPdu, BindPduInit, BindCodec, PresentationContext } from './bind.js';
export { bindAck, alterContextResp, bindAckPadRange, NIL_SYNTAX } from './bind-ack.js';
export type { BindAckPdu, BindAckPduInit, BindAckCodec, ContextResult } from './bind-ack.js';
export { bindNak, bindNakReasonName } from './bind-nak.js';
export type { BindNakPdu, BindNakPduInit, RpcVersion } from './bind-nak.js';
export { request } from './request.js';
export { requestFrame } from './request-frame.js';
export type { RequestFrame } from './request-frame.js';
export type { RequestPdu, RequestPduInit } from './request.js';
export { response, responseStubOf } from './response.js';
export type { ResponsePdu, ResponsePduInit } from './response.js';
export { fault } from './fault.js';
export type { FaultPdu, FaultPduInit } from './fault.js';
export { decodePdu, encodePdu } from './pdu.js';
export type { AnyPdu, DecodedPdu } from './pdu.js';
export {
  ndr32RequestStub,
  ndr64RequestStub,
  ndr32ResponseStub,
  ndr64ResponseStub,
  requestStub,
  responseStub,
  UNIQUE_POINTER_REFERENT,
  MAX_STUB_PAYLOAD,
} from './ndr-stub.js';
export type {
  NdrSyntax,
  ReturnValueLayout,
  RequestStub,
  ResponseStub,
  ResponseStubInit,
  RequestStubCodec,
  ResponseStubCodec,
} from './ndr-stub.js';
export {
  DEFAULT_CALL_ID,
  VLMCS_BTFN_FEATURES,
  buildNdr32Bind,
  buildVlmcsBind,
  buildNdr32AlterContext,
  ndr32BindContexts,
  vlmcsBindContexts,
} from './kms-bind.js';
export type { Ndr32BindOptions } from './kms-bind.js';
export { chooseContext } from './context-decision.js';
export type { ContextDecision } from './context-decision.js';
export { RpcFramer, DEFAULT_MAX_PDU_SIZE } from './framer.js';
export type { RpcFramerOptions } from './framer.js';
export { answerBindContexts, routeRequest } from './server.js';
export type { BindAnswer, BindAnswerOptions, RequestRoute } from './server.js';
