/**
 * Numbers, times and names as the page prints them. Plain functions over plain data, so
 * the page, the host page and the tests format the same way.
 */

/** `host:port`, bracketed for IPv6: the key evaluate() and the state use for a host. */
export { hostKey } from '../../util/host-port.js';

/** Relative link to a host's page; `base` is '' on `/` and '../' one level down. */
export function hostHref(base: string, key: string): string {
  return `${base}host/${encodeURIComponent(key)}`;
}

/** Relative link to a domain's page (`/domain/<name>`). */
export function domainHref(base: string, domain: string): string {
  return `${base}domain/${encodeURIComponent(domain)}`;
}

/**
 * A fragment id for a host card or domain section, stable across refreshes (the scroll
 * restore and bookmarks rely on that). Host names and `host:port` keys are valid ids as
 * they are; anything else is spelt out in hex so ids stay plain ASCII.
 */
export function anchorId(prefix: string, name: string): string {
  const lower = name.toLowerCase();
  return PLAIN_ID.test(lower)
    ? `${prefix}-${lower}`
    : `${prefix}-${lower.replace(/[^a-z0-9.:-]/gu, (c) => `_${c.codePointAt(0)!.toString(16)}`)}`;
}

const PLAIN_ID = /^[a-z0-9.:-]*$/;

/** Seconds as the page shows a latency: '3.2 ms', '1.24 s'. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 1) return `${(seconds * 1000).toFixed(seconds < 0.01 ? 1 : 0)} ms`;
  return `${seconds.toFixed(2)} s`;
}

/** KMS intervals are minutes: 120 → '2 h', 10080 → '7 d', 90 → '90 min'. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes >= 1440 && minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

/** A DNS TTL: 3600 → '3600 s (1 h)'. */
export function formatTtl(ttl: number | null): string {
  if (ttl === null) return '—';
  if (ttl >= 86400 && ttl % 86400 === 0) return `${ttl} s (${ttl / 86400} d)`;
  if (ttl >= 3600 && ttl % 3600 === 0) return `${ttl} s (${ttl / 3600} h)`;
  if (ttl >= 60 && ttl % 60 === 0) return `${ttl} s (${ttl / 60} min)`;
  return `${ttl} s`;
}

/** How long before `now` `then` was: '12 s ago', '5 min ago', '3 h ago', '2 d ago'. */
export function formatAge(then: number, now: number): string {
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** '2025-01-07 14:02:11 UTC' from an ISO string (or epoch ms); the input when unparseable. */
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

export function formatTimestamp(when: string | number): string {
  // The state's timestamps are ISO in UTC already: cutting is cheaper than a Date.
  if (typeof when === 'string' && ISO_UTC.test(when))
    return `${when.slice(0, 10)} ${when.slice(11, 19)} UTC`;
  const date = new Date(when);
  if (Number.isNaN(date.getTime())) return String(when);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** '2025-01-01' from an ISO date-time. */
export function formatDate(iso: string | null): string {
  if (iso === null) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 10);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
