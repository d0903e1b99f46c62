/**
 * `/domain/<name>`: one domain in detail, where the matrix on `/` links. What its clients
 * get per product (evaluate()'s verdict and the finding that explains it), its SRV
 * records per resolver with its problems, the cards of the hosts it publishes and its events. The
 * view is narrowed to the domain and its hosts first: evaluate() judges a domain by its
 * own records and hosts only, so the verdicts are the same as on `/`.
 */
import type { StatusView } from '../../monitor/status-view.js';
import { severityTag, severityText } from './badges.js';
import type { RenderContext } from './context.js';
import { hostKey, plural } from './format.js';
import { html, type SafeHtml } from './html.js';
import { renderLayout } from './layout.js';
import { renderDomain } from './render-domain.js';
import { renderEvents } from './render-events.js';
import { renderJournal } from './render-journal.js';
import { renderHostCard } from './render-host.js';
import { context, notReady, pollLine, renderNotFound, type PageOptions } from './render-page.js';
import { renderTable } from './render-table.js';

/** The view of one domain: it, the hosts it publishes and their history; null if unknown. */
export function narrowToDomain(view: StatusView, name: string): StatusView | null {
  const wanted = name.toLowerCase();
  const domain = view.domains.find((d) => d.domain.toLowerCase() === wanted);
  if (domain === undefined) return null;
  const keys = new Set(domain.resolvers.flatMap((r) => r.records.map((rec) => hostKey(rec))));
  const hosts = view.hosts.filter((h) => keys.has(hostKey(h)) || h.domains.includes(domain.domain));
  const targets = new Set([domain.domain, ...hosts.map((h) => hostKey(h))]);
  return {
    ...view,
    domains: [domain],
    hosts,
    history: view.history.filter((e) => targets.has(e.target)),
    // What names the domain is its own (records, lookups, domain findings); what names
    // only a host is its hosts' (their findings and probes).
    ...(view.events === undefined
      ? {}
      : {
          events: view.events.filter((e) =>
            e.domain !== undefined
              ? e.domain === domain.domain
              : e.host !== undefined && targets.has(e.host),
          ),
        }),
  };
}

function renderVerdicts(view: StatusView, ctx: RenderContext): SafeHtml {
  const problems = ctx.assessment.problems;
  const rows = ctx.assessment.verdicts.map((v) => {
    // The finding that says why no host works for the product, when there is one.
    const why = problems.find((p) => p.product === v.product && p.domain === v.domain);
    return html`<tr class="${v.status}">
      <th scope="row"><code>${v.product}</code></th>
      <td>${severityTag(v.status, v.status === 'ok' ? 'can activate' : 'cannot activate')}</td>
      <td>${v.workingHosts}</td>
      <td class="message">${why?.message ?? ''}</td>
    </tr>`;
  });
  if (rows.length === 0) return html`<p class="muted">No product is probed.</p>`;
  return renderTable({
    className: 'verdicts',
    caption: 'What its clients get, per product',
    columns: ['Product', 'Verdict', 'Working KMS machines', 'Why'],
    rows,
  });
}

/** `view` is the whole view; the page narrows it (narrowToDomain) and renders null as 404. */
export function renderDomainPage(view: StatusView, options: PageOptions): string {
  const d = view.domains[0]!;
  const ctx = context(view, '../');
  const severity = ctx.assessment.domainSeverity.get(d.domain) ?? 'unknown';
  const header = html`<nav class="crumbs" aria-label="Breadcrumb">
      <a href="../">← All domains and hosts</a>
    </nav>
    <h1>Domain ${d.domain}</h1>
    <p class="status">${severityTag(severity)}</p>
    ${pollLine(view)}`;
  const main = html`${notReady(view)}
    <section aria-labelledby="verdicts-h">
      <h2 id="verdicts-h">Products</h2>
      ${renderVerdicts(view, ctx)}
    </section>
    <section aria-labelledby="dns-h">
      <h2 id="dns-h">DNS</h2>
      ${renderDomain(d, ctx)}
    </section>
    <section aria-labelledby="hosts-h">
      <h2 id="hosts-h">KMS hosts (${view.hosts.length})</h2>
      ${view.hosts.length === 0 ? html`<p class="muted">The domain publishes no KMS host the monitor probes.</p>` : html`<div class="cards">${view.hosts.map((h) => renderHostCard(h, ctx))}</div>`}
    </section>
    <section aria-labelledby="events-h">
      <h2 id="events-h">Events</h2>
      ${renderJournal(view.events, ctx, { caption: 'What changed', limit: 100 })}
    </section>
    <section aria-labelledby="history-h">
      <h2 id="history-h">Probe log</h2>
      <p class="muted">
        ${plural(view.history.length, 'probe')} of this domain and its hosts in the log; failures
        are kept longer than successes.
      </p>
      ${renderEvents(view.history, ctx, { caption: 'Probe log', limit: 100, includeOk: true })}
    </section>`;
  return renderLayout({
    title: `${severityText(severity)} · ${d.domain} · KMS monitor`,
    status: severity,
    base: '../',
    refreshSeconds: options.refreshSeconds,
    header,
    main,
  });
}

export function renderDomainNotFound(requested: string): string {
  return renderNotFound(
    'domain',
    'No such domain',
    html`<p>
      The monitor watches no domain <code>${requested}</code>. The
      <a href="../">status page</a> lists every domain it watches, with a search box.
    </p>`,
  );
}
