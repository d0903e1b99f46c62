/**
 * Bench-only preload for a `kms-monitor serve` under measurement (bench/lib/serve-estate.ts):
 * on SIGUSR2 it runs two full collections and writes process.memoryUsage() as JSON to
 * $BENCH_MEMORY_FILE, so the bench can read the live heap and the RSS after GC of the real
 * product, not of a copy of it in the bench's own process. Needs --expose-gc. Plain .mjs so
 * the measured process loads no TypeScript loader of its own. With $BENCH_HEAP_SNAPSHOT
 * (a file name) it also writes a heap snapshot there, after the collections, to see what
 * holds the memory: `BENCH_HEAP_SNAPSHOT=/tmp/estate.heapsnapshot npm run bench -- round
 * --estate-domains 3000` (the last size measured overwrites it).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';

const file = process.env['BENCH_MEMORY_FILE'];
if (file && typeof globalThis.gc === 'function') {
  const gc = globalThis.gc;
  process.on('SIGUSR2', () => {
    // Two: the first frees what only weak or finalised objects kept alive.
    gc();
    gc();
    const snapshot = process.env['BENCH_HEAP_SNAPSHOT'];
    if (snapshot) writeHeapSnapshot(snapshot);
    // Written whole, then renamed: the bench never reads half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify(process.memoryUsage()));
    renameSync(`${file}.tmp`, file);
  });
}
