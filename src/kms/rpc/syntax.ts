/** p_syntax_id_t: a 16-byte mixed-endian UUID followed by a u32 version (20 bytes). */
import { guid } from '../guid.js';
import type { SyntaxId } from './constants.js';
import type { ByteReader } from './reader.js';

export const SYNTAX_ID_LENGTH = 20;

export function writeSyntaxId(s: SyntaxId, buf: Buffer, offset: number): number {
  guid.encode(s.uuid, buf, offset);
  buf.writeUInt32LE(s.version, offset + 16);
  return offset + SYNTAX_ID_LENGTH;
}

export function readSyntaxId(r: ByteReader, field: string): SyntaxId {
  const uuid = r.guid(field);
  const version = r.u32(`${field} version`);
  return { uuid, version };
}

export function sameSyntax(a: SyntaxId, b: SyntaxId): boolean {
  return a.uuid.toLowerCase() === b.uuid.toLowerCase() && a.version === b.version;
}
