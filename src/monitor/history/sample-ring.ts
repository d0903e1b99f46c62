/**
 * The KMS history of one product on one host: a ring of samples, one per exchange (a
 * sweep, or a retry between sweeps), in four columns of one buffer — 11 bytes a sample,
 * no object per sample, so 7 days of 10-minute sweeps over 1,000 hosts × 3 products stays
 * tens of MiB (README, "History"; measured by bench/history.ts). The buffer grows by
 * doubling up to the capacity, so a monitor that has just started holds only what it has
 * seen.
 */

/** Stored for "no count" (a failed exchange, or an answer without one). */
const NO_COUNT = 0xffff;
/**
 * Counts above this are stored as this. A genuine host reports at most 2N (50 for
 * Windows clients); only a hostile peer claims more, and the latest result keeps its value.
 */
export const MAX_STORED_COUNT = NO_COUNT - 1;
/** Bytes one sample takes: time (4), count (2), latency (4), outcome (1). */
export const BYTES_PER_SAMPLE = 11;
const FIRST_ALLOCATION = 16;

export interface Sample {
  /** When the exchange finished, ms since the epoch (stored to the second). */
  at: number;
  count: number | null;
  latencySeconds: number;
  /** See ./outcome.ts. */
  outcome: number;
}

/**
 * The samples of a ring of `slots` in one buffer, column after column, widest first:
 * times (4 bytes each), then latencies (4), counts (2), outcomes (1), read and written
 * through one DataView. At 3,000 domains × 2 hosts × 3 products there are 18,000 rings:
 * four buffers a ring took 1.6 KiB of RSS after GC at 16 samples, four typed-array views
 * of one buffer 1.1 KiB (176 B of it samples), of which ~400 B were the four view
 * objects alone (~6 MiB at that size, in a heap snapshot); one DataView is one object.
 * Little-endian on every platform: the layout is the ring's own, never shared.
 */
const TIME = 4;
const LATENCY = 4;
const COUNT = 2;

// Sample `slot` of a ring buffer with room for `slots` samples, column by column.
const secondsIn = (view: DataView, slot: number) => view.getUint32(TIME * slot, true);
const latencyIn = (view: DataView, slots: number, slot: number) =>
  view.getFloat32(TIME * slots + LATENCY * slot, true);
const countIn = (view: DataView, slots: number, slot: number) =>
  view.getUint16((TIME + LATENCY) * slots + COUNT * slot, true);
const outcomeIn = (view: DataView, slots: number, slot: number) =>
  view.getUint8((TIME + LATENCY + COUNT) * slots + slot);

function writeIn(
  view: DataView,
  slots: number,
  slot: number,
  sample: { seconds: number; latency: number; count: number; outcome: number },
): void {
  view.setUint32(TIME * slot, sample.seconds, true);
  view.setFloat32(TIME * slots + LATENCY * slot, sample.latency, true);
  view.setUint16((TIME + LATENCY) * slots + COUNT * slot, sample.count, true);
  view.setUint8((TIME + LATENCY + COUNT) * slots + slot, sample.outcome);
}

const bufferFor = (slots: number) => new DataView(new ArrayBuffer(slots * BYTES_PER_SAMPLE));

export class SampleRing {
  private view: DataView;
  /** Samples the buffer has room for (grows by doubling up to `limit`). */
  private slots: number;
  /** Index of the oldest sample. */
  private head = 0;
  private size = 0;

  constructor(private limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`capacity ${limit}`);
    this.slots = Math.min(limit, FIRST_ALLOCATION);
    this.view = bufferFor(this.slots);
  }

  get length(): number {
    return this.size;
  }

  /** The most samples the ring keeps; older ones are overwritten. */
  get capacity(): number {
    return this.limit;
  }

  /** Bytes held by the buffer (allocated, not only used). */
  get byteLength(): number {
    return this.slots * BYTES_PER_SAMPLE;
  }

  push(sample: Sample): void {
    if (this.size === this.slots && this.size < this.limit) {
      this.reallocate(Math.min(this.limit, this.slots * 2));
    }
    const slot = (this.head + this.size) % this.slots;
    // Times never go backwards in the ring (a clock stepped back by NTP would otherwise
    // break the binary search of firstAtOrAfter): such a sample is filed at the last time.
    const seconds = Math.max(
      Math.floor(sample.at / 1000),
      this.size > 0 ? secondsIn(this.view, this.slotOf(this.size - 1)) : 0,
    );
    writeIn(this.view, this.slots, slot, {
      seconds,
      latency: sample.latencySeconds,
      count:
        sample.count === null ? NO_COUNT : Math.min(MAX_STORED_COUNT, Math.max(0, sample.count)),
      outcome: sample.outcome,
    });
    if (this.size < this.slots) this.size++;
    else this.head = (this.head + 1) % this.slots;
  }

  /** A new capacity (the retention or kms_interval changed); the newest samples stay. */
  setCapacity(limit: number): void {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`capacity ${limit}`);
    if (limit === this.limit) return;
    this.limit = limit;
    if (this.slots > limit) this.reallocate(limit);
  }

  /** Sample `i`, 0 the oldest. */
  timeAt(i: number): number {
    return secondsIn(this.view, this.slotOf(i)) * 1000;
  }
  countAt(i: number): number | null {
    const c = countIn(this.view, this.slots, this.slotOf(i));
    return c === NO_COUNT ? null : c;
  }
  latencyAt(i: number): number {
    return latencyIn(this.view, this.slots, this.slotOf(i));
  }
  outcomeAt(i: number): number {
    return outcomeIn(this.view, this.slots, this.slotOf(i));
  }

  /** The index of the oldest sample at or after `ms` (= length when there is none). */
  firstAtOrAfter(ms: number): number {
    const seconds = Math.ceil(ms / 1000);
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (secondsIn(this.view, this.slotOf(mid)) < seconds) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private slotOf(i: number): number {
    return (this.head + i) % this.slots;
  }

  /** A new buffer of `slots`, holding the newest samples in order from index 0. */
  private reallocate(slots: number): void {
    const keep = Math.min(this.size, slots);
    const skip = this.size - keep;
    const view = bufferFor(slots);
    for (let i = 0; i < keep; i++) {
      const from = this.slotOf(skip + i);
      writeIn(view, slots, i, {
        seconds: secondsIn(this.view, from),
        latency: latencyIn(this.view, this.slots, from),
        count: countIn(this.view, this.slots, from),
        outcome: outcomeIn(this.view, this.slots, from),
      });
    }
    this.view = view;
    this.slots = slots;
    this.head = 0;
    this.size = keep;
  }
}
