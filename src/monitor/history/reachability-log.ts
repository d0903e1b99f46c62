/**
 * Whether a host could be reached, over time: the TCP result of every round (any address
 * up = up, as HostState.tcp) kept as its transitions only — a host that stays up for a
 * week costs one entry, not 20,000 rounds. From it: "down since", and the uptime over a
 * window. Bounded: past MAX_TRANSITIONS (a host flapping every round) the oldest go, and
 * the uptime then covers the part of the window still known.
 */
export const MAX_TRANSITIONS = 1024;
const FIRST_ALLOCATION = 4;

export class ReachabilityLog {
  /** Transition times (ms) and the state entered then (1 up, 0 down), oldest first. */
  private times = new Float64Array(FIRST_ALLOCATION);
  private ups = new Uint8Array(FIRST_ALLOCATION);
  private head = 0;
  private size = 0;
  /** The latest observation (ms), or null before the first. */
  lastSeen: number | null = null;
  /** The first observation (ms): a state in force since then may be older still. */
  firstSeen: number | null = null;

  get length(): number {
    return this.size;
  }

  get byteLength(): number {
    return this.times.length * 9;
  }

  observe(at: number, up: boolean): void {
    const last = this.size > 0 ? this.at(this.size - 1) : null;
    if (last === null || (this.ups[last] === 1) !== up) {
      // A round never reports before the previous one; a clock stepped back files it there.
      this.push(Math.max(at, this.lastSeen ?? at), up);
    }
    this.lastSeen = Math.max(at, this.lastSeen ?? at);
    this.firstSeen ??= at;
  }

  /** The current state: null before the first observation. */
  get up(): boolean | null {
    return this.size === 0 ? null : this.ups[this.at(this.size - 1)] === 1;
  }

  /** When the current state began (the first round that saw it, as far as is kept). */
  get since(): number | null {
    return this.size === 0 ? null : this.times[this.at(this.size - 1)]!;
  }

  /** The oldest time the log still knows the state from. */
  get knownSince(): number | null {
    return this.size === 0 ? null : this.times[this.head]!;
  }

  /** The transitions from `from` on, plus the one in force at `from`, oldest first. */
  transitions(from: number): Array<{ at: number; up: boolean }> {
    const out: Array<{ at: number; up: boolean }> = [];
    for (let i = 0; i < this.size; i++) {
      const slot = this.at(i);
      const next = i + 1 < this.size ? this.times[this.at(i + 1)]! : Infinity;
      if (next > from) out.push({ at: this.times[slot]!, up: this.ups[slot] === 1 });
    }
    return out;
  }

  /**
   * The fraction of [from, to] the host was up, each state held until the next
   * transition (the last until `to`); time before the log knows anything is left out.
   * Null when the log knows nothing of the window.
   */
  uptime(from: number, to: number): number | null {
    let upMs = 0;
    let knownMs = 0;
    for (let i = 0; i < this.size; i++) {
      const slot = this.at(i);
      const start = Math.max(from, this.times[slot]!);
      const end = Math.min(to, i + 1 < this.size ? this.times[this.at(i + 1)]! : to);
      if (end <= start) continue;
      knownMs += end - start;
      if (this.ups[slot] === 1) upMs += end - start;
    }
    return knownMs > 0 ? upMs / knownMs : null;
  }

  /** Forgets transitions that ended before `cutoff` (the one in force then stays). */
  prune(cutoff: number): void {
    while (this.size > 1 && this.times[this.at(1)]! <= cutoff) {
      this.head = (this.head + 1) % this.times.length;
      this.size--;
    }
  }

  private at(i: number): number {
    return (this.head + i) % this.times.length;
  }

  private push(at: number, up: boolean): void {
    if (this.size === this.times.length) {
      if (this.size < MAX_TRANSITIONS) this.grow(Math.min(MAX_TRANSITIONS, this.size * 2));
      else {
        this.head = (this.head + 1) % this.times.length;
        this.size--;
      }
    }
    const slot = this.at(this.size);
    this.times[slot] = at;
    this.ups[slot] = up ? 1 : 0;
    this.size++;
  }

  private grow(length: number): void {
    const times = new Float64Array(length);
    const ups = new Uint8Array(length);
    for (let i = 0; i < this.size; i++) {
      times[i] = this.times[this.at(i)]!;
      ups[i] = this.ups[this.at(i)]!;
    }
    this.times = times;
    this.ups = ups;
    this.head = 0;
  }
}
