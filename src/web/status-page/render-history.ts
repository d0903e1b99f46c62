/**
 * The recent probe history as a table, newest first. Failures are kept longer than
 * successes by the state (two rings), so the page shows them in a table of their own:
 * the failure an admin comes looking for is still there after hours of green probes.
 */
import type { HistoryEntry } from '../../monitor/history.js';
import { outcomeTag } from './badges.js';
import type { RenderContext } from './context.js';
import { formatAge, formatSeconds, formatTimestamp, hostHref } from './format.js';
import { html, type SafeHtml } from './html.js';
import { renderTable } from './render-table.js';

function target(e: HistoryEntry, ctx: RenderContext): SafeHtml {
  // DNS entries name a domain; TCP and KMS entries a host key with a page of its own.
  return e.kind === 'dns'
    ? html`${e.target}`
    : html`<a href="${hostHref(ctx.base, e.target)}">${e.target}</a>`;
}

export function renderHistoryTable(
  entries: readonly HistoryEntry[],
  ctx: RenderContext,
  caption: string,
  { showTarget = true }: { showTarget?: boolean } = {},
): SafeHtml {
  if (entries.length === 0) return html`<p class="muted">${caption}: none.</p>`;
  // On a host's own page every row is that host: the time names the row instead.
  const rows = entries.map((e) => {
    const at = Date.parse(e.timestamp);
    const time = html`<time
      datetime="${e.timestamp}"
      title="${Number.isNaN(at) ? '' : formatAge(at, ctx.now)}"
      >${formatTimestamp(e.timestamp)}</time
    >`;
    return html`<tr class="${e.success ? 'success' : 'failure'}">
      ${showTarget ? html`<td class="time">${time}</td>` : html`<th scope="row" class="time">${time}</th>`}
      <td>${e.kind}</td>
      ${showTarget ? html`<th scope="row">${target(e, ctx)}</th>` : ''}
      <td>${e.detail ?? ''}</td>
      <td>${outcomeTag(e.success, e.reason)}</td>
      <td class="message">${e.message ?? ''}</td>
      <td>${formatSeconds(e.durationSeconds)}</td>
    </tr>`;
  });
  return renderTable({
    className: 'history',
    caption,
    columns: [
      'Time',
      'Kind',
      ...(showTarget ? ['Target'] : []),
      'Product / resolver',
      'Result',
      'Message',
      'Duration',
    ],
    rows,
  });
}

/** Failures first (kept longer), then everything recent. */
export function renderHistory(
  entries: readonly HistoryEntry[],
  ctx: RenderContext,
  { failures = 50, recent = 30 }: { failures?: number; recent?: number } = {},
): SafeHtml {
  return html`${renderHistoryTable(
    entries.filter((e) => !e.success).slice(0, failures),
    ctx,
    `Recent failures (newest first, up to ${failures})`,
  )}
  ${renderHistoryTable(entries.slice(0, recent), ctx, `All recent probes (newest first, up to ${recent})`)}`;
}
