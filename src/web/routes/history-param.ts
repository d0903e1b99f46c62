/**
 * `?history=` of /api/v1/status takes one of two things (README, "Status API"):
 * - a plain decimal integer 0–1000: that many entries of the recent probe log (as before
 *   the history existed; no series);
 * - a duration such as `24h` or `7d` (Prometheus style, 1m up to history.retention): each
 *   host's history over that window in `hosts[].history`, and the default 200 log entries.
 * Anything else (`0x10`, `1e3`, `24 h`, `-1`, empty) is a 400 naming the parameter.
 */
import { parseDuration } from '../../config/duration.js';
import type { QueryParam } from '../query.js';

export type HistoryParam = { recent: number } | { windowMs: number };

const MAX_RECENT = 1000;
const MIN_WINDOW_MS = 60_000;
const DECIMAL = /^[0-9]{1,15}$/;

export function parseHistoryParam(text: string): HistoryParam {
  if (DECIMAL.test(text)) {
    const recent = Number(text);
    if (recent > MAX_RECENT) throw new Error(`more than ${MAX_RECENT} log entries`);
    return { recent };
  }
  const windowMs = parseDuration(text);
  if (windowMs < MIN_WINDOW_MS) throw new Error('a window of at least 1m');
  return { windowMs };
}

export const HISTORY_PARAM: QueryParam = {
  kind: 'parsed',
  expects: `a decimal integer from 0 to ${MAX_RECENT} (recent probes) or a duration from 1m to the retention such as 24h or 7d (history series)`,
  parse: parseHistoryParam,
};
