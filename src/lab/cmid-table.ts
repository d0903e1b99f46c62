/**
 * One application's client table, counted the way a KMS host counts (docs/protocol.md §5.1):
 * - unique client machine IDs: a renewal refreshes an entry, it never adds a second one;
 * - an entry lives 30 days after the machine's latest request;
 * - the table holds twice the largest N policy seen (never shrinks), and keeps the most
 *   recent contacts when full, so the count reported can never exceed 2 × N;
 * - the count reported is the number of entries after the requester was added.
 * vlmcsd's (and per its author Microsoft's) hard limit of 671 entries caps the capacity.
 */
import { randomUUID } from 'node:crypto';

export const CMID_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** Microsoft's table limit as vlmcsd reproduces it. */
export const CMID_TABLE_HARD_LIMIT = 671;

export class CmidTable {
  /** CMID → time of its latest request (ms). Map order = insertion order = oldest first. */
  private readonly entries = new Map<string, number>();
  private largestN = 0;

  constructor(private readonly now: () => number) {}

  /** Entries the table can hold: 2 × the largest N seen, at least 1, at most 671. */
  get capacity(): number {
    return Math.min(CMID_TABLE_HARD_LIMIT, Math.max(1, 2 * this.largestN));
  }

  /** The current count: live entries. */
  count(): number {
    this.expire();
    return this.entries.size;
  }

  /** Records a request from `cmid` with policy `nPolicy`; returns the count to report. */
  touch(cmid: string, nPolicy: number): number {
    this.expire();
    this.largestN = Math.max(this.largestN, nPolicy);
    const key = cmid.toLowerCase();
    // Re-inserting moves the entry to the newest position, so eviction drops the oldest.
    this.entries.delete(key);
    this.entries.set(key, this.now());
    this.evictOverflow();
    return this.entries.size;
  }

  /**
   * Adds `n` random machines that asked just now with policy `nPolicy` (like vlmcsd's
   * prefilled list): the count starts at min(n, 2 × nPolicy) and they expire in 30 days.
   */
  prefill(n: number, nPolicy: number): void {
    this.largestN = Math.max(this.largestN, nPolicy);
    for (let i = 0; i < n && this.entries.size < this.capacity; i++) {
      this.entries.set(randomUUID(), this.now());
    }
  }

  /** Forgets every entry (the largest N seen stays, as on a real host). */
  clear(): void {
    this.entries.clear();
  }

  has(cmid: string): boolean {
    this.expire();
    return this.entries.has(cmid.toLowerCase());
  }

  private expire(): void {
    const cutoff = this.now() - CMID_LIFETIME_MS;
    for (const [cmid, seen] of this.entries) {
      if (seen <= cutoff) this.entries.delete(cmid);
    }
  }

  private evictOverflow(): void {
    const excess = this.entries.size - this.capacity;
    if (excess <= 0) return;
    let dropped = 0;
    for (const cmid of this.entries.keys()) {
      if (dropped++ >= excess) break;
      this.entries.delete(cmid);
    }
  }
}
