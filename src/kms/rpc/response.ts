/**
 * Response (PTYPE 2): alloc_hint, the context echoed, cancel_count and a reserved byte, then
 * the stub holding the method's out-parameters and return value (docs/protocol.md §2.5).
 */
import { HEADER_LENGTH, PTYPE } from './constants.js';
import type { RpcHeader } from './header.js';
import { ANSWER_FIELDS, definePdu } from './pdu-codec.js';
import type { PduCodec } from './pdu-codec.js';

export interface ResponsePdu {
  callId: number;
  pfcFlags: number;
  allocHint: number;
  contextId: number;
  /** Must be 0 for KMS; left for the caller to judge. */
  cancelCount: number;
  reserved: number;
  stub: Buffer;
}

/** Defaults: FIRST|LAST, alloc_hint = stub length, context 0, cancel_count and reserved 0. */
export type ResponsePduInit = Pick<ResponsePdu, 'callId' | 'stub'> & Partial<ResponsePdu>;

export const response: PduCodec<ResponsePdu, ResponsePduInit> = definePdu({
  ptype: PTYPE.response,
  fields: [...ANSWER_FIELDS, { key: 'reserved', wire: 'reserved', bytes: 1 }] as const,
  computed: (value: ResponsePduInit) => ({ allocHint: value.stub.length }),
  tailLength: (value) => value.stub.length,
  encodeTail: (value, out, p) => value.stub.copy(out, p),
  decodeTail: (r) => ({ stub: r.bytes(r.remaining, 'stub') }),
});

/** Header and the four fixed fields: where a response's stub starts. */
const STUB_AT = HEADER_LENGTH + 8;

/**
 * The stub of the response PDU `pdu` whose header `h` is already decoded: a view when the
 * PDU is exactly one well-framed response (what a PDU reader hands over), so a client does
 * not copy the stub before its NDR decoder copies the payload out of it. Anything else goes
 * through the codec, which names what is wrong.
 */
export function responseStubOf(pdu: Buffer, h: RpcHeader): Buffer {
  if (h.ptype === PTYPE.response && h.fragLength === pdu.length && pdu.length >= STUB_AT) {
    return pdu.subarray(STUB_AT);
  }
  return response.decode(pdu).stub;
}
