/**
 * The top of `/`: the overall status as `kms-monitor check` judges it, the figures an
 * admin wants in two seconds (domains OK, hosts up, products below threshold, failing
 * exchanges), the problems in words, and the products with their thresholds.
 */
import type { Problem, Severity } from '../../monitor/evaluate.js';
import type { StatusView } from '../../monitor/status-view.js';
import { findProduct } from '../../kms/products/index.js';
import type { Assessment } from './assessment.js';
import { severityTag } from './badges.js';
import type { RenderContext } from './context.js';
import { domainHref, hostHref } from './format.js';
import { html, type SafeHtml } from './html.js';
import { renderTable } from './render-table.js';

/** A page with thousands of failing hosts lists this many problems and counts the rest. */
const MAX_PROBLEMS = 200;

function figure(label: string, value: string, severity: Severity, note?: string): SafeHtml {
  return html`<li class="${severity}">
    <span class="label">${label}</span>
    <span class="figure">${value}</span>${note ? html` <span class="muted">${note}</span>` : ''}
  </li>`;
}

export function renderSummary(a: Assessment): SafeHtml {
  const s = a.summary;
  const hostNote = [
    s.hostsDown > 0 ? `${s.hostsDown} down` : '',
    s.hostsUnknown > 0 ? `${s.hostsUnknown} not probed yet` : '',
  ]
    .filter((x) => x !== '')
    .join(', ');
  return html`<ul class="summary" aria-label="Summary">
    ${figure('Overall', a.status.toUpperCase(), a.status)}
    ${figure('Domains OK', `${s.domainsOk} of ${s.domains}`, s.domainsOk === s.domains ? 'ok' : worstDomainSeverity(a))}
    ${figure('Hosts up', `${s.hostsUp} of ${s.hosts}`, s.hostsDown > 0 ? 'warning' : s.hostsUnknown > 0 ? 'unknown' : 'ok', hostNote || undefined)}
    ${figure('Products below threshold', String(s.belowThreshold), s.belowThreshold > 0 ? 'warning' : 'ok', `of ${s.productResults} host × product results`)}
    ${figure('Exchanges failing', String(s.productsFailing), s.productsFailing > 0 ? 'warning' : 'ok', `of ${s.productResults}`)}
  </ul>`;
}

function worstDomainSeverity(a: Assessment): Severity {
  const values = [...a.domainSeverity.values()];
  return values.includes('critical') ? 'critical' : 'warning';
}

function problemLink(p: Problem, ctx: RenderContext): SafeHtml {
  if (p.host !== undefined && ctx.assessment.hostsByKey.has(p.host)) {
    return html` <a href="${hostHref(ctx.base, p.host)}">host</a>`;
  }
  if (p.domain !== undefined) {
    return html` <a href="${domainHref(ctx.base, p.domain)}">domain</a>`;
  }
  return html``;
}

export function renderProblems(
  problems: readonly Problem[],
  ctx: RenderContext,
  limit = MAX_PROBLEMS,
): SafeHtml {
  if (problems.length === 0) {
    return html`<p>${severityTag('ok')} No problems: every domain can activate every product.</p>`;
  }
  // Critical first; evaluate() lists them in the order it checks, which is kept within a level.
  const ordered = [
    ...problems.filter((p) => p.severity === 'critical'),
    ...problems.filter((p) => p.severity === 'unknown'),
    ...problems.filter((p) => p.severity === 'warning'),
  ];
  const shown = ordered.slice(0, limit);
  return html`<ul class="problems">
      ${shown.map((p) => html`<li>${severityTag(p.severity)} ${p.message}${problemLink(p, ctx)}</li>`)}
    </ul>
    ${ordered.length > shown.length ? html`<p class="muted">${ordered.length - shown.length} more problems are not listed here; the pages of the domains and hosts show them.</p>` : ''}`;
}

export function renderProducts(view: StatusView): SafeHtml {
  if (view.products.length === 0) return html``;
  const rows = view.products.map(({ product, threshold }) => {
    let activating = 0;
    let probed = 0;
    let below = 0;
    for (const h of view.hosts) {
      const p = h.products.find((x) => x.product === product);
      if (!p) continue;
      probed++;
      if (p.success) activating++;
      if (p.success && p.activeClients !== null && p.activeClients < p.threshold) below++;
    }
    const name = findProduct(product)?.name;
    return html`<tr>
      <th scope="row">
        <code>${product}</code>${name ? html` <span class="muted">${name}</span>` : ''}
      </th>
      <td>${threshold}</td>
      <td>${threshold * 2}</td>
      <td>${activating} of ${probed}</td>
      <td>${below}</td>
    </tr>`;
  });
  return html`${renderTable({
      className: 'products',
      caption: 'Products probed on every host',
      columns: ['Product', 'Threshold N', 'Count cap 2N', 'Hosts activating', 'Hosts below N'],
      rows,
    })}
    <p class="muted">
      N is the count a host needs before it activates clients of the product (25 Windows clients, 5
      servers, 5 Office). A host reports at most 2N, and the count includes this monitor's own
      client ID.
    </p>`;
}
