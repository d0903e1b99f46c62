/**
 * Nagios plugin threshold ranges (Monitoring Plugins development guidelines, "Threshold
 * and ranges"): `[@]start:end`, where
 * - `start` may be left out when it is 0 (`10` means `0:10`),
 * - `end` left out after the colon means +infinity (`10:`),
 * - `~` as start means -infinity (`~:10`),
 * - the range is inclusive; a value outside it raises the alert,
 * - a leading `@` inverts that: a value inside the range (ends included) raises the alert.
 * So `10` alerts below 0 or above 10, `10:` below 10, `~:10` above 10, `10:20` outside
 * [10, 20], `@10:20` inside it.
 */
import { UsageError } from './parse.js';

export interface NagiosRange {
  start: number;
  end: number;
  /** `@`: alert when the value is inside [start, end]. */
  inside: boolean;
  /** As given, for perfdata and messages. */
  text: string;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function bound(text: string, flag: string, whole: string, which: string): number {
  if (!NUMBER.test(text)) {
    throw new UsageError(
      `${flag}: ${which} ${JSON.stringify(text)} of range ${JSON.stringify(whole)} is not a number; ` +
        'expected [@]START:END, e.g. 5:, ~:10, 10:20, @0:3',
    );
  }
  return Number(text);
}

/** Parses a range; a UsageError names the flag and what is wrong. */
export function parseNagiosRange(text: string, flag: string): NagiosRange {
  const whole = text.trim();
  if (whole === '' || whole === '@') throw new UsageError(`${flag}: empty range`);
  const inside = whole.startsWith('@');
  const body = inside ? whole.slice(1) : whole;
  const colon = body.indexOf(':');
  let start = 0;
  let end = Infinity;
  if (colon < 0) {
    end = bound(body, flag, whole, 'end');
  } else {
    const startText = body.slice(0, colon);
    const endText = body.slice(colon + 1);
    if (startText === '~') start = -Infinity;
    else if (startText !== '') start = bound(startText, flag, whole, 'start');
    if (endText !== '') end = bound(endText, flag, whole, 'end');
  }
  if (start > end) {
    throw new UsageError(
      `${flag}: range ${JSON.stringify(whole)} starts above its end (${start} > ${end})`,
    );
  }
  return { start, end, inside, text: whole };
}

/** Whether `value` raises the alert of `range`. */
export function rangeAlerts(range: NagiosRange, value: number): boolean {
  const within = value >= range.start && value <= range.end;
  return range.inside ? within : !within;
}

function formatBound(n: number): string {
  return String(Number(n.toFixed(6)));
}

/**
 * The same range moved by `offset` in range syntax, for perfdata whose value is in other
 * units than the thresholds (the count, where the thresholds apply to count minus N).
 */
export function shiftRange(range: NagiosRange, offset: number): string {
  const start = range.start === -Infinity ? '~' : formatBound(range.start + offset);
  const end = range.end === Infinity ? '' : formatBound(range.end + offset);
  const body = start === '0' && end !== '' ? end : `${start}:${end}`;
  return `${range.inside ? '@' : ''}${body}`;
}

/** In words, for problem lines: `below 5`, `above 10`, `outside 10..20`, `within 0..3`. */
export function describeRange(range: NagiosRange): string {
  if (range.start === -Infinity && range.end === Infinity) return range.inside ? 'any' : 'none';
  if (range.inside) return `within ${formatBound(range.start)}..${formatBound(range.end)}`;
  if (range.end === Infinity) return `below ${formatBound(range.start)}`;
  if (range.start === -Infinity) return `above ${formatBound(range.end)}`;
  return `outside ${formatBound(range.start)}..${formatBound(range.end)}`;
}
