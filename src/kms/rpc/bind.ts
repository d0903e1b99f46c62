/**
 * Bind (PTYPE 11) and Alter-Context (PTYPE 14): the same body — fragment sizes, association
 * group and a list of presentation contexts, each one abstract syntax (the interface) with
 * the transfer syntaxes offered for it (docs/protocol.md §2.2).
 */
import { decodeFrame, encodeFrameHeader } from './header.js';
import { ByteReader } from './reader.js';
import { DEFAULT_MAX_FRAG, HEADER_LENGTH, PTYPE } from './constants.js';
import type { SyntaxId } from './constants.js';
import { SYNTAX_ID_LENGTH, readSyntaxId, writeSyntaxId } from './syntax.js';

export interface PresentationContext {
  contextId: number;
  abstractSyntax: SyntaxId;
  transferSyntaxes: SyntaxId[];
}

export interface BindPdu {
  callId: number;
  pfcFlags: number;
  maxXmitFrag: number;
  maxRecvFrag: number;
  /** 0 asks for a new association. */
  assocGroupId: number;
  contexts: PresentationContext[];
}

/** Encoder input: flags default to FIRST|LAST, fragment sizes to 5840, assoc group to 0. */
export type BindPduInit = Pick<BindPdu, 'callId' | 'contexts'> & Partial<BindPdu>;

export interface BindCodec {
  readonly ptype: number;
  encodingLength(value: BindPduInit): number;
  encode(value: BindPduInit, buf?: Buffer, offset?: number): Buffer;
  decode(buf: Uint8Array, offset?: number): BindPdu;
}

const CONTEXT_FIXED = 4 + SYNTAX_ID_LENGTH; // p_cont_id, n_transfer_syn, reserved, abstract syntax

function contextLength(c: PresentationContext): number {
  return CONTEXT_FIXED + SYNTAX_ID_LENGTH * c.transferSyntaxes.length;
}

function makeBindCodec(ptype: number, what: string): BindCodec {
  const encodingLength = (value: BindPduInit): number =>
    HEADER_LENGTH + 12 + value.contexts.reduce((n, c) => n + contextLength(c), 0);

  return {
    ptype,
    encodingLength,

    encode(value, buf, offset = 0) {
      const length = encodingLength(value);
      const out = buf ?? Buffer.alloc(length + offset);
      let p = encodeFrameHeader(out, offset, ptype, length, value);
      p = out.writeUInt16LE(value.maxXmitFrag ?? DEFAULT_MAX_FRAG, p);
      p = out.writeUInt16LE(value.maxRecvFrag ?? DEFAULT_MAX_FRAG, p);
      p = out.writeUInt32LE(value.assocGroupId ?? 0, p);
      p = out.writeUInt8(value.contexts.length, p);
      p = out.writeUInt8(0, p);
      p = out.writeUInt16LE(0, p);
      for (const c of value.contexts) {
        p = out.writeUInt16LE(c.contextId, p);
        p = out.writeUInt8(c.transferSyntaxes.length, p);
        p = out.writeUInt8(0, p);
        p = writeSyntaxId(c.abstractSyntax, out, p);
        for (const t of c.transferSyntaxes) p = writeSyntaxId(t, out, p);
      }
      return out;
    },

    decode(buf, offset = 0) {
      const { header: h, end } = decodeFrame(buf, offset, [ptype], what);
      const r = new ByteReader(buf, offset + HEADER_LENGTH, end, what);
      const maxXmitFrag = r.u16('max_xmit_frag');
      const maxRecvFrag = r.u16('max_recv_frag');
      const assocGroupId = r.u32('assoc_group_id');
      const count = r.u8('n_context_elem');
      r.skip(3, 'reserved');
      // Each element is at least 24 bytes: check the count before building the list.
      r.need(count * CONTEXT_FIXED, 'context list');
      const contexts: PresentationContext[] = [];
      for (let i = 0; i < count; i++) {
        const contextId = r.u16('p_cont_id');
        const nTransfer = r.u8('n_transfer_syn');
        r.skip(1, 'reserved');
        const abstractSyntax = readSyntaxId(r, 'abstract_syntax');
        r.need(nTransfer * SYNTAX_ID_LENGTH, 'transfer_syntaxes');
        const transferSyntaxes: SyntaxId[] = [];
        for (let t = 0; t < nTransfer; t++)
          transferSyntaxes.push(readSyntaxId(r, 'transfer_syntax'));
        contexts.push({ contextId, abstractSyntax, transferSyntaxes });
      }
      return {
        callId: h.callId,
        pfcFlags: h.pfcFlags,
        maxXmitFrag,
        maxRecvFrag,
        assocGroupId,
        contexts,
      };
    },
  };
}

export const bind: BindCodec = makeBindCodec(PTYPE.bind, 'bind');
export const alterContext: BindCodec = makeBindCodec(PTYPE.alterContext, 'alter_context');
