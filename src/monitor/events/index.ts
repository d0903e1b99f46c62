/**
 * The estate's recent events: one bounded journal (./journal.ts) fed by three sources —
 * the findings of each evaluation raised and cleared (../finding-log.ts), the SRV records
 * of each discovery (./records.ts) and the outcome of each probe (./probe-runs.ts). The
 * state owns one; the status view, the page and /api/v1/status read its lines.
 */
import type { SrvLookupResult } from '../../dns/index.js';
import type { Finding } from '../findings.js';
import type { HistoryEntry } from '../history.js';
import { EventJournal, type JournalEvent, type Transition } from './journal.js';
import { ProbeRuns } from './probe-runs.js';
import { RecordWatch } from './records.js';

export {
  EVENT_JOURNAL_CAPACITY,
  EventJournal,
  isProbeChange,
  type EventChange,
  type EventKind,
  type JournalEvent,
  type ProbeChange,
  type Transition,
} from './journal.js';
export { probeChange, seriesKey } from './probe-runs.js';

/** A finding raised or cleared, as a transition; its text is the catalogue's (findings.ts). */
export function findingTransition(
  f: Finding,
  change: 'raised' | 'cleared',
  key: string,
  at: string,
): Transition {
  return {
    at,
    kind: 'finding',
    key: `finding\u0000${key}`,
    change,
    problem: change === 'raised',
    code: f.code,
    severity: f.severity,
    ...(f.domain === undefined ? {} : { domain: f.domain }),
    ...(f.host === undefined ? {} : { host: f.host }),
    ...(f.product === undefined ? {} : { product: f.product }),
    ...(f.forest === undefined ? {} : { forest: f.forest }),
    message: f.message,
  };
}

export class EstateEvents {
  private readonly journal: EventJournal;
  private readonly runs = new ProbeRuns();
  private readonly records = new RecordWatch();

  constructor(capacity?: number) {
    this.journal = new EventJournal(capacity);
  }

  /** A probe's outcome (a history entry): a transition when its series changes. */
  probe(entry: HistoryEntry): void {
    const t = this.runs.observe(entry);
    if (t) this.journal.add(t);
  }

  /** A round's discovery: the records each domain's resolvers returned. */
  discovery(
    domains: Iterable<{ domain: string; lookups: readonly SrvLookupResult[] }>,
    atMs: number,
  ): void {
    for (const t of this.records.observe(domains, new Date(atMs).toISOString())) {
      this.journal.add(t);
    }
  }

  /** A finding raised or cleared between two evaluations (`key`: its findingKey). */
  finding(f: Finding, change: 'raised' | 'cleared', key: string, atMs: number): void {
    this.journal.add(findingTransition(f, change, key, new Date(atMs).toISOString()));
  }

  /** Forgets the probe series of targets that left; their lines stay until pushed out. */
  retainTargets(keep: (target: string) => boolean): void {
    this.runs.retain(keep);
  }

  /** The lines, newest transition first. */
  events(): JournalEvent[] {
    return this.journal.events();
  }

  get dropped(): number {
    return this.journal.dropped;
  }
}
