/**
 * Date.prototype.toISOString for result timestamps, with the part up to the seconds kept
 * from the last call. Every result carries an ISO timestamp, toISOString costs as much as
 * building the rest of the result, and the results of a round share their second
 * (docs/performance.md, KMS client CPU). Same text as toISOString for every date.
 */
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** Millisecond texts '000'…'999'. */
const MILLIS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

export function isoTimestamp(date: Date): string {
  const ms = date.getTime();
  // NaN (an invalid Date) goes to toISOString, which throws the RangeError it always did.
  if (!Number.isFinite(ms)) return date.toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    // "…T12:34:56.789Z" → "…T12:34:56" (six-digit years included).
    cachedPrefix = date.toISOString().slice(0, -5);
    cachedSecond = second;
  }
  return `${cachedPrefix}.${MILLIS[ms - second * 1000]!}Z`;
}
