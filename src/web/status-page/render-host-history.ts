/**
 * A host's history on its card (the host page, and wherever the view carries
 * `hosts[].history`): since when it is down or up, its uptime over the window, and per
 * product a count sparkline against N with the threshold line, a latency sparkline and
 * since when the product is refused, below N or failing. Drawn from the status view's
 * history (src/monitor/history/view.ts), the same series `/api/v1/status?history=` returns.
 */
import type { HostHistoryView, ProductHistoryView } from '../../monitor/history/index.js';
import type { ViewHost } from './assessment.js';
import { severityTag } from './badges.js';
import type { RenderContext } from './context.js';
import { formatAge, formatSeconds, formatTimestamp } from './format.js';
import { html, type SafeHtml } from './html.js';
import { renderSparkline } from './sparkline.js';

/** A window as people say it: '7 d', '36 h', '90 min'. */
export function formatWindow(seconds: number): string {
  if (seconds >= 86_400 && seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${Math.round(seconds / 60)} min`;
}

/** 99.96 % is not 100 %: the figure is cut, never rounded up. */
export function formatUptime(fraction: number): string {
  const tenths = Math.floor(fraction * 1000) / 10;
  return `${tenths.toFixed(tenths === 100 ? 0 : 1)} %`;
}

function since(iso: string, ctx: RenderContext): SafeHtml {
  const at = Date.parse(iso);
  return html`<time class="since" datetime="${iso}">${formatTimestamp(iso)}</time>
    <span class="muted">(${formatAge(at, ctx.now)})</span>`;
}

function renderReachability(h: HostHistoryView, ctx: RenderContext): SafeHtml {
  const r = h.reachability;
  const window = formatWindow(h.windowSeconds);
  // Up (or down) since the first round the monitor ran: it may have been so for longer.
  const atLeast = r.since === r.firstSeen ? 'at least since' : 'since';
  const state =
    r.up === null || r.since === null
      ? html`${severityTag('unknown', 'not probed yet')}`
      : r.up
        ? html`${severityTag('ok', 'up')} ${atLeast} ${since(r.since, ctx)}`
        : html`${severityTag('critical', 'down')} ${atLeast} ${since(r.since, ctx)}`;
  const uptime =
    r.uptime === null
      ? ''
      : html` · uptime <strong>${formatUptime(r.uptime)}</strong> over
          ${
            r.knownSince !== null && Date.parse(r.knownSince) > ctx.now - h.windowSeconds * 1000
              ? html`the ${formatAge(Date.parse(r.knownSince), ctx.now).replace(' ago', '')} known`
              : window
          }`;
  return html`<p class="reachability-history">${state}${uptime}</p>`;
}

const PHASE_WORDS: Record<ProductHistoryView['phase'], string> = {
  ok: 'activates',
  below: 'below N',
  refused: 'refused',
  unreached: 'unreachable',
  failed: 'failing',
};

function phaseLine(p: ProductHistoryView, ctx: RenderContext): SafeHtml {
  const tag =
    p.phase === 'ok'
      ? severityTag('ok', PHASE_WORDS.ok)
      : p.phase === 'below'
        ? severityTag('warning', PHASE_WORDS.below)
        : severityTag('critical', PHASE_WORDS[p.phase]);
  // The first exchange the monitor kept: the state may be older than that.
  const atLeast = p.phaseSince === p.observedSince ? 'at least since' : 'since';
  return html`${tag} ${atLeast} ${since(p.phaseSince, ctx)}`;
}

function renderProduct(p: ProductHistoryView, from: number, to: number, ctx: RenderContext) {
  const s = p.samples;
  const failed = s.reason.map((r) => r !== null);
  let top = 2 * p.threshold;
  let slowest = 0;
  for (const c of s.count) if (c !== null && c > top) top = c;
  for (const l of s.latencySeconds) if (l > slowest) slowest = l;
  const answered = p.successRatio === null ? '' : formatUptime(p.successRatio);
  const count = renderSparkline(
    { at: s.at, values: s.count, failed },
    {
      label: `${p.product}: client count over time against N = ${p.threshold}${failed.includes(true) ? ', failed exchanges marked below' : ''}`,
      from,
      to,
      yMax: top,
      threshold: p.threshold,
      fold: 'min',
      kind: 'spark-count',
    },
  );
  const latency = renderSparkline(
    { at: s.at, values: s.latencySeconds, failed },
    {
      label: `${p.product}: exchange time over time, up to ${formatSeconds(slowest)}`,
      from,
      to,
      yMax: slowest,
      fold: 'max',
      kind: 'spark-latency',
    },
  );
  // Stacked, not a table: on a phone the two sparklines wrap under each other.
  return html`<li>
    <p>
      <code>${p.product}</code>
      ${phaseLine(p, ctx)}${answered === '' ? '' : html` · <span class="muted">${answered} answered</span>`}
    </p>
    <div class="spark-pair">
      <figure>
        ${count}
        <figcaption class="muted">clients against N = ${p.threshold}</figcaption>
      </figure>
      <figure>
        ${latency}
        <figcaption class="muted">exchange time, max ${formatSeconds(slowest)}</figcaption>
      </figure>
    </div>
  </li>`;
}

/** Nothing when the view carries no history for the host (it was not asked for). */
export function renderHostHistory(h: ViewHost, ctx: RenderContext, headingLevel: 2 | 3): SafeHtml {
  const history = h.history;
  if (history === undefined || history === null) return html``;
  const window = formatWindow(history.windowSeconds);
  const title = html`History <span class="muted">(last ${window})</span>`;
  const heading = headingLevel === 3 ? html`<h4>${title}</h4>` : html`<h3>${title}</h3>`;
  const to = ctx.now;
  const from = to - history.windowSeconds * 1000;
  return html`<section class="host-history" aria-label="History">
    ${heading} ${renderReachability(history, ctx)}
    ${
      history.products.length === 0
        ? html`<p class="muted">No KMS exchange recorded yet.</p>`
        : html`<ul class="spark-products" aria-label="Products over time">
            ${history.products.map((p) => renderProduct(p, from, to, ctx))}
          </ul>`
    }
  </section>`;
}
