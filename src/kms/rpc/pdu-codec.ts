/**
 * The one skeleton every connection-oriented PDU codec is built on. Each PDU KMS uses is the
 * 16-byte common header, then a run of fixed little-endian integers (described by a table of
 * fields), then a part of its own (a context list, a result list, a stub). The skeleton sizes
 * and allocates the buffer, writes the header and the fixed fields, and on decode checks the
 * frame (whole PDU present, right packet type), reads the fields through a ByteReader bounded
 * by frag_length and returns them beside the header's call id and flags. A codec supplies only
 * its field table and its own tail (docs/protocol.md §2).
 */
import { decodeFrame, encodeFrameHeader } from './header.js';
import type { RpcHeader } from './header.js';
import { ByteReader } from './reader.js';
import { defineCodec } from './codec.js';
import type { Codec } from './codec.js';
import { DEFAULT_MAX_FRAG, HEADER_LENGTH, PFC_FIRST_LAST, ptypeName } from './constants.js';

/** One fixed integer field: its key in the PDU object, its name in errors, its width. */
export interface FieldSpec<K extends string = string> {
  readonly key: K;
  /** The C706 name, as decode errors spell it ('alloc_hint'). */
  readonly wire: string;
  readonly bytes: 1 | 2 | 4;
  /** Written when the encoder is given no value (and `computed` has none); 0 without it. */
  readonly fallback?: number;
}

/** The decoded values of a field table: `{ allocHint: number; contextId: number }`. */
export type FieldValues<L extends readonly FieldSpec[]> = {
  [F in L[number] as F['key']]: number;
};

/** What every PDU carries from its header. */
export interface PduBase {
  callId: number;
  pfcFlags: number;
}

/** What every encoder needs: the call id; flags default per packet type. */
export interface PduInitBase {
  callId: number;
  pfcFlags?: number | undefined;
}

export interface PduCodec<Pdu, Init> extends Codec<Pdu, Init> {
  readonly ptype: number;
}

/** How one packet type differs from the skeleton. */
export interface PduLayout<L extends readonly FieldSpec[], Init extends PduInitBase, Tail> {
  readonly ptype: number;
  /** The fixed fields right after the header, in wire order. */
  readonly fields: L;
  /** Fallbacks that depend on the PDU, e.g. alloc_hint = stub length; `length` is the PDU's. */
  computed?(value: Init, length: number): Partial<FieldValues<L>>;
  /** pfc_flags to send; without it `value.pfcFlags`, else FIRST|LAST (one fragment). */
  flags?(value: Init): number;
  /** Bytes after the fixed fields. */
  tailLength(value: Init): number;
  /** Writes the tail from `p`; `start` is the PDU's first byte (alignment counts from it). */
  encodeTail(value: Init, out: Buffer, p: number, start: number): void;
  /** Reads the tail: `r` stands after the fixed fields and ends at frag_length. */
  decodeTail(r: ByteReader, h: RpcHeader, start: number): Tail;
}

function fieldsLength(fields: readonly FieldSpec[]): number {
  return fields.reduce((n, f) => n + f.bytes, 0);
}

function writeField(out: Buffer, bytes: FieldSpec['bytes'], value: number, p: number): number {
  if (bytes === 4) return out.writeUInt32LE(value, p);
  if (bytes === 2) return out.writeUInt16LE(value, p);
  return out.writeUInt8(value, p);
}

function readField(r: ByteReader, f: FieldSpec): number {
  if (f.bytes === 4) return r.u32(f.wire);
  if (f.bytes === 2) return r.u16(f.wire);
  return r.u8(f.wire);
}

/** A codec for one packet type; its name in errors is the packet type's ('bind_ack'). */
export function definePdu<L extends readonly FieldSpec[], Init extends PduInitBase, Tail>(
  layout: PduLayout<L, Init, Tail>,
): PduCodec<PduBase & FieldValues<L> & Tail, Init> {
  const { ptype, fields } = layout;
  const what = ptypeName(ptype);
  const ptypes = [ptype];
  const fixed = HEADER_LENGTH + fieldsLength(fields);
  return {
    ptype,
    ...defineCodec<PduBase & FieldValues<L> & Tail, Init>({
      encodingLength: (value) => fixed + layout.tailLength(value),

      write(value, out, offset, length) {
        const pfcFlags = layout.flags?.(value) ?? value.pfcFlags ?? PFC_FIRST_LAST;
        let p = encodeFrameHeader(out, offset, ptype, length, { callId: value.callId, pfcFlags });
        const given = value as unknown as Partial<Record<string, number>>;
        const computed = layout.computed?.(value, length) as
          Partial<Record<string, number>> | undefined;
        for (const f of fields) {
          const v = given[f.key] ?? computed?.[f.key] ?? f.fallback ?? 0;
          p = writeField(out, f.bytes, v, p);
        }
        layout.encodeTail(value, out, p, offset);
      },

      read(buf, offset) {
        const { header: h, end } = decodeFrame(buf, offset, ptypes, what);
        const r = new ByteReader(buf, offset + HEADER_LENGTH, end, what);
        const pdu: Record<string, unknown> = { callId: h.callId, pfcFlags: h.pfcFlags };
        for (const f of fields) pdu[f.key] = readField(r, f);
        return Object.assign(pdu, layout.decodeTail(r, h, offset)) as PduBase &
          FieldValues<L> &
          Tail;
      },
    }),
  };
}

/** alloc_hint and p_cont_id: how request, response and fault bodies begin (C706 12.6.4). */
export const CALL_FIELDS = [
  { key: 'allocHint', wire: 'alloc_hint', bytes: 4 },
  { key: 'contextId', wire: 'p_cont_id', bytes: 2 },
] as const;

/** The call fields and cancel_count: how response and fault bodies begin (C706 12.6.4.9/10). */
export const ANSWER_FIELDS = [
  ...CALL_FIELDS,
  { key: 'cancelCount', wire: 'cancel_count', bytes: 1 },
] as const;

/**
 * Fragment sizes and association group: how bind and bind_ack bodies begin. Every Microsoft
 * client and vlmcs offer 5840-byte fragments; assoc_group_id 0 asks for a new association.
 */
export const ASSOCIATION_FIELDS = [
  { key: 'maxXmitFrag', wire: 'max_xmit_frag', bytes: 2, fallback: DEFAULT_MAX_FRAG },
  { key: 'maxRecvFrag', wire: 'max_recv_frag', bytes: 2, fallback: DEFAULT_MAX_FRAG },
  { key: 'assocGroupId', wire: 'assoc_group_id', bytes: 4 },
] as const;

/** maxXmitFrag, maxRecvFrag and assocGroupId of a bind or bind_ack. */
export type AssociationFields = FieldValues<typeof ASSOCIATION_FIELDS>;
