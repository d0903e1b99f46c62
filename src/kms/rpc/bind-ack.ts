/**
 * Bind-Ack (PTYPE 12) and Alter-Context-Response (PTYPE 15): fragment sizes, the association
 * group, the secondary address (the server's port as ASCII + NUL), padding to a multiple of 4
 * counted from the start of the PDU, and one result per offered context, in offered order
 * (docs/protocol.md §2.3). The pad bytes are garbage on the wire (vlmcsd, and per its comments
 * Windows, do not zero them): the decoder skips them unread and the encoder writes zeros.
 */
import { NIL_GUID } from '../guid.js';
import { HEADER_LENGTH, PTYPE } from './constants.js';
import type { SyntaxId } from './constants.js';
import { ASSOCIATION_FIELDS, definePdu } from './pdu-codec.js';
import type { AssociationFields, PduBase, PduCodec } from './pdu-codec.js';
import { LIST_HEAD_LENGTH, readCountedList, writeCountedList } from './counted-list.js';
import { SYNTAX_ID_LENGTH, readSyntaxId, writeSyntaxId } from './syntax.js';

export interface ContextResult {
  /** CONTEXT_RESULT: 0 acceptance, 1 user rejection, 2 provider rejection, 3 negotiate_ack. */
  result: number;
  /** PROVIDER_REASON for a rejection; for negotiate_ack (BTFN) the server's feature bitmask. */
  reason: number;
  /** The accepted transfer syntax; the nil UUID with version 0 when not accepted. */
  transferSyntax: SyntaxId;
}

export interface BindAckPdu extends PduBase, AssociationFields {
  /**
   * The port_spec without its NUL ('1688'); '' when the length field is 0 (vlmcsd's
   * alter-context response). Encoded as the string plus NUL, or as length 0 when empty.
   */
  secAddr: string;
  results: ContextResult[];
}

export type BindAckPduInit = Pick<BindAckPdu, 'callId' | 'results'> & Partial<BindAckPdu>;

export type BindAckCodec = PduCodec<BindAckPdu, BindAckPduInit>;

const RESULT_LENGTH = 4 + SYNTAX_ID_LENGTH;
const RESULT_LIST = { count: 'n_results', list: 'p_result_list' };

/** A rejected or BTFN result carries the nil syntax. */
export const NIL_SYNTAX: SyntaxId = { uuid: NIL_GUID, version: 0 };

function secAddrBytes(secAddr: string): Buffer {
  if (secAddr === '') return Buffer.alloc(0);
  // Any single-byte text without NUL, so whatever the decoder returned encodes again.
  for (let i = 0; i < secAddr.length; i++) {
    const c = secAddr.charCodeAt(i);
    if (c === 0 || c > 0xff) throw new TypeError('sec_addr must be Latin-1 text without NUL');
  }
  return Buffer.from(`${secAddr}\0`, 'latin1');
}

/** Where the tail starts (relative to the PDU start): the sec_addr length field. */
const SEC_ADDR_AT = HEADER_LENGTH + 8;

/** Offset (relative to the PDU start) of n_results: sec_addr, then pad to 4 from PDU start. */
function resultListOffset(secAddrLength: number): number {
  const afterSecAddr = SEC_ADDR_AT + 2 + secAddrLength;
  return (afterSecAddr + 3) & ~3;
}

function makeBindAckCodec(ptype: number): BindAckCodec {
  return definePdu({
    ptype,
    fields: ASSOCIATION_FIELDS,
    tailLength: (value) =>
      resultListOffset(secAddrBytes(value.secAddr ?? '').length) -
      SEC_ADDR_AT +
      LIST_HEAD_LENGTH +
      RESULT_LENGTH * value.results.length,

    encodeTail(value, out, p, start) {
      const addr = secAddrBytes(value.secAddr ?? '');
      p = out.writeUInt16LE(addr.length, p);
      p += addr.copy(out, p);
      const listAt = start + resultListOffset(addr.length);
      out.fill(0, p, listAt);
      writeCountedList(out, listAt, value.results, (res, o, q) => {
        q = o.writeUInt16LE(res.result, q);
        q = o.writeUInt16LE(res.reason, q);
        return writeSyntaxId(res.transferSyntax, o, q);
      });
    },

    decodeTail(r, _h, start) {
      const addrLength = r.u16('sec_addr.length');
      r.need(addrLength, 'sec_addr.port_spec');
      const raw = r.buf.subarray(r.pos, r.pos + addrLength);
      const nul = raw.indexOf(0);
      const secAddr = Buffer.from(nul === -1 ? raw : raw.subarray(0, nul)).toString('latin1');
      r.skip(addrLength, 'sec_addr.port_spec');
      r.alignFrom(start, 4, 'sec_addr padding');
      const results = readCountedList(r, RESULT_LIST, RESULT_LENGTH, (): ContextResult => {
        const result = r.u16('result');
        const reason = r.u16('reason');
        return { result, reason, transferSyntax: readSyntaxId(r, 'transfer_syntax') };
      });
      return { secAddr, results };
    },
  });
}

export const bindAck: BindAckCodec = makeBindAckCodec(PTYPE.bindAck);
export const alterContextResp: BindAckCodec = makeBindAckCodec(PTYPE.alterContextResp);

/**
 * Byte ranges (relative to the PDU start) of the sec_addr padding of a bind_ack or
 * alter_context_resp: the only bytes a re-encode does not reproduce.
 */
export function bindAckPadRange(secAddrLengthField: number): { start: number; end: number } {
  const start = SEC_ADDR_AT + 2 + secAddrLengthField;
  return { start, end: resultListOffset(secAddrLengthField) };
}
