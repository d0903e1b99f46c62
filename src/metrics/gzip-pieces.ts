/**
 * A body kept as a list of buffers (kept-families.ts), compressed as one gzip stream
 * without joining it first. Joining meant a fresh copy of the whole text per state: ~35 MiB
 * at 10,000 hosts, about 20 ms of copying on the event loop, and enough new external memory
 * that V8 started a full collection during the scrape (a gzip scrape after a round took
 * ~140 ms in process, of which the compression ~35 ms; docs/performance.md).
 *
 * The pieces are handed to zlib as they are; runs of small ones (a patched family's slices)
 * are copied together first, since zlib takes each write to its thread pool on its own.
 * The caller keeps the pieces unchanged until the promise settles.
 */
import { createGzip } from 'node:zlib';

/** Pieces at least this long go to zlib as they are; shorter ones are batched. */
const WRITE_ALONE = 64 << 10;
/** The size of a batch of short pieces. */
const BATCH_BYTES = 1 << 20;

export function gzipPieces(pieces: readonly Uint8Array[], level: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gzip = createGzip({ level });
    const out: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => out.push(chunk));
    gzip.on('error', reject);
    gzip.on('end', () => resolve(Buffer.concat(out)));
    let batch: Uint8Array[] = [];
    let batched = 0;
    const flush = () => {
      if (batched === 0) return;
      gzip.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch, batched));
      batch = [];
      batched = 0;
    };
    for (const piece of pieces) {
      if (piece.length === 0) continue;
      if (piece.length >= WRITE_ALONE) {
        flush();
        gzip.write(piece);
        continue;
      }
      batch.push(piece);
      batched += piece.length;
      if (batched >= BATCH_BYTES) flush();
    }
    flush();
    gzip.end();
  });
}
