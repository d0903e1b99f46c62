/**
 * The document around every page: stylesheet and refresh script as files of our own
 * origin (the Content-Security-Policy allows nothing inline), a <noscript> meta refresh
 * for browsers without JavaScript, and the landmarks (header, main, footer).
 */
import type { Severity } from '../../monitor/evaluate.js';
import { faviconUrl } from './favicon.js';
import { html, type SafeHtml } from './html.js';
import { SCRIPT_PATH, STYLESHEET_PATH } from './assets.js';

export interface LayoutOptions {
  title: string;
  /** Colours the tab icon. */
  status: Severity;
  /** '' on `/`, '../' one level down: relative links survive a reverse proxy's prefix. */
  base: string;
  /** Seconds between refreshes; 0 turns auto-refresh off (error pages). */
  refreshSeconds: number;
  header: SafeHtml;
  main: SafeHtml;
  footer?: SafeHtml;
}

export function renderLayout(o: LayoutOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${o.title}</title>
<link rel="icon" href="${faviconUrl(o.status)}">
<link rel="stylesheet" href="${o.base}${STYLESHEET_PATH}">
${
  o.refreshSeconds > 0
    ? html`<script src="${o.base}${SCRIPT_PATH}" defer></script>
        <noscript><meta http-equiv="refresh" content="${o.refreshSeconds}" /></noscript>`
    : ''
}
</head>
<body${o.refreshSeconds > 0 ? html` data-refresh-seconds="${o.refreshSeconds}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="top">${o.header}${o.refreshSeconds > 0 ? html`<p id="refresh-state" class="refresh-state">Refreshes every ${o.refreshSeconds} s.</p>` : ''}</header>
<main id="main">
${o.main}
</main>
<footer>${o.footer ?? ''}<p><a href="${o.base}metrics">/metrics</a> · <a href="${o.base}api/v1/status">/api/v1/status</a></p></footer>
</body>
</html>
`.value;
}
