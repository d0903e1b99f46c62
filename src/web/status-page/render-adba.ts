/**
 * The ADBA section of the status page (docs/adba.md): per forest, whether its activation
 * objects could be read (with the named reason), the objects (forged-looking ones marked
 * with their evidence), what changed since the read before, and the combined coverage:
 * which product groups ADBA serves and which clients still need KMS. Nothing when no forest
 * is configured.
 */
import type { AdbaForestView } from '../../monitor/adba-view.js';
import { severityTag } from './badges.js';
import { formatSeconds, formatTimestamp, plural } from './format.js';
import { html, type SafeHtml } from './html.js';
import { renderTable } from './render-table.js';

function readLine(f: AdbaForestView): SafeHtml {
  if (f.status === 'pending') return html`<p class="muted">No read has finished yet.</p>`;
  const when = f.lastReadAt === null ? '' : formatTimestamp(f.lastReadAt);
  if (f.error !== null) {
    const seen =
      f.lastSuccessAt === null
        ? 'never read successfully'
        : `objects below as last read ${formatTimestamp(f.lastSuccessAt)}`;
    return html`<p>
      ${severityTag('warning', `unreadable: ${f.error.reason}`)} ${f.error.message} (${when},
      ${f.error.phase}); ${seen}.
    </p>`;
  }
  return html`<p>
    ${severityTag('ok', 'read')} ${when} in ${formatSeconds(f.durationSeconds)} ·
    ${plural(f.objects.length, 'activation object')} under <code>${f.container ?? ''}</code>
    ${f.truncated ? html` · <strong>more objects than the collector reads</strong>` : ''}
  </p>`;
}

function objectRows(f: AdbaForestView): SafeHtml[] {
  return f.objects.map(
    (o) =>
      html`<tr>
        <th scope="row">
          ${o.displayName ?? o.cn ?? o.dn}
          ${o.forged.length > 0 ? severityTag('critical', 'looks forged') : ''}
        </th>
        <td><code>${o.csvlkPid ?? '—'}</code>${o.pid?.csvlk ? html`<br />${o.pid.csvlk}` : ''}</td>
        <td><code>${o.skuId ?? '—'}</code></td>
        <td><code>${o.partialProductKey ?? '—'}</code></td>
        <td>${o.kmsIds.map((k) => k.product ?? k.kmsCountedId).join(', ')}</td>
        <td>${o.created ?? '—'}</td>
        <td>${o.forged.length > 0 ? o.forged.map((e) => e.detail).join('; ') : 'none'}</td>
      </tr>`,
  );
}

function changes(f: AdbaForestView): SafeHtml {
  const { appeared, changed, disappeared } = f.changes;
  if (appeared.length + changed.length + disappeared.length === 0) return html``;
  const name = (o: { dn: string; name: string | null }) => o.name ?? o.dn;
  return html`<ul>
    ${appeared.map((o) => html`<li>appeared: ${name(o)}</li>`)}
    ${changed.map((o) => html`<li>changed: ${name(o)} (${o.attributes.join(', ')})</li>`)}
    ${disappeared.map((o) => html`<li>disappeared: ${name(o)}</li>`)}
  </ul>`;
}

function coverageRows(f: AdbaForestView): SafeHtml[] {
  return f.coverage.map(
    (c) =>
      html`<tr>
        <th scope="row">${c.productName}</th>
        <td>
          ${c.covered ? severityTag('ok', 'ADBA covers it') : severityTag('warning', 'KMS only')}
        </td>
        <td>${c.note}</td>
      </tr>`,
  );
}

function renderForest(f: AdbaForestView): SafeHtml {
  return html`<article class="card" aria-label="ADBA forest ${f.forest}">
    <h3>
      Forest ${f.forest} <small><code>${f.url}</code></small>
    </h3>
    ${readLine(f)} ${changes(f)}
    ${
      f.objects.length === 0
        ? ''
        : renderTable({
            caption: 'Activation objects',
            columns: ['Name', 'CSVLK PID', 'SKU ID', 'Key', 'Enables', 'Created', 'Forgery signs'],
            rows: objectRows(f),
          })
    }
    ${
      f.coverage.length === 0
        ? ''
        : renderTable({
            caption: 'Coverage: ADBA never replaces KMS for older releases and workgroup machines',
            columns: ['Product group', 'ADBA', 'Who still needs KMS'],
            rows: coverageRows(f),
          })
    }
  </article>`;
}

export function renderAdbaSection(forests: readonly AdbaForestView[] | undefined): SafeHtml {
  if (forests === undefined || forests.length === 0) return html``;
  return html`<section aria-labelledby="adba-h">
    <h2 id="adba-h">Active Directory-Based Activation (${forests.length})</h2>
    ${forests.map(renderForest)}
  </section>`;
}
