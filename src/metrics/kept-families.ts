/**
 * The state's families written series by series where a family is listed so
 * (MetricFamily.perSeries), each keeping its bytes and where each series' samples start:
 * the next render copies nothing for a series whose subject and version are the same, it
 * slices the previous bytes around the series written again. A result mid-round changes
 * one host's series, so the render after it writes that host's lines and hands over the
 * rest as slices (or a family's pieces as they are when none of its series changed),
 * instead of writing all ~35 MiB again at 10,000 hosts. The evaluation's lists (verdicts,
 * readiness, coverage) are new arrays holding the objects of the parts it kept, so their
 * families are patched too. The other families (counts, domain status, findings,
 * timestamps: ~2.5 % of the text) are written whole every time.
 *
 * A body is the list of these pieces. Pieces are never written again while read: each of
 * a render's pool chunks goes back to the pool only when neither a kept family nor a body
 * being sent holds it (ChunkHold), so a whole round reuses the chunks of the one before
 * it, as a render did before families were kept. Held per chunk, a render that writes
 * every family again takes back the previous render's chunks as it passes them, rather
 * than needing a second body's worth of chunks beside the first.
 */
import { ByteSink, type ChunkPool } from './byte-sink.js';
import { FamilyLines, familyHead } from './exposition.js';
import type { MetricFamily, PerSeries } from './family.js';
import { MemberSlot, type BodyPart } from './gzip-members.js';

interface KeptFamily {
  /** The series of the render that made `bytes`, with their subjects and versions. */
  series: readonly unknown[];
  subjects: object[];
  versions: number[];
  /** Where each series' samples start in the bytes of `pieces`; one more at the end. */
  offsets: number[];
  /**
   * The family's sample bytes, in order: a patch makes a list of slices of the previous
   * pieces and the series written again rather than one new buffer, as ~27 MiB of new
   * buffers per result made V8 collect the whole heap for the external memory.
   */
  pieces: Buffer[];
  /** Where each piece starts; one more at the end. */
  starts: number[];
  /** The pool chunks the pieces slice, if any (none once joined into a buffer of their own). */
  holds: readonly ChunkHold[];
  /**
   * The series where each of the family's gzip parts starts, and one more at the end: cut
   * by size when the family is written whole (PART_BYTES), kept by its patches.
   */
  cuts: readonly number[];
  /** Each part's gzip member slot: a patch gives new ones to the parts of its changed series. */
  slots: readonly MemberSlot[];
}

/**
 * One pool chunk of a render: the pieces of the families written whole into it, and those
 * of later patches, slice it, so it goes back to the pool only once neither a kept family
 * nor any body being sent reads it (a fresh 35 MiB per round made V8 collect the whole heap).
 */
class ChunkHold {
  private users = 0;

  constructor(
    readonly chunk: Buffer,
    private readonly pool: ChunkPool,
  ) {}

  hold(): void {
    this.users++;
  }

  release(): void {
    if (--this.users === 0) this.pool.give([this.chunk]);
  }
}

/** A body: its buffers, and the way to say they are no longer read (its chunks reusable). */
export interface KeptBody {
  text: Buffer[];
  /**
   * The same bytes as parts to compress (gzip-members.ts): each per-series family's parts
   * with their slots, shared with earlier bodies where no series of the part changed.
   */
  parts: BodyPart[];
  /** Called once, when nothing reads `text` any more. */
  release(): void;
}

/** A byte range of a render's chunks. */
interface Range {
  from: number;
  to: number;
}

/** A per-series family's head (HELP and TYPE), with the slot of its gzip member. */
interface Head {
  bytes: Buffer;
  slot: MemberSlot;
  /** The body's first family's head has no blank line before it. */
  first: boolean;
}

const EMPTY: KeptFamily = {
  series: [],
  subjects: [],
  versions: [],
  offsets: [0],
  pieces: [],
  starts: [0],
  holds: [],
  cuts: [0],
  slots: [],
};

/**
 * The size a family written whole is cut at into gzip parts. Compressed apart, 256 KiB
 * parts of exposition text come out ~2 % larger than the text compressed whole (level 1;
 * 128 KiB ones ~4 %), and each part is a zlib job of its own (~0.1 ms of CPU besides the
 * compression: a round's end at 10,000 hosts makes ~140); larger ones cost more to
 * compress again per change (one part per family a result is in).
 */
const PART_BYTES = 256 << 10;

/** The chunk size of the bytes a patch writes again (a few series). */
const PATCH_CHUNK_BYTES = 64 << 10;

/** More pieces than this are joined into one buffer (every ~this/2 patches of a family). */
const MAX_PIECES = 64;

/**
 * More changed series than this share of a family's are written whole: copying between
 * many small changes costs more than writing.
 */
const PATCH_SHARE = 0.25;

export class KeptFamilies<Input> {
  private readonly kept = new Map<MetricFamily<Input>, KeptFamily>();
  private readonly heads = new Map<MetricFamily<Input>, Head>();

  /** The text of `families` for `input`, as buffers to send in order. */
  write(families: readonly MetricFamily<Input>[], input: Input, pool: ChunkPool): KeptBody {
    /** This render's chunks: the families written whole, per series or not. */
    const sink = new ByteSink(pool);
    const out: Array<Head | Range | KeptFamily> = [];
    /** Families written whole into `sink`, with where. */
    const whole: Array<{ kept: KeptFamily; range: Range }> = [];
    /** The chunks of earlier renders this body slices (through kept and patched families). */
    const holds = new Set<ChunkHold>();
    const seen = new Set<MetricFamily<Input>>();
    // Families walking the same list (eight walk the results) compare it once.
    const compared = new Map<readonly unknown[], Compared>();
    families.forEach((family, index) => {
      const { perSeries } = family;
      if (perSeries === undefined) {
        const from = sink.written;
        const head = familyHead(family, index === 0);
        sink.reserve(3 * head.length);
        sink.text(head);
        family.samples(input, new FamilyLines(sink, family.name));
        out.push({ from, to: sink.written });
        return;
      }
      seen.add(family);
      out.push(this.head(family, index === 0));
      const from = sink.written;
      const kept = this.samples(family, perSeries, input, sink, compared);
      if (kept === 'written') {
        const written = this.kept.get(family)!;
        whole.push({ kept: written, range: { from, to: sink.written } });
        out.push(written);
      } else {
        for (const hold of kept.holds) holds.add(hold);
        out.push(kept);
      }
    });
    // Families no longer written (a list of families that changed) are forgotten.
    for (const [family, kept] of this.kept) {
      if (seen.has(family)) continue;
      for (const hold of kept.holds) hold.release();
      this.kept.delete(family);
    }
    // The pool keeps as many free chunks as a whole render fills: this one's and those
    // the kept families still slice.
    const chunks = sink.finish(holds.size);
    const written: KeptFamily = { ...EMPTY, pieces: chunks, starts: startsOf(chunks) };
    const fresh = chunks.map((chunk) => new ChunkHold(chunk, pool));
    for (const hold of fresh) holds.add(hold);
    for (const { kept, range } of whole) {
      kept.pieces = [];
      slices(written, range.from, range.to, kept.pieces);
      kept.starts = startsOf(kept.pieces);
      kept.holds = spanned(written, fresh, range);
      for (const hold of kept.holds) hold.hold();
    }
    const text: Buffer[] = [];
    const parts: BodyPart[] = [];
    /** Bytes written with this body, compressed with it: runs of whole-written families. */
    let run: Buffer[] = [];
    const endFresh = () => {
      if (run.length === 0) return;
      const bytes = run;
      parts.push({ bytes: () => bytes, slot: null });
      run = [];
    };
    for (const piece of out) {
      if ('pieces' in piece) {
        text.push(...piece.pieces);
        endFresh();
        partsOf(piece, parts);
      } else if ('from' in piece) {
        const at = text.length;
        slices(written, piece.from, piece.to, text);
        run.push(...text.slice(at));
      } else if (piece.bytes.length > 0) {
        text.push(piece.bytes);
        endFresh();
        parts.push({ bytes: () => [piece.bytes], slot: piece.slot });
      }
    }
    endFresh();
    for (const hold of holds) hold.hold();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      for (const hold of holds) hold.release();
    };
    return { text, parts, release };
  }

  private head(family: MetricFamily<Input>, first: boolean): Head {
    let head = this.heads.get(family);
    if (head === undefined || head.first !== first) {
      head = { bytes: Buffer.from(familyHead(family, first)), slot: new MemberSlot(), first };
      this.heads.set(family, head);
    }
    return head;
  }

  /** The sample lines of a per-series family: kept, patched or written whole. */
  private samples(
    family: MetricFamily<Input>,
    perSeries: PerSeries<Input, unknown>,
    input: Input,
    sink: ByteSink,
    compared: Map<readonly unknown[], Compared>,
  ): KeptFamily | 'written' {
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
    if (changed !== null && changed.length === 0) return previous!;
    const whole = changed === null || changed.length > PATCH_SHARE * list.length;
    const kept = whole
      ? writeWhole(family, perSeries, input, list, sink)
      : patch(family, perSeries, input, list, previous!, changed!);
    // A family written whole holds this render's chunks once they are known (write());
    // the chunks its previous bytes were in may go back to the pool now, for the rest of
    // this render to write into.
    if (kept.holds !== previous?.holds) {
      for (const hold of kept.holds) hold.hold();
      for (const hold of previous?.holds ?? []) hold.release();
    }
    this.kept.set(family, kept);
    return whole ? 'written' : kept;
  }
}

/** A list compared with the one of the previous render, by one subject and version. */
interface Compared {
  previous: readonly unknown[];
  perSeries: PerSeries<never, unknown>;
  changed: number[] | null;
}

/**
 * The indexes of the series whose samples may differ; null when the list's length did. A
 * series that is another object at the same place is one of them: lists made anew per
 * evaluation (its verdicts, its coverage) hold the same objects where nothing changed and
 * new ones where a part was computed again, and the series written again writes all its
 * labels, so only the places are shared.
 */
function changedSeries(
  previous: KeptFamily,
  list: readonly unknown[],
  perSeries: PerSeries<unknown, unknown>,
): number[] | null {
  if (previous.series.length !== list.length) return null;
  const changed: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const series = list[i];
    if (
      series !== previous.series[i] ||
      perSeries.subject(series) !== previous.subjects[i] ||
      perSeries.version(series) !== previous.versions[i]
    )
      changed.push(i);
  }
  return changed;
}

/** The series of `list` written into `sink`; the pieces are set once the render ends. */
function writeWhole<Input>(
  family: MetricFamily<Input>,
  perSeries: PerSeries<Input, unknown>,
  input: Input,
  list: readonly unknown[],
  sink: ByteSink,
): KeptFamily {
  const lines = new FamilyLines(sink, family.name);
  const subjects: object[] = new Array(list.length);
  const versions: number[] = new Array(list.length);
  const offsets: number[] = new Array(list.length + 1);
  const cuts = [0];
  const base = sink.written;
  for (let i = 0; i < list.length; i++) {
    const series = list[i];
    subjects[i] = perSeries.subject(series);
    versions[i] = perSeries.version(series);
    offsets[i] = sink.written - base;
    if (offsets[i]! - offsets[cuts[cuts.length - 1]!]! >= PART_BYTES) cuts.push(i);
    perSeries.write(input, series, lines);
  }
  offsets[list.length] = sink.written - base;
  if (list.length > 0) cuts.push(list.length);
  const slots = Array.from({ length: cuts.length - 1 }, () => new MemberSlot());
  return { ...EMPTY, series: list, subjects, versions, offsets, cuts, slots };
}

/** `previous` with the series at `changed` (ascending) written again: those of `list`. */
function patch<Input>(
  family: MetricFamily<Input>,
  perSeries: PerSeries<Input, unknown>,
  input: Input,
  list: readonly unknown[],
  previous: KeptFamily,
  changed: readonly number[],
): KeptFamily {
  // Small: fresh memory of its own, not a 4 MiB chunk of the render's.
  const sink = new ByteSink(PATCH_CHUNK_BYTES);
  const lines = new FamilyLines(sink, family.name);
  const starts: number[] = [];
  for (const i of changed) {
    starts.push(sink.written);
    perSeries.write(input, list[i], lines);
  }
  starts.push(sink.written);
  const fresh = Buffer.concat(sink.finish());
  const subjects = previous.subjects.slice();
  const versions = previous.versions.slice();
  const offsets = previous.offsets.slice();
  const { cuts } = previous;
  const slots = previous.slots.slice();
  let part = 0; // the gzip part of the changed series at hand (they come in order)
  for (const i of changed) {
    while (cuts[part + 1]! <= i) part++;
    if (slots[part] === previous.slots[part]) slots[part] = new MemberSlot();
  }
  const pieces: Buffer[] = [];
  let from = 0; // the next series whose old bytes are still to be copied
  let shift = 0; // how far the series from `from` on moved
  changed.forEach((i, k) => {
    slices(previous, previous.offsets[from]!, previous.offsets[i]!, pieces);
    for (let j = from; j < i; j++) offsets[j] = previous.offsets[j]! + shift;
    offsets[i] = previous.offsets[i]! + shift;
    pieces.push(fresh.subarray(starts[k]!, starts[k + 1]!));
    shift += starts[k + 1]! - starts[k]! - (previous.offsets[i + 1]! - previous.offsets[i]!);
    subjects[i] = perSeries.subject(list[i]);
    versions[i] = perSeries.version(list[i]);
    from = i + 1;
  });
  slices(previous, previous.offsets[from]!, previous.offsets[list.length]!, pieces);
  for (let j = from; j <= list.length; j++) offsets[j] = previous.offsets[j]! + shift;
  const join = pieces.length > MAX_PIECES;
  const joined = join ? [Buffer.concat(pieces)] : pieces.filter((p) => p.length > 0);
  return {
    series: list,
    subjects,
    versions,
    offsets,
    pieces: joined,
    starts: startsOf(joined),
    holds: join ? [] : previous.holds,
    cuts,
    slots,
  };
}

/** The gzip parts of a per-series family, onto `out`: each reads its bytes when compressed. */
function partsOf(family: KeptFamily, out: BodyPart[]): void {
  const { cuts, offsets, slots } = family;
  for (let k = 0; k + 1 < cuts.length; k++) {
    const from = offsets[cuts[k]!]!;
    const to = offsets[cuts[k + 1]!]!;
    out.push({
      slot: slots[k]!,
      bytes: () => {
        const bytes: Buffer[] = [];
        slices(family, from, to, bytes);
        return bytes;
      },
    });
  }
}

/** The bytes `from`..`to` of a family's pieces, as slices of them onto `out`. */
function slices(family: KeptFamily, from: number, to: number, out: Buffer[]): void {
  if (from >= to) return;
  const { pieces, starts } = family;
  // The last piece starting at or before `from`.
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= from) lo = mid;
    else hi = mid - 1;
  }
  for (let p = lo; p < pieces.length && starts[p]! < to; p++) {
    const start = starts[p]!;
    out.push(pieces[p]!.subarray(Math.max(from - start, 0), Math.min(to, starts[p + 1]!) - start));
  }
}

/** The holds of the chunks of `written` (one each, in order) that bytes `from`..`to` lie in. */
function spanned(written: KeptFamily, holds: readonly ChunkHold[], { from, to }: Range) {
  const out: ChunkHold[] = [];
  for (let p = 0; p < holds.length; p++) {
    if (written.starts[p]! < to && written.starts[p + 1]! > from) out.push(holds[p]!);
  }
  return out;
}

/** Where each of `pieces` starts, and one more at the end. */
function startsOf(pieces: readonly Buffer[]): number[] {
  const starts = [0];
  for (const piece of pieces) starts.push(starts[starts.length - 1]! + piece.length);
  return starts;
}
