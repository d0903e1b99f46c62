/**
 * What the monitor remembers of each configured ADBA forest (docs/adba.md): the latest read,
 * the objects of the latest successful read (kept through failed reads: what the directory
 * held when it was last seen), and what changed between the two latest successful reads.
 * The ADBA scheduler writes it; metrics, the API, the page and check only read it.
 */
import {
  diffRounds,
  type AdbaFailureReason,
  type AdbaObject,
  type AdbaReadResult,
  type AdbaRoundDiff,
} from '../adba/index.js';
import { LabelledCounter } from './state.js';

export interface AdbaForestState {
  forest: string;
  /** The configured URL (never credentials: the schema refuses them in it). */
  url: string;
  /** The latest read; null until the first one ends. */
  last: AdbaReadResult | null;
  /** The objects of the latest successful read; null until one succeeds. */
  objects: AdbaObject[] | null;
  /** ISO time the latest read ended. */
  lastReadAt: string | null;
  /** ISO time of the latest successful read. */
  lastSuccessAt: string | null;
  /**
   * What changed between the two latest successful reads: raised until the next successful
   * read (one adba_interval), which replaces it. The first read is the baseline and
   * raises nothing.
   */
  changes: AdbaRoundDiff;
  /** Reads that ended, successful or not. */
  reads: number;
}

const NO_CHANGES: AdbaRoundDiff = Object.freeze({ appeared: [], changed: [], disappeared: [] });

export class AdbaState {
  readonly forests = new Map<string, AdbaForestState>();
  /** Failed reads by forest and reason. */
  readonly failures = new LabelledCounter();

  /** `changed` is told of every change, so the state's generation moves with it. */
  constructor(private readonly changed: () => void = () => {}) {}

  /** The forests as configured now: new ones start empty, removed ones are forgotten. */
  configure(forests: readonly { name: string; url: string }[]): void {
    const keep = new Set(forests.map((f) => f.name));
    for (const name of this.forests.keys()) if (!keep.has(name)) this.forests.delete(name);
    this.failures.retain((labels) => keep.has(labels.forest ?? ''));
    for (const { name, url } of forests) {
      const existing = this.forests.get(name);
      if (existing) existing.url = url;
      else
        this.forests.set(name, {
          forest: name,
          url,
          last: null,
          lastReadAt: null,
          objects: null,
          lastSuccessAt: null,
          changes: NO_CHANGES,
          reads: 0,
        });
    }
    this.changed();
  }

  /** A finished read of a configured forest (a read of one removed meanwhile is dropped). */
  record(result: AdbaReadResult, at: string): AdbaForestState | null {
    const forest = this.forests.get(result.forest);
    if (forest === undefined) return null;
    forest.last = result;
    forest.lastReadAt = at;
    forest.reads += 1;
    if (result.ok) {
      forest.changes =
        forest.objects === null ? NO_CHANGES : diffRounds(forest.objects, result.objects);
      forest.objects = result.objects;
      forest.lastSuccessAt = at;
    } else {
      this.failures.inc({ forest: forest.forest, reason: result.reason });
    }
    this.changed();
    return forest;
  }

  /** The failure reason of the latest read, or null when it succeeded or none ended. */
  static reasonOf(forest: AdbaForestState): AdbaFailureReason | null {
    return forest.last !== null && !forest.last.ok ? forest.last.reason : null;
  }
}
