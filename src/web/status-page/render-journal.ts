/**
 * The journal of recent events (src/monitor/events/) as a table: problems still standing
 * first (worst severity first), then everything else newest first; one line per key with
 * its repeats folded ("raised 3×, cleared 3×" and the first time). A finding's words are
 * the catalogue's (src/monitor/findings.ts), a probe's those of the probe log
 * (render-events.ts): this file adds none of its own for either.
 */
import { isProbeChange, type JournalEvent } from '../../monitor/events/index.js';
import { FINDINGS } from '../../monitor/findings.js';
import { severityRank } from './assessment.js';
import { outcomeTag, severityTag } from './badges.js';
import type { RenderContext } from './context.js';
import { domainHref, hostHref } from './format.js';
import { html, join, type SafeHtml } from './html.js';
import { describeEvent, time } from './render-events.js';
import { renderTable } from './render-table.js';

/** Problems still standing first, worst first; then the rest; newest first within each. */
export function problemsFirst(events: readonly JournalEvent[]): JournalEvent[] {
  return [...events].sort(
    (a, b) =>
      Number(b.problem) - Number(a.problem) ||
      (a.problem ? severityRank(b.severity) - severityRank(a.severity) : 0) ||
      (a.last < b.last ? 1 : a.last > b.last ? -1 : 0),
  );
}

/** By what the line carries (a code, a probe), so an unexpected kind still shows its data. */
function what(e: JournalEvent): SafeHtml {
  if (e.code !== null) {
    const tag =
      e.change === 'raised' ? severityTag(e.severity, 'raised') : severityTag('ok', 'cleared');
    const definition = (FINDINGS as Partial<Record<string, { meaning: string }>>)[e.code];
    return html`${tag} <code>${e.code}</code>${definition ? `: ${definition.meaning}` : ''}`;
  }
  if (e.probe !== undefined) {
    const change = isProbeChange(e.change) ? e.change : 'failing';
    return html`${outcomeTag(!e.problem, e.probe.reason)}
    ${describeEvent({ kind: e.probe.kind, detail: e.probe.detail, change })}`;
  }
  return html`${severityTag('ok', e.change === 'appeared' ? 'appeared' : 'gone')} SRV record
    <code>${e.host ?? ''}</code> in _vlmcs._tcp.${e.domain ?? ''}`;
}

function where(e: JournalEvent, ctx: RenderContext): SafeHtml {
  if (e.host !== undefined && e.kind !== 'record') {
    return html`<a href="${hostHref(ctx.base, e.host)}">${e.host}</a>`;
  }
  if (e.domain !== undefined)
    return html`<a href="${domainHref(ctx.base, e.domain)}">${e.domain}</a>`;
  return html`${e.forest ?? ''}`;
}

function repeats(e: JournalEvent, ctx: RenderContext): SafeHtml {
  if (e.count === 1) return html`once`;
  const parts = Object.entries(e.counts).map(([change, n]) => `${change} ${n}×`);
  return html`${join(parts, ', ')} from ${time(e.first, ctx)}`;
}

function row(e: JournalEvent, ctx: RenderContext): SafeHtml {
  return html`<tr class="${e.problem ? 'failure' : 'success'}">
    <td class="time">${time(e.last, ctx)}</td>
    <th scope="row">${where(e, ctx)}</th>
    <td>${what(e)}</td>
    <td>${repeats(e, ctx)}</td>
    <td class="message">${e.message ?? ''}</td>
  </tr>`;
}

export interface JournalOptions {
  caption: string;
  /** The most lines shown; the caption says how many there are. */
  limit: number;
}

export function renderJournal(
  events: readonly JournalEvent[] | undefined,
  ctx: RenderContext,
  { caption, limit }: JournalOptions,
): SafeHtml {
  if (events === undefined || events.length === 0) {
    return html`<p class="muted">${caption}: none since the monitor started.</p>`;
  }
  const shown = problemsFirst(events).slice(0, limit);
  const of = events.length > shown.length ? `, ${shown.length} of ${events.length}` : '';
  return renderTable({
    className: 'events',
    caption: `${caption} (problems still standing first, then newest${of}; repeats folded into one line)`,
    columns: ['Last', 'Where', 'Event', 'Repeats', 'Latest message'],
    rows: shown.map((e) => row(e, ctx)),
  });
}
