/**
 * Events (events.ts) as a table: when, what, what happened in words, and how often with
 * the first and last time. On `/` the transitions of the whole estate; on a domain's and a
 * host's page their own, including the runs of plain successes.
 */
import type { HistoryEntry } from '../../monitor/history.js';
import { outcomeTag } from './badges.js';
import type { RenderContext } from './context.js';
import { foldHistory, isTransition, type ProbeEvent } from './events.js';
import { formatAge, formatTimestamp, hostHref } from './format.js';
import { html, type SafeHtml } from './html.js';
import { renderTable } from './render-table.js';

/**
 * "went down", "activates lab-office again": the change in words, by probe kind. The
 * reason is the outcome tag beside it.
 */
export function describeEvent(e: Pick<ProbeEvent, 'kind' | 'detail' | 'change'>): string {
  const what = e.detail ? ` ${e.detail}` : '';
  if (e.kind === 'tcp') {
    switch (e.change) {
      case 'started failing':
        return `went down`;
      case 'failing differently':
        return `still down, now`;
      case 'failing':
        return `down`;
      case 'recovered':
        return 'came back up';
      case 'ok':
        return 'up';
    }
  }
  if (e.kind === 'dns') {
    const at = ` at ${e.detail ?? 'a resolver'}`;
    switch (e.change) {
      case 'started failing':
        return `SRV lookup${at} started failing`;
      case 'failing differently':
      case 'failing':
        return `SRV lookup${at} failing`;
      case 'recovered':
        return `SRV lookup${at} answers again`;
      case 'ok':
        return `SRV lookup${at} answers`;
    }
  }
  const verb = e.kind === 'kms' ? 'activates' : `${e.kind} check passes`;
  switch (e.change) {
    case 'started failing':
      return `${e.kind === 'kms' ? 'stopped activating' : `${e.kind} check started failing`}${what}`;
    case 'failing differently':
    case 'failing':
      return `${e.kind === 'kms' ? 'fails' : `${e.kind} check fails`}${what}`;
    case 'recovered':
      return `${verb}${what} again`;
    case 'ok':
      return `${verb}${what}`;
  }
}

export function time(iso: string, ctx: RenderContext): SafeHtml {
  const at = Date.parse(iso);
  return html`<time datetime="${iso}" title="${Number.isNaN(at) ? '' : formatAge(at, ctx.now)}"
    >${formatTimestamp(iso)}</time
  >`;
}

function target(e: ProbeEvent, ctx: RenderContext): SafeHtml {
  return e.kind === 'dns'
    ? html`${e.target}`
    : html`<a href="${hostHref(ctx.base, e.target)}">${e.target}</a>`;
}

function eventRow(e: ProbeEvent, ctx: RenderContext, showTarget: boolean): SafeHtml {
  const repeats =
    e.count === 1
      ? html`once`
      : html`${e.count}× ${e.change === 'failing' ? 'at least ' : ''}from ${time(e.first, ctx)}`;
  return html`<tr class="${e.success ? 'success' : 'failure'}">
    <td class="time">${time(e.last, ctx)}</td>
    ${showTarget ? html`<th scope="row">${target(e, ctx)}</th>` : ''}
    <td>${outcomeTag(e.success, e.reason)} ${describeEvent(e)}</td>
    <td>${repeats}</td>
    <td class="message">${e.message ?? ''}</td>
  </tr>`;
}

export interface EventOptions {
  caption: string;
  /** The most lines shown; the caption says how many more there are. */
  limit: number;
  /** Keep the runs of plain successes (a host's own log); `/` shows transitions only. */
  includeOk?: boolean;
  showTarget?: boolean;
}

export function renderEvents(
  entries: readonly HistoryEntry[],
  ctx: RenderContext,
  { caption, limit, includeOk = false, showTarget = true }: EventOptions,
): SafeHtml {
  const all = foldHistory(entries).filter((e) => includeOk || isTransition(e));
  if (all.length === 0) return html`<p class="muted">${caption}: none in the probe log.</p>`;
  const shown = all.slice(0, limit);
  return renderTable({
    className: 'events',
    caption: `${caption} (newest first${all.length > shown.length ? `, ${shown.length} of ${all.length}` : ''}; repeats folded into one line)`,
    columns: ['Last', ...(showTarget ? ['Target'] : []), 'Event', 'Repeats', 'Latest message'],
    rows: shown.map((e) => eventRow(e, ctx, showTarget)),
  });
}
