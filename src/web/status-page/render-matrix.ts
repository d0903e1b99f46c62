/**
 * The answer to the question the page exists for — can every domain activate every
 * product? — as a matrix: one row per domain, one cell per product, each cell
 * evaluate()'s verdict for that domain and product (coloured, with a symbol and the count
 * of working KMS machines) and a link to the domain's page. Problems come first; on `/`
 * without filters the matrix stays one screen tall however large the estate: at most
 * FIRST_SCREEN rows, the rest summarised in one line per status with the first names and
 * a link to the filtered list. Filters are links and a GET form (filters.ts).
 */
import type { DomainProductVerdict, Severity } from '../../monitor/evaluate.js';
import type { StatusView } from '../../monitor/status-view.js';
import { severityRank } from './assessment.js';
import { severityTag, severityText } from './badges.js';
import type { RenderContext } from './context.js';
import {
  filterHref,
  isFiltered,
  statusMatches,
  STATUS_FILTERS,
  type MatrixFilter,
  type StatusFilter,
} from './filters.js';
import { domainHref, plural } from './format.js';
import { html, join, type SafeHtml } from './html.js';
import { renderTable } from './render-table.js';

/**
 * Rows the unfiltered matrix shows before it summarises: what fits the first screen of a
 * 360 × 740 phone under the page's heading (the layout test measures it).
 */
export const FIRST_SCREEN = 8;
/** Names a summary line lists before "and N more". */
const NAMES_PER_LINE = 8;
/** Rows per page of a filtered matrix. */
export const PAGE_ROWS = 50;

export interface MatrixRow {
  domain: string;
  /** evaluate()'s verdict for the domain (kms_domain_status). */
  severity: Severity;
  verdicts: Map<string, DomainProductVerdict>;
}

/** Every domain with its verdicts, problems first (worst first), then by name. */
export function matrixRows(view: StatusView, ctx: RenderContext): MatrixRow[] {
  const { assessment } = ctx;
  const byDomain = new Map<string, MatrixRow>(
    view.domains.map((d) => [
      d.domain,
      {
        domain: d.domain,
        severity: assessment.domainSeverity.get(d.domain) ?? 'unknown',
        verdicts: new Map(),
      },
    ]),
  );
  for (const v of assessment.verdicts) byDomain.get(v.domain)?.verdicts.set(v.product, v);
  return [...byDomain.values()].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0),
  );
}

/** The status a row is filtered by: the domain's, or its verdict for the one product shown. */
function rowStatus(row: MatrixRow, product: string | null): Severity {
  if (product === null) return row.severity;
  return row.verdicts.get(product)?.status ?? 'unknown';
}

function cell(row: MatrixRow, product: string, ctx: RenderContext): SafeHtml {
  const v = row.verdicts.get(product);
  if (v === undefined) return html`<td class="v unknown">?</td>`;
  const symbol = v.status === 'ok' ? '✓' : '✖';
  const what =
    v.workingHosts === 0
      ? `no KMS host can activate ${product}`
      : `${plural(v.workingHosts, 'KMS machine')} can activate ${product}`;
  return html`<td class="v ${v.status}">
    <a href="${domainHref(ctx.base, row.domain)}" title="${what}"
      ><span aria-hidden="true">${symbol}</span> ${v.workingHosts}</a
    >
  </td>`;
}

const SYMBOL: Record<Severity, string> = { ok: '✓', warning: '⚠', critical: '✖', unknown: '?' };

/** The row's status tag; on a phone only its symbol shows (the word stays for screen readers). */
function rowTag(severity: Severity): SafeHtml {
  return html`<span class="tag ${severity}"
    ><span aria-hidden="true">${SYMBOL[severity]}</span
    ><span class="word"> ${severityText(severity)}</span></span
  >`;
}

function row(r: MatrixRow, products: readonly string[], ctx: RenderContext): SafeHtml {
  return html`<tr class="${r.severity}">
    <th scope="row">
      <a href="${domainHref(ctx.base, r.domain)}">${r.domain}</a> ${rowTag(r.severity)}
    </th>
    ${products.map((p) => cell(r, p, ctx))}
  </tr>`;
}

/** "⚠ 12 more warning: a, b, c and 9 more — list them", one line for a whole group. */
function summaryRow(
  severity: Severity,
  rows: readonly MatrixRow[],
  columns: number,
  filter: MatrixFilter,
  ctx: RenderContext,
  more: boolean,
): SafeHtml {
  const names = rows.slice(0, NAMES_PER_LINE);
  const what =
    severity === 'ok'
      ? `${plural(rows.length, 'domain')} can activate every product`
      : `${more ? `${rows.length} more` : plural(rows.length, 'domain')} ${severityText(severity).toLowerCase()}`;
  return html`<tr class="more ${severity}">
    <td colspan="${columns}">
      ${severityTag(severity)} ${what}:
      ${join(
        names.map((r) => html`<a href="${domainHref(ctx.base, r.domain)}">${r.domain}</a>`),
        ', ',
      )}${rows.length > names.length ? ` and ${rows.length - names.length} more` : ''}
      · <a href="${filterHref(ctx.base, filter, { status: severity })}">list them</a>
    </td>
  </tr>`;
}

/**
 * The page's one-line answer to "can every domain activate every product?". Domains whose
 * products all activate can still be critical (an emulator activates them, a forged ADBA
 * object): they are named by their own severity, never folded into "with warnings".
 */
export function answer(rows: readonly MatrixRow[], products: number): SafeHtml {
  const cannot = new Set(
    rows.filter((r) => [...r.verdicts.values()].some((v) => v.status !== 'ok')),
  );
  const others = rows.filter((r) => r.severity !== 'ok' && !cannot.has(r));
  if (rows.length === 0) return html``;
  if (cannot.size === 0 && others.length === 0) {
    return html`<p class="answer">
      ${severityTag('ok', 'Yes')} All ${plural(rows.length, 'domain')} can activate all
      ${plural(products, 'product')}.
    </p>`;
  }
  const count = (severity: Severity) => others.filter((r) => r.severity === severity).length;
  const notes = [
    [count('critical'), 'with critical problems'],
    [count('unknown'), 'unknown'],
    [count('warning'), 'with warnings'],
  ] as const;
  const tail = notes
    .filter(([n]) => n > 0)
    .map(([n, what]) => `; ${plural(n, 'domain')} ${what}`)
    .join('');
  const tag =
    cannot.size > 0
      ? severityTag('critical', 'No')
      : severityTag(count('critical') > 0 ? 'critical' : 'warning', 'Yes, but');
  return html`<p class="answer">
    ${tag}
    ${cannot.size > 0 ? html`<strong>${cannot.size} of ${rows.length}</strong> domains cannot activate every product` : `every domain can activate every product`}${tail}.
  </p>`;
}

function filterLink(label: SafeHtml | string, href: string, current: boolean): SafeHtml {
  return current
    ? html`<a href="${href}" aria-current="true" class="current">${label}</a>`
    : html`<a href="${href}">${label}</a>`;
}

function renderFilters(
  rows: readonly MatrixRow[],
  products: readonly string[],
  f: MatrixFilter,
  ctx: RenderContext,
): SafeHtml {
  const counts = (s: StatusFilter) =>
    rows.filter((r) => statusMatches(s, rowStatus(r, f.product))).length;
  const statusLinks = [
    filterLink('all', filterHref(ctx.base, f, { status: null }), f.status === null),
    ...STATUS_FILTERS.map((s) =>
      filterLink(`${s} (${counts(s)})`, filterHref(ctx.base, f, { status: s }), f.status === s),
    ),
  ];
  const productLinks = [
    filterLink('all', filterHref(ctx.base, f, { product: null }), f.product === null),
    ...products.map((p) =>
      filterLink(html`<code>${p}</code>`, filterHref(ctx.base, f, { product: p }), f.product === p),
    ),
  ];
  return html`<nav class="filters" aria-label="Filter the domains">
    <p><span class="label">Status</span> ${join(statusLinks, ' ')}</p>
    ${products.length > 1 ? html`<p><span class="label">Product</span> ${join(productLinks, ' ')}</p>` : ''}
    <form method="get" action="${ctx.base === '' ? './' : ctx.base}" role="search">
      ${f.status !== null ? html`<input type="hidden" name="status" value="${f.status}" />` : ''}
      ${f.product !== null ? html`<input type="hidden" name="product" value="${f.product}" />` : ''}
      <label
        ><span class="label">Domain</span>
        <input
          type="search"
          name="domain"
          value="${f.domain}"
          maxlength="253"
          pattern="[A-Za-z0-9._\\-]*"
          placeholder="part of a name"
      /></label>
      <button type="submit">Search</button>
      ${isFiltered(f) ? html`<a href="${filterHref(ctx.base, f, { status: null, product: null, domain: '' })}">clear filters</a>` : ''}
    </form>
  </nav>`;
}

function pager(total: number, f: MatrixFilter, ctx: RenderContext): SafeHtml {
  const pages = Math.max(1, Math.ceil(total / PAGE_ROWS));
  const from = (f.page - 1) * PAGE_ROWS + 1;
  const to = Math.min(total, f.page * PAGE_ROWS);
  const where =
    total === 0
      ? 'No domain matches.'
      : from > total
        ? `Page ${f.page} is past the last (${pages}) of ${plural(total, 'domain')}.`
        : `Domains ${from}–${to} of ${total}`;
  return html`<p class="pager">
    ${where}
    ${f.page > 1 ? html` · <a href="${filterHref(ctx.base, f, { page: Math.min(f.page - 1, pages) })}" rel="prev">← previous</a>` : ''}
    ${f.page < pages ? html` · <a href="${filterHref(ctx.base, f, { page: f.page + 1 })}" rel="next">next →</a>` : ''}
  </p>`;
}

/** The rows `/` shows without filters: all of a small estate, else problems and summaries. */
function firstScreen(
  rows: readonly MatrixRow[],
  products: readonly string[],
  f: MatrixFilter,
  ctx: RenderContext,
): SafeHtml[] {
  if (rows.length <= FIRST_SCREEN) return rows.map((r) => row(r, products, ctx));
  // Leave room for a summary line per status below the rows.
  const shown = rows.filter((r) => r.severity !== 'ok').slice(0, FIRST_SCREEN - 4);
  const rest = rows.slice(shown.length);
  const out = shown.map((r) => row(r, products, ctx));
  for (const severity of ['critical', 'unknown', 'warning', 'ok'] as const) {
    const group = rest.filter((r) => r.severity === severity);
    if (group.length > 0) {
      out.push(summaryRow(severity, group, products.length + 1, f, ctx, severity !== 'ok'));
    }
  }
  return out;
}

/** The matrix's columns: planned products have no verdict today (their readiness is on the domain page). */
export function matrixProducts(view: StatusView): string[] {
  return view.products.filter((p) => !p.planned).map((p) => p.product);
}

export function renderMatrix(view: StatusView, ctx: RenderContext, f: MatrixFilter): SafeHtml {
  const all = matrixProducts(view);
  const products = f.product === null ? all : [f.product];
  const rows = matrixRows(view, ctx);
  let body: SafeHtml[];
  let footer: SafeHtml | '' = '';
  if (isFiltered(f)) {
    const matching = rows.filter(
      (r) => statusMatches(f.status, rowStatus(r, f.product)) && r.domain.includes(f.domain),
    );
    body = matching
      .slice((f.page - 1) * PAGE_ROWS, f.page * PAGE_ROWS)
      .map((r) => row(r, products, ctx));
    footer = pager(matching.length, f, ctx);
  } else {
    body = firstScreen(rows, products, f, ctx);
  }
  return html`<section aria-labelledby="matrix-h" class="matrix-section">
    <h2 id="matrix-h">Can every domain activate every product?</h2>
    ${answer(rows, all.length)}
    ${
      rows.length === 0
        ? html`<p class="muted">
            No domains are watched: only the hosts listed in the configuration.
          </p>`
        : html`${renderTable({
            className: 'matrix',
            caption: html`Working KMS machines per domain and product
              <span class="muted">(✓ can activate, ✖ cannot; a click opens the domain)</span>`,
            columns: ['Domain', ...products.map((p) => html`<code>${p}</code>`)],
            rows: body,
          })}
          ${footer} ${renderFilters(rows, all, f, ctx)}`
    }
  </section>`;
}
