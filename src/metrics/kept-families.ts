/**
 * The state's families written as one immutable buffer per family, each family listed
 * series by series (MetricFamily.perSeries) keeping its bytes and where each series'
 * samples start: the next render copies the bytes of every series whose subject and
 * version are the same and writes only the others. A result mid-round changes one host's
 * series, so the render after it writes that host's lines and copies the rest of its
 * families (or hands over a family's buffer as it is when none of its series changed),
 * instead of writing all ~35 MiB again at 10,000 hosts. The other families (counts,
 * verdicts, findings, timestamps: small) are written whole every time.
 *
 * A body is the list of these buffers. They are never written again once made, so a body
 * being sent shares them with later bodies and needs no guarding; the pool's chunks are
 * only scratch space, given back as soon as a family's bytes are copied out of them.
 */
import { ByteSink, type ChunkPool } from './byte-sink.js';
import { FamilyLines, familyHead } from './exposition.js';
import type { MetricFamily, PerSeries } from './family.js';

interface KeptFamily {
  /** The series of the render that made `bytes`, with their subjects and versions. */
  series: readonly unknown[];
  subjects: object[];
  versions: number[];
  /** Where each series' samples start in `bytes`; one more at the end. */
  offsets: number[];
  bytes: Buffer;
}

/**
 * More changed series than this share of a family's are written whole: copying between
 * many small changes costs more than writing.
 */
const PATCH_SHARE = 0.25;

export class KeptFamilies<Input> {
  private readonly kept = new Map<MetricFamily<Input>, KeptFamily>();
  private readonly heads = new Map<MetricFamily<Input>, Buffer>();

  /** The text of `families` for `input`, as buffers to send in order. */
  write(families: readonly MetricFamily<Input>[], input: Input, pool: ChunkPool): Buffer[] {
    const out: Buffer[] = [];
    /** Families written whole, in a run, into scratch chunks. */
    let sink: ByteSink | null = null;
    const flush = () => {
      if (sink !== null) out.push(copyOut(sink, pool));
      sink = null;
    };
    const seen = new Set<MetricFamily<Input>>();
    // Families walking the same list (eight walk the results) compare it once.
    const compared = new Map<readonly unknown[], Compared>();
    families.forEach((family, index) => {
      const { perSeries } = family;
      if (perSeries === undefined) {
        sink ??= new ByteSink(pool);
        const head = familyHead(family, index === 0);
        sink.reserve(3 * head.length);
        sink.text(head);
        family.samples(input, new FamilyLines(sink, family.name));
        return;
      }
      flush();
      seen.add(family);
      out.push(this.head(family, index === 0));
      const bytes = this.samples(family, perSeries, input, pool, compared);
      if (bytes.length > 0) out.push(bytes);
    });
    flush();
    // Families no longer written (a list of families that changed) are forgotten.
    for (const family of this.kept.keys()) if (!seen.has(family)) this.kept.delete(family);
    return out;
  }

  private head(family: MetricFamily<Input>, first: boolean): Buffer {
    if (first) return Buffer.from(familyHead(family, true));
    let head = this.heads.get(family);
    if (head === undefined) this.heads.set(family, (head = Buffer.from(familyHead(family, false))));
    return head;
  }

  /** The sample lines of a per-series family: kept, patched or written whole. */
  private samples(
    family: MetricFamily<Input>,
    perSeries: PerSeries<Input, unknown>,
    input: Input,
    pool: ChunkPool,
    compared: Map<readonly unknown[], Compared>,
  ): Buffer {
    const list = perSeries.list(input);
    const previous = this.kept.get(family);
    let changed: number[] | null = null;
    if (previous !== undefined) {
      const before = compared.get(list);
      if (
        before !== undefined &&
        before.previous === previous.series &&
        before.perSeries.subject === perSeries.subject &&
        before.perSeries.version === perSeries.version
      )
        changed = before.changed;
      else {
        changed = changedSeries(previous, list, perSeries);
        compared.set(list, { previous: previous.series, perSeries, changed });
      }
    }
    let kept: KeptFamily;
    if (changed === null || changed.length > PATCH_SHARE * list.length) {
      kept = writeWhole(family, perSeries, input, list, pool);
    } else if (changed.length === 0) {
      return previous!.bytes;
    } else {
      kept = patch(family, perSeries, input, previous!, changed, pool);
    }
    this.kept.set(family, kept);
    return kept.bytes;
  }
}

/** A list compared with the one of the previous render, by one subject and version. */
interface Compared {
  previous: readonly unknown[];
  perSeries: PerSeries<never, unknown>;
  changed: number[] | null;
}

/** The indexes of the series whose samples may differ; null when the list itself did. */
function changedSeries(
  previous: KeptFamily,
  list: readonly unknown[],
  perSeries: PerSeries<unknown, unknown>,
): number[] | null {
  if (previous.series.length !== list.length) return null;
  const changed: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const series = list[i];
    if (series !== previous.series[i]) return null;
    if (
      perSeries.subject(series) !== previous.subjects[i] ||
      perSeries.version(series) !== previous.versions[i]
    )
      changed.push(i);
  }
  return changed;
}

function writeWhole<Input>(
  family: MetricFamily<Input>,
  perSeries: PerSeries<Input, unknown>,
  input: Input,
  list: readonly unknown[],
  pool: ChunkPool,
): KeptFamily {
  const sink = new ByteSink(pool);
  const lines = new FamilyLines(sink, family.name);
  const subjects: object[] = new Array(list.length);
  const versions: number[] = new Array(list.length);
  const offsets: number[] = new Array(list.length + 1);
  for (let i = 0; i < list.length; i++) {
    const series = list[i];
    subjects[i] = perSeries.subject(series);
    versions[i] = perSeries.version(series);
    offsets[i] = sink.written;
    perSeries.write(input, series, lines);
  }
  offsets[list.length] = sink.written;
  return { series: list, subjects, versions, offsets, bytes: copyOut(sink, pool) };
}

/** `previous` with the series at `changed` (ascending) written again. */
function patch<Input>(
  family: MetricFamily<Input>,
  perSeries: PerSeries<Input, unknown>,
  input: Input,
  previous: KeptFamily,
  changed: readonly number[],
  pool: ChunkPool,
): KeptFamily {
  const list = previous.series;
  const sink = new ByteSink(pool);
  const lines = new FamilyLines(sink, family.name);
  const starts: number[] = [];
  for (const i of changed) {
    starts.push(sink.written);
    perSeries.write(input, list[i], lines);
  }
  starts.push(sink.written);
  const fresh = copyOut(sink, pool);
  const subjects = previous.subjects.slice();
  const versions = previous.versions.slice();
  const offsets = previous.offsets.slice();
  const pieces: Buffer[] = [];
  const old = previous.bytes;
  let from = 0; // the next series whose old bytes are still to be copied
  let shift = 0; // how far the series from `from` on moved
  changed.forEach((i, k) => {
    pieces.push(old.subarray(previous.offsets[from]!, previous.offsets[i]!));
    for (let j = from; j < i; j++) offsets[j] = previous.offsets[j]! + shift;
    offsets[i] = previous.offsets[i]! + shift;
    pieces.push(fresh.subarray(starts[k]!, starts[k + 1]!));
    shift += starts[k + 1]! - starts[k]! - (previous.offsets[i + 1]! - previous.offsets[i]!);
    subjects[i] = perSeries.subject(list[i]);
    versions[i] = perSeries.version(list[i]);
    from = i + 1;
  });
  pieces.push(old.subarray(previous.offsets[from]!));
  for (let j = from; j <= list.length; j++) offsets[j] = previous.offsets[j]! + shift;
  return { series: list, subjects, versions, offsets, bytes: Buffer.concat(pieces) };
}

/** What `sink` holds as one buffer of its own; the sink's chunks go back to the pool. */
function copyOut(sink: ByteSink, pool: ChunkPool): Buffer {
  const chunks = sink.finish();
  const bytes = Buffer.concat(chunks);
  pool.give(chunks);
  return bytes;
}
