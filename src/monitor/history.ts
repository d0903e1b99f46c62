/**
 * A bounded log of recent probe outcomes for the status page and API. Failures are what
 * an admin comes looking for, so they are kept longer: two rings, one per outcome.
 */
export interface HistoryEntry {
  timestamp: string;
  /** `dns` for discovery, else the probe kind's name (src/monitor/kinds/index.ts). */
  kind: string;
  /** `host:port`, or the domain for DNS entries. */
  target: string;
  /** Product slug for KMS entries, resolver for DNS entries. */
  detail: string | null;
  success: boolean;
  reason: string | null;
  message: string | null;
  durationSeconds: number;
}

class Ring<T> {
  private readonly items: T[] = [];
  private next = 0;
  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): T[] {
    return this.items.length < this.capacity
      ? [...this.items]
      : [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }
}

export class ProbeHistory {
  private readonly successes: Ring<HistoryEntry>;
  private readonly failures: Ring<HistoryEntry>;

  constructor({ successes = 200, failures = 1000 } = {}) {
    this.successes = new Ring(successes);
    this.failures = new Ring(failures);
  }

  record(entry: HistoryEntry): void {
    (entry.success ? this.successes : this.failures).push(entry);
  }

  /** Newest first, both outcomes interleaved by time, optionally for one target. */
  recent(limit = 100, target?: string): HistoryEntry[] {
    const all = [...this.successes.toArray(), ...this.failures.toArray()];
    const filtered = target === undefined ? all : all.filter((e) => e.target === target);
    return filtered.sort((a, b) => (a.timestamp < b.timestamp ? 1 : -1)).slice(0, limit);
  }
}
