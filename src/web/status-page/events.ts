/**
 * The probe log (src/monitor/history.ts) as events: per series — one probe kind, target
 * and product or resolver — consecutive probes with the same outcome and reason fold into
 * one run with a count and its first and last time, and each run says what changed
 * against the run before it (went down, came back, started refusing, answers again).
 * Fifty identical failures of one host become one line.
 *
 * The state keeps failures longer than successes (two rings), so at the far end of the
 * log a failing run can lack the success before it: such a run is `failing`, not
 * `started failing`, and its first time is "at least since".
 */
import { probeChange, seriesKey, type ProbeChange } from '../../monitor/events/index.js';
import type { HistoryEntry } from '../../monitor/history.js';

/** How a run changed against the run before it (the journal's ProbeChange), or `ok`. */
export type EventChange =
  | ProbeChange
  /** Successes with nothing before them in the log (not an event on `/`). */
  | 'ok';

/** A run of probes: the fields of its newest entry, and how many, since when, what changed. */
export interface ProbeEvent extends Pick<
  HistoryEntry,
  'kind' | 'target' | 'detail' | 'success' | 'reason' | 'message'
> {
  change: EventChange;
  count: number;
  /** ISO times of the run's oldest and newest probe. */
  first: string;
  last: string;
}

/** Two runs in a row never share an outcome and reason, so every run is a change or `ok`. */
function changeOf(run: HistoryEntry, before: ProbeEvent | undefined): EventChange {
  return probeChange(run, before) ?? 'ok';
}

/** The entries (any order) folded into runs, newest run first. */
export function foldHistory(entries: readonly HistoryEntry[]): ProbeEvent[] {
  const series = new Map<string, HistoryEntry[]>();
  for (const e of entries) {
    const key = seriesKey(e);
    const list = series.get(key);
    if (list) list.push(e);
    else series.set(key, [e]);
  }
  const runs: ProbeEvent[] = [];
  for (const list of series.values()) {
    list.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
    let current: ProbeEvent | undefined;
    for (const e of list) {
      if (current && current.success === e.success && current.reason === e.reason) {
        current.count++;
        current.last = e.timestamp;
        current.message = e.message;
        continue;
      }
      current = {
        kind: e.kind,
        target: e.target,
        detail: e.detail,
        success: e.success,
        reason: e.reason,
        message: e.message,
        change: changeOf(e, current),
        count: 1,
        first: e.timestamp,
        last: e.timestamp,
      };
      runs.push(current);
    }
  }
  return runs.sort((a, b) => (a.last < b.last ? 1 : a.last > b.last ? -1 : 0));
}

/** Runs that are news: every failure, and the recoveries; not a series that was always fine. */
export function isTransition(e: ProbeEvent): boolean {
  return e.change !== 'ok';
}
