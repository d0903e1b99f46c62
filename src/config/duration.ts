/**
 * Prometheus-style durations: one or more `<integer><unit>` parts, largest unit first,
 * as in `500ms`, `30s`, `10m`, `1h30m`, `7d`. Returned in milliseconds.
 */
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const UNIT_ORDER = ['w', 'd', 'h', 'm', 's', 'ms'];
const PART = /(\d+)(ms|s|m|h|d|w)/y;

export class DurationError extends Error {
  override readonly name = 'DurationError';
}

export function parseDuration(text: string): number {
  if (typeof text !== 'string' || text.length === 0) {
    throw new DurationError('empty duration; expected e.g. 30s, 10m, 1h');
  }
  if (text === '0') return 0;
  PART.lastIndex = 0;
  let total = 0;
  let lastUnit = -1;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match) {
      throw new DurationError(
        `invalid duration ${JSON.stringify(text)} at position ${start}; expected e.g. 30s, 10m, 1h30m`,
      );
    }
    const [, digits, unit] = match as unknown as [string, string, string];
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank <= lastUnit) {
      throw new DurationError(
        `invalid duration ${JSON.stringify(text)}: units must go from largest to smallest, each once`,
      );
    }
    lastUnit = rank;
    total += Number(digits) * (UNIT_MS[unit] ?? 0);
  }
  if (!Number.isSafeInteger(total)) {
    throw new DurationError(`duration ${JSON.stringify(text)} is too large`);
  }
  return total;
}

/** The shortest Prometheus-style rendering of a millisecond count (`90000` → `1m30s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of UNIT_ORDER) {
    const size = UNIT_MS[unit] ?? 1;
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}
