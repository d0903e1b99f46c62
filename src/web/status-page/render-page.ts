/**
 * The pages: `/` (the domain × product matrix, the summary, problems and recent events:
 * small whatever the estate), `/host/:host` (one host in detail) and the 404 for a host
 * the monitor does not know; `/domain/<name>` is render-domain-page.ts. Each is a pure function of a
 * StatusView: rendering reads plain data and never probes anything (docs/design.md
 * principle 1), so a page reload costs a few milliseconds and no activation request.
 */
import type { Evaluation } from '../../monitor/evaluate.js';
import type { StatusView } from '../../monitor/status-view.js';
import { assess } from './assessment.js';
import { severityTag, severityText } from './badges.js';
import type { RenderContext } from './context.js';
import { NO_FILTER, type MatrixFilter } from './filters.js';
import {
  domainHref,
  formatSeconds,
  formatTimestamp,
  formatTtl,
  hostHref,
  hostKey,
  plural,
} from './format.js';
import { html, join, type SafeHtml } from './html.js';
import { renderLayout } from './layout.js';
import { renderEvents } from './render-events.js';
import { renderJournal } from './render-journal.js';
import { renderHostCard } from './render-host.js';
import { renderMatrix } from './render-matrix.js';
import { renderProblems, renderProducts, renderSummary } from './render-summary.js';
import { renderTable } from './render-table.js';
import { renderAdbaSection } from './render-adba.js';

export interface PageOptions {
  /** Seconds between automatic refreshes; 0 turns them off. */
  refreshSeconds: number;
  /** The matrix filters of `/` (query parameters); none by default. */
  filter?: MatrixFilter;
  /**
   * evaluate() of this same view when the caller already has it (the monitor's
   * evaluationOf() of the whole state); the page evaluates the view itself otherwise.
   */
  evaluation?: Evaluation;
}

/** Problems `/` lists; the rest are on the domains' and hosts' pages. */
const PAGE_PROBLEMS = 20;
/** Lines of recent events on `/`. */
const PAGE_EVENTS = 20;
/** Hosts outside every domain that `/` links by name. */
const PAGE_STANDALONE = 50;

export function context(view: StatusView, base: string, evaluation?: Evaluation): RenderContext {
  const now = Date.parse(view.generatedAt);
  return {
    base,
    now: Number.isNaN(now) ? Date.now() : now,
    assessment: assess(view, evaluation),
    memo: new Map(),
  };
}

export function pollLine(view: StatusView): SafeHtml {
  // The poll timestamps are Unix seconds, as the kms_last_*_timestamp_seconds metrics.
  const { poll } = view;
  const last =
    poll.lastPollTimestamp === null
      ? 'no round finished yet'
      : `last round ${formatTimestamp(poll.lastPollTimestamp * 1000)} (took ${formatSeconds(poll.lastPollDurationSeconds)})`;
  const sweep =
    poll.lastKmsSweepTimestamp === null
      ? 'no KMS sweep yet'
      : `last KMS sweep ${formatTimestamp(poll.lastKmsSweepTimestamp * 1000)}`;
  return html`<p class="muted">
    Generated ${formatTimestamp(view.generatedAt)} · ${last} · ${sweep} ·
    ${plural(poll.rounds, 'round')}${poll.overruns > 0 ? `, ${plural(poll.overruns, 'overrun')}` : ''}
  </p>`;
}

export function notReady(view: StatusView): SafeHtml {
  return view.ready
    ? html``
    : html`<p class="notice warning">
        The first round of probes is still running: what follows is incomplete.
      </p>`;
}

/** Hosts no domain publishes (only the configuration lists them), linked by name. */
function renderStandalone(view: StatusView, ctx: RenderContext): SafeHtml {
  const standalone = view.hosts.filter((h) => h.domains.length === 0);
  const shown = standalone.slice(0, PAGE_STANDALONE);
  return html`<section aria-labelledby="hosts-h">
    <h2 id="hosts-h">KMS hosts (${view.hosts.length})</h2>
    <p class="muted">
      Every host has a page of its own: the domains' pages list the hosts they publish.
    </p>
    ${view.hostsCut > 0 ? html`<p class="notice warning">${plural(view.hostsCut, 'host')} left out by limits.hosts_total: not probed, not shown.</p>` : ''}
    ${view.hosts.length === 0 ? html`<p class="muted">No KMS host found yet.</p>` : ''}
    ${
      shown.length > 0
        ? html`<p>
            Listed in the configuration, outside every domain:
            ${join(
              shown.map((h) => {
                const key = hostKey(h);
                const severity = ctx.assessment.hostSeverity.get(key) ?? 'ok';
                return html`<a href="${hostHref(ctx.base, key)}">${key}</a>
                  ${severityTag(severity)}`;
              }),
              ', ',
            )}${standalone.length > shown.length ? ` and ${standalone.length - shown.length} more` : ''}
          </p>`
        : ''
    }
  </section>`;
}

export function renderStatusPage(view: StatusView, options: PageOptions): string {
  const ctx = context(view, '', options.evaluation);
  const { assessment } = ctx;
  const header = html`<h1>KMS activation status</h1>
    <p class="status">${severityTag(assessment.status)}</p>
    ${pollLine(view)}`;
  const main = html`${notReady(view)} ${renderMatrix(view, ctx, options.filter ?? NO_FILTER)}
    <section aria-labelledby="summary-h">
      <h2 id="summary-h">Summary</h2>
      ${renderSummary(assessment)}
      <h3>Problems</h3>
      ${renderProblems(assessment.problems, ctx, PAGE_PROBLEMS)} ${renderProducts(view)}
    </section>
    ${renderAdbaSection(view.adba)} ${renderStandalone(view, ctx)}
    <section aria-labelledby="history-h">
      <h2 id="history-h">Recent events</h2>
      ${renderJournal(view.events, ctx, { caption: 'What changed', limit: PAGE_EVENTS })}
    </section>`;
  return renderLayout({
    title: `${severityText(assessment.status)} · KMS monitor`,
    status: assessment.status,
    base: '',
    refreshSeconds: options.refreshSeconds,
    header,
    main,
  });
}

/** Where the domains publish this host, per resolver, as its clients find it. */
function renderPublished(view: StatusView, key: string): SafeHtml {
  const rows: SafeHtml[] = [];
  for (const d of view.domains) {
    for (const r of d.resolvers) {
      for (const rec of r.records) {
        if (hostKey(rec) !== key) continue;
        rows.push(
          html`<tr>
            <th scope="row"><a href="${domainHref('../', d.domain)}">${d.domain}</a></th>
            <td><code>${r.resolver}</code></td>
            <td>${rec.priority}</td>
            <td>${rec.weight}</td>
            <td>${formatTtl(rec.ttl)}</td>
            <td>${rec.addresses.join(', ')}</td>
          </tr>`,
        );
      }
    }
  }
  if (rows.length === 0) {
    return html`<p class="muted">
      No domain publishes this host: it is probed because the configuration lists it.
    </p>`;
  }
  return renderTable({
    caption: 'Published in DNS',
    columns: ['Domain', 'Resolver', 'Priority', 'Weight', 'TTL', 'Addresses'],
    rows,
  });
}

/** `view` comes from the source narrowed to the host (its hosts and history only). */
export function renderHostPage(view: StatusView, requested: string, options: PageOptions): string {
  const ctx = context(view, '../');
  const first = view.hosts[0];
  const severity =
    view.hosts
      .map((h) => ctx.assessment.hostSeverity.get(hostKey(h)) ?? 'ok')
      .sort((a, b) => severityOrder(b) - severityOrder(a))[0] ?? 'unknown';
  const title = view.hosts.length === 1 && first ? hostKey(first) : requested;
  const header = html`<nav class="crumbs" aria-label="Breadcrumb">
      <a href="../">← All domains and hosts</a>
    </nav>
    <h1>KMS host ${title}</h1>
    <p class="status">${severityTag(severity)}</p>
    ${pollLine(view)}`;
  const sections = view.hosts.map((h) => {
    const key = hostKey(h);
    const problems = ctx.assessment.hostProblems.get(key) ?? [];
    const history = view.history.filter((e) => e.target === key);
    // Newest first, repeats folded: a host down for an hour is one line, not fifty.
    return html`${renderHostCard(h, ctx, 2)}
      <section aria-label="Problems of ${key}">
        <h2>Problems</h2>
        ${renderProblems(problems, ctx)}
      </section>
      <section aria-label="DNS of ${key}">
        <h2>DNS</h2>
        ${renderPublished(view, key)}
      </section>
      <section aria-label="Events of ${key}">
        <h2>Events</h2>
        ${renderJournal(
          view.events?.filter((e) => e.host === key),
          ctx,
          { caption: 'What changed', limit: 100 },
        )}
      </section>
      <section aria-label="History of ${key}">
        <h2>History</h2>
        <p class="muted">Failures are kept longer than successes.</p>
        ${renderEvents(history, ctx, {
          caption: 'Probe log',
          limit: 100,
          includeOk: true,
          showTarget: false,
        })}
      </section>`;
  });
  return renderLayout({
    title: `${severityText(severity)} · ${title} · KMS monitor`,
    status: severity,
    base: '../',
    refreshSeconds: options.refreshSeconds,
    header,
    main: html`${notReady(view)}${sections}`,
  });
}

function severityOrder(s: string): number {
  return ['ok', 'warning', 'unknown', 'critical'].indexOf(s);
}

/** A 404 one level below `/`: what was not found, and the way back. */
export function renderNotFound(what: string, heading: string, main: SafeHtml): string {
  return renderLayout({
    title: `Unknown ${what} · KMS monitor`,
    status: 'unknown',
    base: '../',
    refreshSeconds: 0,
    header: html`<nav class="crumbs" aria-label="Breadcrumb">
        <a href="../">← All domains and hosts</a>
      </nav>
      <h1>${heading}</h1>`,
    main,
  });
}

export function renderHostNotFound(requested: string): string {
  return renderNotFound(
    'host',
    'No such KMS host',
    html`<p>
      The monitor knows no host <code>${requested}</code> right now. It may have left DNS, or the
      name is misspelt: use <code>host</code> or <code>host:port</code> as the cards on the
      <a href="../">status page</a> link to.
    </p>`,
  );
}
