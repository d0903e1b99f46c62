/**
 * The tab icon: a dot in the colour of the overall status, so a pinned tab says OK or not
 * without being looked at. A data: URL (the Content-Security-Policy allows data: images),
 * so no request, and no 404 for /favicon.ico in the browser's console.
 */
import type { Severity } from '../../monitor/evaluate.js';

const COLOURS: Record<Severity, string> = {
  ok: '#1a7f37',
  warning: '#d4a72c',
  critical: '#cf222e',
  unknown: '#8c959f',
};

const icons = new Map<Severity, string>();

export function faviconUrl(severity: Severity): string {
  let url = icons.get(severity);
  if (url === undefined) {
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">` +
      `<circle cx="8" cy="8" r="7" fill="${COLOURS[severity]}"/></svg>`;
    url = `data:image/svg+xml,${encodeURIComponent(svg)}`;
    icons.set(severity, url);
  }
  return url;
}
