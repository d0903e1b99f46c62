/**
 * Decodes whichever PDU a buffer holds, dispatching on the packet type: what a client needs
 * after a request (a response or a fault) and what the lab host needs from a client (a bind,
 * an alter-context or a request). Packet types KMS never uses are 'unexpected'.
 */
import { KmsDecodeError } from '../errors.js';
import { header } from './header.js';
import type { RpcHeader } from './header.js';
import { alterContext, bind } from './bind.js';
import type { BindPdu } from './bind.js';
import { alterContextResp, bindAck } from './bind-ack.js';
import type { BindAckPdu } from './bind-ack.js';
import { bindNak } from './bind-nak.js';
import type { BindNakPdu } from './bind-nak.js';
import { request } from './request.js';
import type { RequestPdu } from './request.js';
import { response } from './response.js';
import type { ResponsePdu } from './response.js';
import { fault } from './fault.js';
import type { FaultPdu } from './fault.js';
import { PTYPE, ptypeName } from './constants.js';

export type AnyPdu =
  | ({ type: 'bind' } & BindPdu)
  | ({ type: 'alter_context' } & BindPdu)
  | ({ type: 'bind_ack' } & BindAckPdu)
  | ({ type: 'alter_context_resp' } & BindAckPdu)
  | ({ type: 'bind_nak' } & BindNakPdu)
  | ({ type: 'request' } & RequestPdu)
  | ({ type: 'response' } & ResponsePdu)
  | ({ type: 'fault' } & FaultPdu);

export interface DecodedPdu {
  header: RpcHeader;
  pdu: AnyPdu;
}

export function decodePdu(buf: Uint8Array, offset = 0): DecodedPdu {
  const h = header.decode(buf, offset);
  const pdu = decodeBody(h.ptype, buf, offset);
  return { header: h, pdu };
}

function decodeBody(ptype: number, buf: Uint8Array, offset: number): AnyPdu {
  switch (ptype) {
    case PTYPE.bind:
      return { type: 'bind', ...bind.decode(buf, offset) };
    case PTYPE.alterContext:
      return { type: 'alter_context', ...alterContext.decode(buf, offset) };
    case PTYPE.bindAck:
      return { type: 'bind_ack', ...bindAck.decode(buf, offset) };
    case PTYPE.alterContextResp:
      return { type: 'alter_context_resp', ...alterContextResp.decode(buf, offset) };
    case PTYPE.bindNak:
      return { type: 'bind_nak', ...bindNak.decode(buf, offset) };
    case PTYPE.request:
      return { type: 'request', ...request.decode(buf, offset) };
    case PTYPE.response:
      return { type: 'response', ...response.decode(buf, offset) };
    case PTYPE.fault:
      return { type: 'fault', ...fault.decode(buf, offset) };
    default:
      throw new KmsDecodeError('unexpected', `packet type ${ptypeName(ptype)} is not used by KMS`);
  }
}

/** Encodes any PDU the decoder produces; `encodePdu(decodePdu(b).pdu)` re-creates `b`. */
export function encodePdu(pdu: AnyPdu): Buffer {
  switch (pdu.type) {
    case 'bind':
      return bind.encode(pdu);
    case 'alter_context':
      return alterContext.encode(pdu);
    case 'bind_ack':
      return bindAck.encode(pdu);
    case 'alter_context_resp':
      return alterContextResp.encode(pdu);
    case 'bind_nak':
      return bindNak.encode(pdu);
    case 'request':
      return request.encode(pdu);
    case 'response':
      return response.encode(pdu);
    case 'fault':
      return fault.encode(pdu);
  }
}
