/**
 * A body compressed as a list of gzip members, one per part, each member kept while its
 * part's bytes stay the same. Concatenated members are one valid gzip stream (RFC 1952
 * §2.2; Go's gzip reader, Prometheus's, reads them as one), so a body that differs from
 * the one before in a few series compresses only the parts those series are in. Compressed
 * whole, a result mid-round cost the compression of all ~35 MiB at 10,000 hosts (a third
 * of the gzip scrape after it, docs/performance.md); a part is ~256 KiB of one family
 * (kept-families.ts cuts them), so that scrape compresses ~10 parts and the families
 * written whole.
 *
 * Each part is one zlib job on libuv's thread pool, at most COMPRESSING at a time: a
 * round's end (every part new) runs on both cores while the pool keeps threads free for
 * the rest of the process (bcrypt, the file system). The caller keeps the parts' bytes
 * unchanged until the promise settles.
 */
import { gzip } from 'node:zlib';
import { mapLimit } from '../util/map-limit.js';

/** zlib jobs of one body in flight at once. */
const COMPRESSING = 2;

/**
 * Where the gzip member of a part is kept: shared by the parts of later bodies whose bytes
 * are the same (the owner makes a new slot when they change), so the member is made once.
 */
export class MemberSlot {
  member: Promise<Buffer> | null = null;
}

export interface BodyPart {
  /** The part's bytes, in order: slices of the body's buffers. */
  bytes(): readonly Uint8Array[];
  /** The member's keeping place; null for a part compressed with every body. */
  slot: MemberSlot | null;
}

function compress(pieces: readonly Uint8Array[], level: number): Promise<Buffer> | null {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  if (length === 0) return null;
  // One piece (a part inside one render chunk) goes to zlib as it is; a part across
  // several (a patched family's slices) is joined: ~256 KiB.
  const input = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, length);
  return new Promise((resolve, reject) =>
    gzip(input, { level }, (error, member) => (error ? reject(error) : resolve(member))),
  );
}

/** The members of `parts`, in order (an empty part has none). */
export async function gzipMembers(parts: readonly BodyPart[], level: number): Promise<Buffer[]> {
  const members: Array<Promise<Buffer> | null> = parts.map(({ slot }) => slot?.member ?? null);
  // Only the parts without a member (made or being made) take a turn of the COMPRESSING.
  const missing = parts.flatMap((part, index) => (members[index] ? [] : [index]));
  await mapLimit(missing, COMPRESSING, async (index) => {
    const { bytes, slot } = parts[index]!;
    const member = slot?.member ?? compress(bytes(), level);
    if (slot && member && slot.member !== member) {
      slot.member = member;
      // A failed compression is not kept: a later body tries again.
      member.catch(() => {
        if (slot.member === member) slot.member = null;
      });
    }
    members[index] = member;
    await member;
  });
  return (await Promise.all(members)).filter((member): member is Buffer => member !== null);
}
