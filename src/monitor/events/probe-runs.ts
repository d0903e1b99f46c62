/**
 * Probe outcomes as transitions: per series (one probe kind, target and detail — the
 * product of a KMS exchange, the resolver of a lookup, the address of a TCP connect) the
 * outcome of each probe against the one before it. Only changes are transitions: a host
 * down for an hour is "went down" once, then "came back". The series of probes that
 * always succeed make none.
 */
import type { HistoryEntry } from '../history.js';
import type { ProbeChange, Transition } from './journal.js';

interface Outcome {
  success: boolean;
  reason: string | null;
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

export class ProbeRuns {
  /** The latest outcome per series, by seriesKey; the target is kept to forget it. */
  private readonly latest = new Map<string, Outcome & { target: string }>();

  /** The transition this probe makes, if it makes one. */
  observe(e: HistoryEntry): Transition | null {
    const key = seriesKey(e);
    const change = probeChange(e, this.latest.get(key));
    this.latest.set(key, { success: e.success, reason: e.reason, target: e.target });
    if (change === null) return null;
    const failing = change !== 'recovered';
    return {
      at: e.timestamp,
      kind: 'probe',
      key: `probe\u0000${key}`,
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
    for (const [key, o] of this.latest) if (!keep(o.target)) this.latest.delete(key);
  }
}
