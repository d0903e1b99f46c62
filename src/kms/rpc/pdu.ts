/**
 * Decodes whichever PDU a buffer holds, dispatching on the packet type: what a client needs
 * after a request (a response or a fault) and what the lab host needs from a client (a bind,
 * an alter-context or a request). Packet types KMS never uses are 'unexpected'.
 */
import { KmsDecodeError } from '../errors.js';
import { header } from './header.js';
import type { RpcHeader } from './header.js';
import { alterContext, bind } from './bind.js';
import { alterContextResp, bindAck } from './bind-ack.js';
import { bindNak } from './bind-nak.js';
import { request } from './request.js';
import { response } from './response.js';
import { fault } from './fault.js';
import { ptypeName } from './constants.js';
import type { PduCodec } from './pdu-codec.js';

/** Every packet type KMS uses, keyed by its name as the vectors spell it (ptypeName). */
const CODECS = {
  bind,
  alter_context: alterContext,
  bind_ack: bindAck,
  alter_context_resp: alterContextResp,
  bind_nak: bindNak,
  request,
  response,
  fault,
} as const;

type PduType = keyof typeof CODECS;

/** A decoded PDU tagged with its packet type: `{ type: 'bind_ack', results, … }`. */
export type AnyPdu = {
  [K in PduType]: { type: K } & ReturnType<(typeof CODECS)[K]['decode']>;
}[PduType];

export interface DecodedPdu {
  header: RpcHeader;
  pdu: AnyPdu;
}

const TYPE_BY_PTYPE: ReadonlyMap<number, PduType> = new Map(
  (Object.keys(CODECS) as PduType[]).map((type) => {
    // The tag must be the name errors and vectors use: a mis-keyed entry fails at load.
    if (ptypeName(CODECS[type].ptype) !== type) throw new Error(`PDU table: ${type} mis-keyed`);
    return [CODECS[type].ptype, type];
  }),
);

export function decodePdu(buf: Uint8Array, offset = 0): DecodedPdu {
  const h = header.decode(buf, offset);
  const type = TYPE_BY_PTYPE.get(h.ptype);
  if (type === undefined) {
    throw new KmsDecodeError('unexpected', `packet type ${ptypeName(h.ptype)} is not used by KMS`);
  }
  const pdu = { type, ...CODECS[type].decode(buf, offset) } as AnyPdu;
  return { header: h, pdu };
}

/** Encodes any PDU the decoder produces; `encodePdu(decodePdu(b).pdu)` re-creates `b`. */
export function encodePdu(pdu: AnyPdu): Buffer {
  // The table pairs each type with its codec; TypeScript cannot follow that through the index.
  const codec = CODECS[pdu.type] as PduCodec<unknown, AnyPdu>;
  return codec.encode(pdu);
}
