/**
 * The counted lists of bind and bind_ack (p_cont_list_t and p_result_list_t, C706 12.6.3.1):
 * a u8 count, three reserved bytes, then the items. The decoder checks that `count` items of
 * their smallest size fit in the PDU before it builds anything, so a hostile count costs no
 * allocation.
 */
import type { ByteReader } from './reader.js';

/** The count and the three reserved bytes. */
export const LIST_HEAD_LENGTH = 4;

/** Writes the head and the items from `p`; returns the offset after the list. */
export function writeCountedList<T>(
  out: Buffer,
  p: number,
  items: readonly T[],
  writeItem: (item: T, out: Buffer, p: number) => number,
): number {
  p = out.writeUInt8(items.length, p);
  p = out.writeUInt8(0, p);
  p = out.writeUInt16LE(0, p);
  for (const item of items) p = writeItem(item, out, p);
  return p;
}

export interface ListNames {
  /** The count field's name in errors ('n_results'). */
  count: string;
  /** The list's name in errors ('p_result_list'). */
  list: string;
}

export function readCountedList<T>(
  r: ByteReader,
  names: ListNames,
  itemMinLength: number,
  readItem: (r: ByteReader) => T,
): T[] {
  const count = r.u8(names.count);
  r.skip(3, 'reserved');
  r.need(count * itemMinLength, names.list);
  const items: T[] = [];
  for (let i = 0; i < count; i++) items.push(readItem(r));
  return items;
}
