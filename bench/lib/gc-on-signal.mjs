/**
 * Bench-only preload for a `kms-monitor serve` under measurement (bench/lib/serve-estate.ts):
 * on SIGUSR2 it runs two full collections and writes process.memoryUsage(), V8's heap
 * spaces (v8.getHeapSpaceStatistics) and /proc/self/smaps_rollup as JSON to
 * $BENCH_MEMORY_FILE, so the bench can read the live heap and the RSS after GC of the real
 * product, not of a copy of it in the bench's own process, and see where the resident
 * memory outside the used heap is. Needs --expose-gc. Plain .mjs so the measured process
 * loads no TypeScript loader of its own. With $BENCH_HEAP_SNAPSHOT (a file name) it also
 * writes a heap snapshot there, after the collections, to see what holds the memory:
 * `BENCH_HEAP_SNAPSHOT=/tmp/estate.heapsnapshot npm run bench -- round --estate-domains 3000`
 * (the last size measured overwrites it). With $BENCH_SMAPS_FILE it copies /proc/self/smaps
 * there too.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

/** /proc/self/smaps_rollup as { Rss: bytes, Anonymous: bytes, … } (Linux; {} elsewhere). */
function smapsRollup() {
  const out = {};
  try {
    for (const m of readFileSync('/proc/self/smaps_rollup', 'utf8').matchAll(
      /^(\w+):\s+(\d+) kB$/gm,
    ))
      out[m[1]] = Number(m[2]) * 1024;
  } catch {
    // Not Linux: the bench reports the figures it has.
  }
  return out;
}

const file = process.env['BENCH_MEMORY_FILE'];
if (file && typeof globalThis.gc === 'function') {
  const gc = globalThis.gc;
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage();
    // Two: the first frees what only weak or finalised objects kept alive.
    gc();
    gc();
    const snapshot = process.env['BENCH_HEAP_SNAPSHOT'];
    // Captured before the memory-reducing collection below changes them.
    const after = {
      ...process.memoryUsage(),
      spaces: Object.fromEntries(
        getHeapSpaceStatistics().map((s) => [
          s.space_name,
          { size: s.space_size, used: s.space_used_size, physical: s.physical_space_size },
        ]),
      ),
      smaps: smapsRollup(),
    };
    // Then, at once, the kind of collection V8's memory reducer runs on its own once a
    // process's allocation slows (between serve's rounds in a deployment; the bench's
    // rounds run back to back): compacting, and giving back the free pages V8 pools for
    // reuse. The figures above are serve right after a round; `settled` the same heap
    // settled. An estimate of an idle serve's RSS, not a measurement of one.
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    const settled = { rss: process.memoryUsage.rss(), heapTotal: process.memoryUsage().heapTotal };
    // Last: writing a snapshot leaves ~100 MiB of its own resident, which no figure must see.
    if (snapshot) writeHeapSnapshot(snapshot);
    // Written whole, then renamed: the bench never reads half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify({ ...after, cpu, settled }));
    renameSync(`${file}.tmp`, file);
    // $BENCH_SMAPS_FILE: every mapping (/proc/self/smaps), to find the large anonymous ones.
    const maps = process.env['BENCH_SMAPS_FILE'];
    if (maps) writeFileSync(maps, readFileSync('/proc/self/smaps'));
  });
}
