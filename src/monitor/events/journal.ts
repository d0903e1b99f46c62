/**
 * The journal of recent transitions: what changed in the estate (a finding raised or
 * cleared, an SRV record appearing or gone, a probe series going down or coming back),
 * folded by key so that one host flapping all day is one line with a count and its
 * first and last time, not hundreds. Bounded: at most `capacity` lines; a new key beyond
 * it drops the line whose latest transition is the oldest. A line's size does not grow
 * with its count, so the journal's memory is capacity × one line (README, "Status API").
 */
import type { FindingCode, Severity } from '../findings.js';

/** How the run of a probe series changed (see probe-runs.ts). */
export type ProbeChange =
  /** A failure after a success: went down, started refusing, lookup started failing. */
  | 'started failing'
  /** A failure after a failure for another reason. */
  | 'failing differently'
  /** A failure with no outcome of the series before it (the monitor just started). */
  | 'failing'
  /** A success after a failure: came back. */
  | 'recovered';

export type EventChange = 'raised' | 'cleared' | 'appeared' | 'gone' | ProbeChange;

const PROBE_CHANGES: ReadonlySet<EventChange> = new Set<ProbeChange>([
  'started failing',
  'failing differently',
  'failing',
  'recovered',
]);

export function isProbeChange(change: EventChange): change is ProbeChange {
  return PROBE_CHANGES.has(change);
}

export type EventKind = 'finding' | 'record' | 'probe';

/** One transition, as a feed (findings, records, probes) reports it. */
export interface Transition {
  /** ISO time of the transition. */
  at: string;
  kind: EventKind;
  /** What folds: the same key again is the same line. */
  key: string;
  change: EventChange;
  /** The change leaves a problem standing (a finding raised, a probe failing). */
  problem: boolean;
  /** The catalogue's code, for finding events; null for the others. */
  code: FindingCode | null;
  /** The finding's severity; for the others `warning` while failing, else `ok`. */
  severity: Severity;
  domain?: string;
  /** `host:port`. */
  host?: string;
  product?: string;
  /** The ADBA forest of an ADBA finding. */
  forest?: string;
  /** What was seen: the finding's message, the probe's error. */
  message: string | null;
  /** Probe events: the kind (dns, tcp, kms, trust), its detail (product, resolver) and reason. */
  probe?: { kind: string; detail: string | null; reason: string | null };
}

/** A line of the journal: its newest transition, and how many were folded into it. */
export interface JournalEvent extends Omit<Transition, 'at'> {
  /** Transitions folded into this line. */
  count: number;
  /** The same, per change: a flapping host is `{started failing: 3, recovered: 3}`. */
  counts: Partial<Record<EventChange, number>>;
  /** ISO times of the oldest and the newest transition of the line. */
  first: string;
  last: string;
}

/** Lines the monitor keeps (each folds any number of transitions of one key). */
export const EVENT_JOURNAL_CAPACITY = 1000;

export class EventJournal {
  /** Insertion order is the order of the lines' latest transition: the first is the oldest. */
  private readonly lines = new Map<string, JournalEvent>();
  /** Lines dropped because the journal was full. */
  dropped = 0;

  constructor(readonly capacity: number = EVENT_JOURNAL_CAPACITY) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`event journal capacity must be a positive integer, not ${capacity}`);
    }
  }

  add(t: Transition): void {
    const { at, ...fields } = t;
    const before = this.lines.get(t.key);
    const counts = { ...before?.counts };
    counts[t.change] = (counts[t.change] ?? 0) + 1;
    const line: JournalEvent = {
      ...fields,
      count: (before?.count ?? 0) + 1,
      counts,
      first: before === undefined || at < before.first ? at : before.first,
      last: before === undefined || at > before.last ? at : before.last,
    };
    // Re-inserted at the end: the map stays ordered by each line's latest transition.
    this.lines.delete(t.key);
    this.lines.set(t.key, line);
    for (const key of this.lines.keys()) {
      if (this.lines.size <= this.capacity) break;
      this.lines.delete(key);
      this.dropped++;
    }
  }

  get size(): number {
    return this.lines.size;
  }

  /** The lines, newest transition first. */
  events(): JournalEvent[] {
    return [...this.lines.values()].reverse();
  }
}
