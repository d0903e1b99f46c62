/**
 * One host's card: reachability and latency; per product the result and the count
 * against the threshold; the ePID decoded (grouped, since the products of one application
 * share it), HWID and intervals; and every failure explained with Microsoft's meaning and
 * the fix. Used on `/` (one card per host) and on the host's own page.
 */
import { findProduct } from '../../kms/products/index.js';
import type { KmsProductResult } from '../../kms/client/index.js';
import { findingClientInfo } from './advice.js';
import { FINDINGS } from '../../monitor/findings.js';
import type { ViewHost } from './assessment.js';
import { severityTag } from './badges.js';
import type { RenderContext } from './context.js';
import {
  anchorId,
  formatAge,
  formatMinutes,
  formatSeconds,
  formatTimestamp,
  hostHref,
  hostKey,
} from './format.js';
import { html, join, type SafeHtml } from './html.js';
import { renderTable } from './render-table.js';
import { isBelowThreshold, renderCount } from './render-count.js';
import { renderEpid } from './render-epid.js';
import { renderTrust } from './render-trust.js';
import { renderKmsError } from './render-error.js';
import { renderHostHistory } from './render-host-history.js';

function ago(ctx: RenderContext, iso: string): SafeHtml {
  const at = Date.parse(iso);
  return Number.isNaN(at)
    ? html``
    : html`<time datetime="${iso}" title="${formatTimestamp(iso)}"
        >${formatAge(at, ctx.now)}</time
      >`;
}

/** Every address probed, when there is more than one: a client falls back along them. */
function renderAddresses(h: ViewHost): SafeHtml | '' {
  if (h.reachability.length < 2) return '';
  return html`<ul class="addresses" aria-label="Addresses">
    ${h.reachability.map(
      (a) =>
        html`<li>
          <code>${a.address ?? '?'}</code>
          ${
            a.up
              ? severityTag('ok', 'accepts connections')
              : html`${severityTag('warning', a.error?.reason ?? 'down')} ${a.error?.message ?? ''}`
          }
        </li>`,
    )}
  </ul>`;
}

function renderReachability(h: ViewHost, ctx: RenderContext): SafeHtml {
  if (h.tcp === null) return html`<p>${severityTag('unknown', 'not probed yet')}</p>`;
  return html`${renderTcp(h, h.tcp, ctx)}${renderAddresses(h)}`;
}

function renderTcp(h: ViewHost, tcp: NonNullable<ViewHost['tcp']>, ctx: RenderContext): SafeHtml {
  const addr = tcp.address ? html` to <code>${tcp.address}</code>` : '';
  if (tcp.up) {
    return html`<p>
      ${severityTag('ok', 'reachable')} TCP connect${addr} in ${formatSeconds(tcp.durationSeconds)},
      ${ago(ctx, tcp.timestamp)}
    </p>`;
  }
  return html`<p>
      ${severityTag('critical', 'unreachable')} TCP connect${addr} failed after
      ${formatSeconds(tcp.durationSeconds)},
      ${ago(ctx, tcp.timestamp)}${h.domains.length > 0 ? html`; clients in ${join(h.domains, ', ')} still find it in DNS: a stale SRV record?` : ''}
    </p>
    ${tcp.error ? renderKmsError(tcp.error) : ''}`;
}

function resultTag(p: KmsProductResult): SafeHtml {
  if (!p.success) {
    return severityTag(
      'critical',
      p.error?.code ? `${p.error.reason} ${p.error.code}` : (p.error?.reason ?? 'failed'),
    );
  }
  return isBelowThreshold(p)
    ? severityTag('warning', 'below threshold')
    : severityTag('ok', 'activates');
}

function renderProductRow(p: KmsProductResult): SafeHtml {
  const name = findProduct(p.product)?.name;
  return html`<tr>
    <th scope="row">
      <code>${p.product}</code>${name ? html`<br /><span class="muted">${name}</span>` : ''}
    </th>
    <td>${resultTag(p)}</td>
    <td>${renderCount(p)}</td>
  </tr>`;
}

/** The heading of a product's problem, one level below the card's own. */
function problemHeading(p: KmsProductResult, cardLevel: 2 | 3): SafeHtml {
  return cardLevel === 3
    ? html`<h4><code>${p.product}</code></h4>`
    : html`<h3><code>${p.product}</code></h3>`;
}

function renderProductProblem(h: ViewHost, p: KmsProductResult, cardLevel: 2 | 3): SafeHtml {
  // A host that is down fails every product the same way; the reachability line has said it.
  if (p.error && h.tcp?.up === false && p.error.reason === h.tcp.error?.reason) return html``;
  if (p.error)
    return html`<div class="problem">
      ${problemHeading(p, cardLevel)} ${renderKmsError(p.error)}
    </div>`;
  if (!isBelowThreshold(p)) return html``;
  const info = findingClientInfo('count_below_threshold');
  return html`<div class="problem">
    ${problemHeading(p, cardLevel)}
    <div class="error warning">
      <p>
        <strong>${p.activeClients ?? 0} of ${p.threshold}</strong>: below the threshold, so its
        clients get
        <code class="hresult">${FINDINGS.count_below_threshold.clientsSee}</code
        >${info ? html` (<code>${info.name}</code>)` : ''}.
      </p>
      ${
        info
          ? html`<p><span class="label">Meaning:</span> ${info.meaning}</p>
              <p><span class="label">Fix:</span> ${info.fix}</p>`
          : ''
      }
    </div>
  </div>`;
}

/**
 * Values shared by several products listed once, with the products they belong to. A
 * host has a handful of products, so a linear search beats a Map here.
 */
function grouped(
  products: readonly KmsProductResult[],
  value: (p: KmsProductResult) => string | null,
): Array<{ value: string; products: string[] }> {
  const groups: Array<{ value: string; products: string[] }> = [];
  for (const p of products) {
    const v = value(p);
    if (v === null) continue;
    const g = groups.find((x) => x.value === v);
    if (g) g.products.push(p.product);
    else groups.push({ value: v, products: [p.product] });
  }
  return groups;
}

const intervalsOf = (p: KmsProductResult): string | null =>
  p.activationIntervalMinutes === null && p.renewalIntervalMinutes === null
    ? null
    : `activation ${formatMinutes(p.activationIntervalMinutes)}, renewal ${formatMinutes(p.renewalIntervalMinutes)}`;
const protocolOf = (p: KmsProductResult): string | null =>
  p.protocol === null ? null : `protocol ${p.protocol}`;

function forWhich(products: string[], total: number): SafeHtml {
  return products.length === total
    ? html``
    : html` <span class="muted">(for ${join(products, ', ')})</span>`;
}

function renderDetails(h: ViewHost, ctx: RenderContext): SafeHtml {
  const answered = h.products.filter((p) => p.epid !== null || p.success);
  if (answered.length === 0) return html``;
  const total = answered.length;
  const epids = grouped(answered, (p) => p.epid);
  const hwids = grouped(answered, (p) => p.hwid);
  const intervals = grouped(answered, intervalsOf);
  const protocols = grouped(answered, protocolOf);
  const addresses = grouped(answered, (p) => p.address);
  let latest = answered[0]!;
  let fastest = latest.durationSeconds;
  let slowest = latest.durationSeconds;
  for (const p of answered) {
    if (p.timestamp > latest.timestamp) latest = p;
    fastest = Math.min(fastest, p.durationSeconds);
    slowest = Math.max(slowest, p.durationSeconds);
  }
  const took =
    fastest === slowest
      ? formatSeconds(fastest)
      : `${formatSeconds(fastest)}–${formatSeconds(slowest)}`;
  return html`<dl>
    ${epids.map(
      (g) =>
        html`<dt>ePID</dt>
          <dd>${renderEpid(g.value, ctx)}${forWhich(g.products, total)}</dd>`,
    )}
    <dt>HWID</dt>
    <dd>
      ${
        hwids.length === 0
          ? html`<span class="muted">— (only protocol 6 answers carry one)</span>`
          : join(
              hwids.map((g) => html`<code>${g.value}</code>${forWhich(g.products, total)}`),
              '; ',
            )
      }
    </dd>
    ${intervals.map(
      (g) =>
        html`<dt>Intervals</dt>
          <dd>${g.value}${forWhich(g.products, total)}</dd>`,
    )}
    <dt>Exchange</dt>
    <dd>
      ${join(
        protocols.map((g) => html`${g.value}${forWhich(g.products, total)}`),
        '; ',
      )},
      ${took}, ${ago(ctx, latest.timestamp)}
      ${
        addresses.length > 0
          ? html`to
            ${join(
              addresses.map((g) => html`<code>${g.value}</code>${forWhich(g.products, total)}`),
              '; ',
            )}`
          : ''
      }
    </dd>
  </dl>`;
}

const CLIENTS_COLUMN = html`Clients <span class="muted">(incl. this monitor)</span>`;

/** `headingLevel` 3 in the list of cards on `/`, 2 on the host page. */
export function renderHostCard(h: ViewHost, ctx: RenderContext, headingLevel: 2 | 3 = 3): SafeHtml {
  const key = hostKey(h);
  const severity = ctx.assessment.hostSeverity.get(key) ?? 'ok';
  const title = html`<a href="${hostHref(ctx.base, key)}">${key}</a> ${severityTag(severity)}`;
  const heading =
    headingLevel === 3 ? html`<h3>${title}</h3>` : html`<h2 class="card-title">${title}</h2>`;
  const where = [
    h.domains.length > 0 ? html`published in ${join(h.domains, ', ')}` : '',
    h.static ? 'listed in the configuration' : '',
    h.addresses.length > 0 ? html`addresses ${join(h.addresses, ', ')}` : '',
  ].filter((x) => x !== '');
  const products =
    h.products.length === 0
      ? html`<p class="muted">
          No KMS exchange
          yet${h.tcp?.up === false ? ': the host is down' : ': the first sweep has not reached this host'}.
        </p>`
      : join(
          [
            renderTable({
              className: 'host-products',
              columns: ['Product', 'Result', CLIENTS_COLUMN],
              rows: h.products.map(renderProductRow),
            }),
            renderDetails(h, ctx),
            h.products.map((p) => renderProductProblem(h, p, headingLevel)),
          ],
          '\n',
        );
  return html`<article class="card ${severity}" id="${anchorId('host', key)}">
    ${heading}
    <p class="muted">${join(where, ' · ')}</p>
    ${renderReachability(h, ctx)} ${products} ${renderTrust(h.trust)}
    ${renderHostHistory(h, ctx, headingLevel)}
  </article>`;
}
