/**
 * One section per domain: its `_vlmcs._tcp` records as each resolver returns them, in
 * the order clients try them (priority ascending; within a priority clients pick at
 * random in proportion to weight, so the share is shown), with records that not every
 * resolver returns marked. A failed lookup or a domain without a record says why.
 */
import type { ViewDomain } from './assessment.js';
import { severityTag } from './badges.js';
import type { RenderContext } from './context.js';
import { FINDINGS } from '../../monitor/findings.js';
import { anchorId, formatSeconds, formatTtl, hostHref, hostKey, plural } from './format.js';
import { html, join, type SafeHtml } from './html.js';
import { renderTable } from './render-table.js';
import { HOST_CACHING_NOTE, renderDomainCoverage } from './render-coverage.js';

type Resolver = ViewDomain['resolvers'][number];
type SrvRecord = Resolver['records'][number];

function recordKey(r: SrvRecord): string {
  return `${hostKey(r)}/${r.priority}/${r.weight}`;
}

/** RFC 2782: the chance a client picks this record first among those of its priority. */
function shares(records: readonly SrvRecord[]): Map<SrvRecord, number> {
  const total = new Map<number, { weight: number; count: number }>();
  for (const r of records) {
    const t = total.get(r.priority) ?? { weight: 0, count: 0 };
    t.weight += r.weight;
    t.count += 1;
    total.set(r.priority, t);
  }
  const out = new Map<SrvRecord, number>();
  for (const r of records) {
    const t = total.get(r.priority)!;
    out.set(r, t.weight === 0 ? 1 / t.count : r.weight / t.weight);
  }
  return out;
}

function renderHostState(key: string, ctx: RenderContext): SafeHtml {
  const host = ctx.assessment.hostsByKey.get(key);
  if (!host || host.tcp === null) return severityTag('unknown', 'not probed');
  if (!host.tcp.up) return severityTag('critical', 'down');
  const severity = ctx.assessment.hostSeverity.get(key) ?? 'ok';
  return severityTag(severity, severity === 'ok' ? 'up' : 'up, with problems');
}

function renderRecords(
  r: Resolver,
  everywhere: ReadonlySet<string> | null,
  ctx: RenderContext,
  ttlOf: (rec: SrvRecord, index: number) => string = (rec) => formatTtl(rec.ttl),
  caption?: string,
): SafeHtml {
  const share = shares(r.records);
  const rows = r.records.map((rec, i) => {
    const key = hostKey(rec);
    const differs = everywhere !== null && !everywhere.has(recordKey(rec));
    const addresses =
      rec.addresses.length > 0
        ? join(rec.addresses, ', ')
        : html`<span class="word-warning">none</span>`;
    return html`<tr${differs ? html` class="differs"` : ''}>
<td>${i + 1}</td><td>${rec.priority}</td><td>${rec.weight}</td><td>${Math.round((share.get(rec) ?? 0) * 100)}%</td>
<th scope="row"><a href="${hostHref(ctx.base, key)}">${rec.host}</a>${differs ? html` <span class="tag warning"><span aria-hidden="true">≠</span> not at every resolver</span>` : ''}</th>
<td>${rec.port}</td><td>${ttlOf(rec, i)}</td>
<td>${addresses}${rec.addressError ? html` <span class="word-warning">(${rec.addressError.reason}: ${rec.addressError.message})</span>` : ''}</td>
<td>${renderHostState(key, ctx)}</td>
</tr>`;
  });
  return renderTable({
    className: 'records',
    caption,
    columns: ['Order', 'Priority', 'Weight', 'Share', 'Target', 'Port', 'TTL', 'Addresses', 'Host'],
    rows,
  });
}

function resolverHead(r: Resolver): SafeHtml {
  return html`<div class="resolver-head">
    <h4>
      Resolver
      <code>${r.resolver}</code>
      ${r.success ? severityTag(r.records.length > 0 ? 'ok' : 'critical', r.rcode ?? 'answered') : severityTag('critical', `lookup failed: ${r.error?.reason ?? 'unknown'}`)}
    </h4>
    <p class="muted">
      ${r.rcode ? `${r.rcode}, ` : ''}answer TTL ${formatTtl(r.ttl)},
      ${formatSeconds(r.durationSeconds)}
    </p>
  </div>`;
}

function renderResolver(
  r: Resolver,
  everywhere: ReadonlySet<string> | null,
  missingHere: readonly string[],
  ctx: RenderContext,
): SafeHtml {
  const head = resolverHead(r);
  if (!r.success) {
    return html`<div class="resolver">
      ${head}
      <div class="error">
        <p>
          <strong>${r.error?.reason ?? 'failed'}</strong>:
          <span class="message">${r.error?.message ?? ''}</span>
        </p>
        <p>
          This resolver gave no usable answer: clients that ask it cannot find a KMS host and fail
          with <code>${FINDINGS.srv_lookup_failing.clientsSee}</code>.
        </p>
      </div>
    </div>`;
  }
  let body: SafeHtml;
  if (r.serviceUnavailable) {
    body = html`<p class="notice">
      The only record has target “.”: this domain says KMS is decidedly not offered here.
    </p>`;
  } else if (r.records.length === 0) {
    body = html`<div class="error">
      <p>
        <strong>No <code>_vlmcs._tcp</code> record</strong
        >${r.error ? html` (${r.error.reason}: ${r.error.message})` : ''}: clients in this domain
        cannot find a KMS host and fail with <code>${FINDINGS.srv_missing.clientsSee}</code>.
      </p>
      <p><span class="label">Fix:</span> ${FINDINGS.srv_missing.fix}</p>
    </div>`;
  } else {
    body = html`${renderRecords(r, everywhere, ctx)}
      <p class="muted">${HOST_CACHING_NOTE}</p>`;
  }
  return html`<div class="resolver">
    ${head}${body}
    ${r.truncatedRecords > 0 ? html`<p class="notice">${plural(r.truncatedRecords, 'more record')} not shown and not probed (limits.records_per_domain).</p>` : ''}
    ${missingHere.length > 0 ? html`<p class="notice"><span aria-hidden="true">≠</span> Returned by other resolvers but not by this one: ${join(missingHere, ', ')}</p>` : ''}
  </div>`;
}

/** What makes two answers the same to a client: the records in order, with addresses. */
function answerKey(r: Resolver): string {
  return r.records.map((rec) => `${recordKey(rec)}=${rec.addresses.join(' ')}`).join(',');
}

/**
 * Every resolver answered with the same records and nothing else sets them apart: then
 * one table says it all (the common case, and half the page of a large estate).
 */
function agreeing(d: ViewDomain): boolean {
  const first = d.resolvers[0];
  if (d.resolvers.length < 2 || d.resolversDisagree || !first) return false;
  const key = answerKey(first);
  return d.resolvers.every(
    (r) =>
      r.success &&
      r.records.length > 0 &&
      !r.serviceUnavailable &&
      r.truncatedRecords === 0 &&
      answerKey(r) === key,
  );
}

function renderAgreeing(d: ViewDomain, ctx: RenderContext): SafeHtml {
  const first = d.resolvers[0]!;
  // TTLs count down in each resolver's cache, so they may differ while the records agree.
  const ttlOf = (_rec: SrvRecord, i: number) =>
    [...new Set(d.resolvers.map((r) => formatTtl(r.records[i]?.ttl ?? null)))].join(' / ');
  return html`${d.resolvers.map((r) => html`<div class="resolver">${resolverHead(r)}</div>`)}
    ${renderRecords(first, null, ctx, ttlOf, `The same ${plural(first.records.length, 'record')} at every resolver, in the order clients try them`)}
    <p class="muted">${HOST_CACHING_NOTE}</p>`;
}

export function renderDomain(d: ViewDomain, ctx: RenderContext): SafeHtml {
  const severity = ctx.assessment.domainSeverity.get(d.domain) ?? 'ok';
  const answered = d.resolvers.filter((r) => r.success);
  // With two or more answers, a record one of them lacks is what "disagree" means.
  let everywhere: Set<string> | null = null;
  const sets = answered.map((r) => new Set(r.records.map(recordKey)));
  if (sets.length > 1) {
    everywhere = new Set([...(sets[0] ?? [])].filter((k) => sets.every((s) => s.has(k))));
  }
  const union = new Map<string, SrvRecord>();
  for (const r of answered) for (const rec of r.records) union.set(recordKey(rec), rec);
  const problems = ctx.assessment.domainProblems.get(d.domain) ?? [];
  return html`<section
    class="domain ${severity}"
    id="${anchorId('domain', d.domain)}"
    aria-labelledby="${anchorId('domain-h', d.domain)}"
  >
    <h3 id="${anchorId('domain-h', d.domain)}">${d.domain} ${severityTag(severity)}</h3>
    ${d.resolversDisagree ? html`<p class="notice warning"><span aria-hidden="true">≠</span> <strong>Resolvers disagree:</strong> clients get different KMS hosts depending on which resolver they ask. Records marked “not at every resolver” differ.</p>` : ''}
    ${d.missingExpectedHosts.length > 0 ? html`<p class="notice warning"><strong>Expected but not published:</strong> ${join(d.missingExpectedHosts, ', ')}</p>` : ''}
    ${
      problems.length > 0
        ? html`<ul class="problems">
            ${problems.map((p) => html`<li>${severityTag(p.severity)} ${p.message}</li>`)}
          </ul>`
        : ''
    }
    ${renderDomainCoverage(d, ctx)}
    ${
      agreeing(d)
        ? renderAgreeing(d, ctx)
        : d.resolvers.map((r) => {
            const mine = new Set(r.records.map(recordKey));
            const missing =
              everywhere !== null && r.success
                ? [...union.entries()]
                    .filter(([k]) => !mine.has(k))
                    .map(
                      ([, rec]) =>
                        `${hostKey(rec)} (priority ${rec.priority}, weight ${rec.weight})`,
                    )
                : [];
            return renderResolver(r, everywhere, missing, ctx);
          })
    }
  </section>`;
}
