/**
 * The KMS history of one product on one host: a ring of samples, one per exchange (a
 * sweep, or a retry between sweeps), in four typed arrays — 11 bytes a sample, no object
 * per sample, so 7 days of 10-minute sweeps over 1,000 hosts × 3 products stays tens of
 * MiB (README, "History"; measured by bench/history.ts). The arrays grow by doubling up
 * to the capacity, so a monitor that has just started holds only what it has seen.
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

interface Columns {
  times: Uint32Array;
  counts: Uint16Array;
  latencies: Float32Array;
  outcomes: Uint8Array;
}

/**
 * The four columns of `length` samples as views of one buffer: one buffer and one
 * allocation a ring instead of four. At 3,000 domains × 2 hosts × 3 products there are
 * 18,000 rings: with four buffers a ring of 16 samples took 1.6 KiB of RSS after GC,
 * with one 1.1 KiB (176 B of it samples). Widest first, so each view starts
 * aligned to its element size.
 */
function columns(length: number): Columns {
  const buffer = new ArrayBuffer(length * BYTES_PER_SAMPLE);
  return {
    times: new Uint32Array(buffer, 0, length),
    latencies: new Float32Array(buffer, 4 * length, length),
    counts: new Uint16Array(buffer, 8 * length, length),
    outcomes: new Uint8Array(buffer, 10 * length, length),
  };
}

export class SampleRing {
  /** Seconds since the epoch: Uint32 holds them until 2106. */
  private times: Uint32Array;
  private counts: Uint16Array;
  private latencies: Float32Array;
  private outcomes: Uint8Array;
  /** Index of the oldest sample. */
  private head = 0;
  private size = 0;

  constructor(private limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`capacity ${limit}`);
    ({
      times: this.times,
      counts: this.counts,
      latencies: this.latencies,
      outcomes: this.outcomes,
    } = columns(Math.min(limit, FIRST_ALLOCATION)));
  }

  get length(): number {
    return this.size;
  }

  /** The most samples the ring keeps; older ones are overwritten. */
  get capacity(): number {
    return this.limit;
  }

  /** Bytes held by the arrays (allocated, not only used). */
  get byteLength(): number {
    return this.times.length * BYTES_PER_SAMPLE;
  }

  push(sample: Sample): void {
    if (this.size === this.times.length && this.size < this.limit) {
      this.reallocate(Math.min(this.limit, this.times.length * 2));
    }
    const slot = (this.head + this.size) % this.times.length;
    // Times never go backwards in the ring (a clock stepped back by NTP would otherwise
    // break the binary search of firstAtOrAfter): such a sample is filed at the last time.
    const seconds = Math.max(
      Math.floor(sample.at / 1000),
      this.size > 0 ? this.times[this.slotOf(this.size - 1)]! : 0,
    );
    this.times[slot] = seconds;
    this.counts[slot] =
      sample.count === null ? NO_COUNT : Math.min(MAX_STORED_COUNT, Math.max(0, sample.count));
    this.latencies[slot] = sample.latencySeconds;
    this.outcomes[slot] = sample.outcome;
    if (this.size < this.times.length) this.size++;
    else this.head = (this.head + 1) % this.times.length;
  }

  /** A new capacity (the retention or kms_interval changed); the newest samples stay. */
  setCapacity(limit: number): void {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`capacity ${limit}`);
    if (limit === this.limit) return;
    this.limit = limit;
    if (this.times.length > limit) this.reallocate(limit);
  }

  /** Sample `i`, 0 the oldest. */
  timeAt(i: number): number {
    return this.times[this.slotOf(i)]! * 1000;
  }
  countAt(i: number): number | null {
    const c = this.counts[this.slotOf(i)]!;
    return c === NO_COUNT ? null : c;
  }
  latencyAt(i: number): number {
    return this.latencies[this.slotOf(i)]!;
  }
  outcomeAt(i: number): number {
    return this.outcomes[this.slotOf(i)]!;
  }

  /** The index of the oldest sample at or after `ms` (= length when there is none). */
  firstAtOrAfter(ms: number): number {
    const seconds = Math.ceil(ms / 1000);
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[this.slotOf(mid)]! < seconds) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private slotOf(i: number): number {
    return (this.head + i) % this.times.length;
  }

  /** New arrays of `length`, holding the newest samples in order from index 0. */
  private reallocate(length: number): void {
    const keep = Math.min(this.size, length);
    const skip = this.size - keep;
    const { times, counts, latencies, outcomes } = columns(length);
    for (let i = 0; i < keep; i++) {
      const from = this.slotOf(skip + i);
      times[i] = this.times[from]!;
      counts[i] = this.counts[from]!;
      latencies[i] = this.latencies[from]!;
      outcomes[i] = this.outcomes[from]!;
    }
    this.times = times;
    this.counts = counts;
    this.latencies = latencies;
    this.outcomes = outcomes;
    this.head = 0;
    this.size = keep;
  }
}
