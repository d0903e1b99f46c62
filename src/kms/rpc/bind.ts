/**
 * Bind (PTYPE 11) and Alter-Context (PTYPE 14): the same body — fragment sizes, association
 * group and a list of presentation contexts, each one abstract syntax (the interface) with
 * the transfer syntaxes offered for it (docs/protocol.md §2.2).
 */
import { PTYPE } from './constants.js';
import type { SyntaxId } from './constants.js';
import { ASSOCIATION_FIELDS, definePdu } from './pdu-codec.js';
import type { AssociationFields, PduBase, PduCodec } from './pdu-codec.js';
import { LIST_HEAD_LENGTH, readCountedList, writeCountedList } from './counted-list.js';
import { SYNTAX_ID_LENGTH, readSyntaxId, writeSyntaxId } from './syntax.js';

export interface PresentationContext {
  contextId: number;
  abstractSyntax: SyntaxId;
  transferSyntaxes: SyntaxId[];
}

/** Header fields, fragment sizes and association group (0 asks for a new one), contexts. */
export interface BindPdu extends PduBase, AssociationFields {
  contexts: PresentationContext[];
}

/** Encoder input: flags default to FIRST|LAST, fragment sizes to 5840, assoc group to 0. */
export type BindPduInit = Pick<BindPdu, 'callId' | 'contexts'> & Partial<BindPdu>;

export type BindCodec = PduCodec<BindPdu, BindPduInit>;

const CONTEXT_FIXED = 4 + SYNTAX_ID_LENGTH; // p_cont_id, n_transfer_syn, reserved, abstract syntax
const CONTEXT_LIST = { count: 'n_context_elem', list: 'context list' };

function contextLength(c: PresentationContext): number {
  return CONTEXT_FIXED + SYNTAX_ID_LENGTH * c.transferSyntaxes.length;
}

function makeBindCodec(ptype: number): BindCodec {
  return definePdu({
    ptype,
    fields: ASSOCIATION_FIELDS,
    tailLength: (value) =>
      LIST_HEAD_LENGTH + value.contexts.reduce((n, c) => n + contextLength(c), 0),

    encodeTail(value, out, p) {
      writeCountedList(out, p, value.contexts, (c, o, q) => {
        q = o.writeUInt16LE(c.contextId, q);
        q = o.writeUInt8(c.transferSyntaxes.length, q);
        q = o.writeUInt8(0, q);
        q = writeSyntaxId(c.abstractSyntax, o, q);
        for (const t of c.transferSyntaxes) q = writeSyntaxId(t, o, q);
        return q;
      });
    },

    decodeTail(r) {
      // Each element is at least 24 bytes (CONTEXT_FIXED).
      const contexts = readCountedList(r, CONTEXT_LIST, CONTEXT_FIXED, () => {
        const contextId = r.u16('p_cont_id');
        const nTransfer = r.u8('n_transfer_syn');
        r.skip(1, 'reserved');
        const abstractSyntax = readSyntaxId(r, 'abstract_syntax');
        r.need(nTransfer * SYNTAX_ID_LENGTH, 'transfer_syntaxes');
        const transferSyntaxes: SyntaxId[] = [];
        for (let t = 0; t < nTransfer; t++)
          transferSyntaxes.push(readSyntaxId(r, 'transfer_syntax'));
        return { contextId, abstractSyntax, transferSyntaxes };
      });
      return { contexts };
    },
  });
}

export const bind: BindCodec = makeBindCodec(PTYPE.bind);
export const alterContext: BindCodec = makeBindCodec(PTYPE.alterContext);
