/**
 * Probe outcomes as transitions: per series (one probe kind, target and detail — the
 * product of a KMS exchange, the resolver of a lookup, the address of a TCP connect) the
 * outcome of each probe against the one before it. Only changes are transitions: a host
 * down for an hour is "went down" once, then "came back". The series of probes that
 * always succeed make none.
 */
import { BoundedCache } from '../../util/bounded-cache.js';
import type { HistoryEntry } from '../history.js';
import type { ProbeChange, Transition } from './journal.js';

interface Outcome {
  readonly success: boolean;
  readonly reason: string | null;
}

/** What a probe's outcome is against the series' outcome before it; null: no change. */
export function probeChange(now: Outcome, before: Outcome | undefined): ProbeChange | null {
  if (now.success) return before === undefined || before.success ? null : 'recovered';
  if (before === undefined) return 'failing';
  if (before.success) return 'started failing';
  return before.reason === now.reason ? null : 'failing differently';
}

export function seriesKey(e: Pick<HistoryEntry, 'kind' | 'target' | 'detail'>): string {
  return `${e.kind}\u0000${e.target}\u0000${e.detail ?? ''}`;
}

/** A series within its target: the kind and the detail. */
function seriesOfTarget(e: Pick<HistoryEntry, 'kind' | 'detail'>): string {
  return `${e.kind}\u0000${e.detail ?? ''}`;
}

const SUCCEEDED: Outcome = Object.freeze({ success: true, reason: null });

export class ProbeRuns {
  /**
   * The latest outcome of every series, by target and then by seriesOfTarget(): forgetting
   * a target is one delete. At 3,000 domains × 2 hosts × 3 products there are ~30,000
   * series; an object and a full key string per series were 6.5 MiB of the live heap.
   */
  private readonly latest = new Map<string, Map<string, Outcome>>();
  /** The outcomes are a success or one of the failure reasons: one object each, shared. */
  private readonly failures = new BoundedCache<string | null, Outcome>(1024);

  /** The transition this probe makes, if it makes one. */
  observe(e: HistoryEntry): Transition | null {
    let series = this.latest.get(e.target);
    if (series === undefined) this.latest.set(e.target, (series = new Map()));
    const within = seriesOfTarget(e);
    const change = probeChange(e, series.get(within));
    series.set(within, this.outcome(e));
    if (change === null) return null;
    const failing = change !== 'recovered';
    return {
      at: e.timestamp,
      kind: 'probe',
      key: `probe\u0000${seriesKey(e)}`,
      change,
      problem: failing,
      code: null,
      severity: failing ? 'warning' : 'ok',
      // DNS entries name the domain; the others the host (and a KMS exchange its product).
      ...(e.kind === 'dns' ? { domain: e.target } : { host: e.target }),
      ...(e.kind === 'kms' && e.detail !== null ? { product: e.detail } : {}),
      message: e.message,
      probe: { kind: e.kind, detail: e.detail, reason: e.reason },
    };
  }

  /** Forgets the series of targets (hosts, domains) the state no longer has. */
  retain(keep: (target: string) => boolean): void {
    for (const target of this.latest.keys()) if (!keep(target)) this.latest.delete(target);
  }

  private outcome(e: HistoryEntry): Outcome {
    if (e.success) return SUCCEEDED;
    return (
      this.failures.get(e.reason) ??
      this.failures.add(e.reason, Object.freeze({ success: false, reason: e.reason }))
    );
  }
}
