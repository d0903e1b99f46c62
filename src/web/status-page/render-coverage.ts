/**
 * A domain's coverage (docs/coverage.md): whether each planned product would activate
 * there now and the shortest fix, and the coverage model's verdict for every product on
 * every host the domain publishes. Everything comes from the one evaluation.
 */
import type { Severity } from '../../monitor/evaluate.js';
import type { CoverageLabel } from '../../monitor/host-coverage.js';
import type { ViewDomain } from './assessment.js';
import { severityTag } from './badges.js';
import type { RenderContext } from './context.js';
import { hostHref, hostKey } from './format.js';
import { html, join, type SafeHtml } from './html.js';
import { renderTable } from './render-table.js';

const VERDICT_SEVERITY: Record<CoverageLabel, Severity> = {
  activates: 'ok',
  refused: 'critical',
  'predicted-activates': 'ok',
  'predicted-activates-with-update': 'warning',
  'predicted-refused': 'warning',
  unknown: 'unknown',
};

function renderReadiness(domain: string, ctx: RenderContext): SafeHtml | '' {
  const rows = ctx.assessment.readiness.filter((r) => r.domain === domain);
  if (rows.length === 0) return '';
  return renderTable({
    className: 'readiness',
    caption: 'Planned products: would they activate here now?',
    columns: ['Product', 'Ready', 'Why not', 'Shortest fix'],
    rows: rows.map(
      (r) =>
        html`<tr>
          <th scope="row">${r.product}</th>
          <td>${r.ready ? severityTag('ok', 'ready') : severityTag('warning', 'not ready')}</td>
          <td>${r.reasons.length > 0 ? join(r.reasons, '; ') : '—'}</td>
          <td>
            ${r.fix === null ? '—' : html`${r.fixHost ? html`<strong>${r.fixHost}</strong>: ` : ''}${r.fix}`}
          </td>
        </tr>`,
    ),
  });
}

/**
 * The product × host verdicts of the hosts the domain publishes: a row per product group
 * and a column per host, since a domain has few hosts and the model many groups (a
 * column per group would not fit a screen).
 */
function renderMatrix(d: ViewDomain, ctx: RenderContext): SafeHtml | '' {
  const keys = [...new Set(d.resolvers.flatMap((r) => r.records.map(hostKey)))];
  const hosts = keys.flatMap((k) => ctx.assessment.coverage.find((c) => c.host === k) ?? []);
  const products = hosts[0]?.cells.map((c) => c.product) ?? [];
  if (hosts.length === 0 || products.length === 0) return '';
  const osRow = html`<tr>
    <th scope="row">Host OS and keys</th>
    ${hosts.map(
      (c) =>
        html`<td>
          ${c.hostOs ?? 'not known yet'}${c.keys.length > 0 ? html`<br /><span class="muted">${join(c.keys, ', ')}</span>` : ''}
        </td>`,
    )}
  </tr>`;
  const productRows = products.map(
    (product) =>
      html`<tr>
        <th scope="row">${product}</th>
        ${hosts.map((c) => {
          const cell = c.cells.find((x) => x.product === product);
          if (cell === undefined) return html`<td></td>`;
          return html`<td class="verdict-${cell.verdict}">
            ${severityTag(VERDICT_SEVERITY[cell.verdict], cell.verdict)}
            <span class="muted">${cell.text}</span>
          </td>`;
        })}
      </tr>`,
  );
  return html`<div class="coverage">
    ${renderTable({
      className: 'coverage-matrix',
      caption: 'Coverage: what each host activates, and why not (docs/coverage.md)',
      columns: [
        'Product group',
        ...hosts.map((c) => html`<a href="${hostHref(ctx.base, c.host)}">${c.host}</a>`),
      ],
      rows: [osRow, ...productRows],
    })}
  </div>`;
}

/** Each machine's count and their sum against N (docs/coverage.md §9). */
function renderCounts(domain: string, ctx: RenderContext): SafeHtml | '' {
  const rows = ctx.assessment.counts.filter((c) => c.domain === domain && c.hosts.length > 1);
  if (rows.length === 0) return '';
  return html`<ul class="counts">
    ${rows.map(
      (c) =>
        html`<li>
          <strong>${c.product}</strong>: ${c.total} in total against N = ${c.threshold}
          (${join(
            c.hosts.map((h) => `${h.host} ${h.count}`),
            ', ',
          )})${c.hosts.some((h) => h.count < c.threshold) ? html` — ${severityTag('warning', 'split')} a host below N activates nobody, whatever the sum` : ''}
        </li>`,
    )}
  </ul>`;
}

/** Said under every record table: why priority and weight do not move most clients. */
export const HOST_CACHING_NOTE =
  'Clients with host caching (the default) keep using the host they last activated with: ' +
  'priority and weight only decide when they look the host up again (slmgr /ckhc turns ' +
  'caching off; docs/coverage.md §9).';

export function renderDomainCoverage(d: ViewDomain, ctx: RenderContext): SafeHtml {
  return html`${renderReadiness(d.domain, ctx)}${renderCounts(d.domain, ctx)}${renderMatrix(d, ctx)}`;
}
