/**
 * A host's authenticity checks (docs/trust.md): one line, and for every check that is not
 * a pass its verdict and evidence, so an admin can judge it without the monitor.
 */
import type { TrustCheckResult } from '../../kms/trust/index.js';
import type { HostTrust } from '../../monitor/trust.js';
import { severityTag } from './badges.js';
import { html, type SafeHtml } from './html.js';

const TAG = {
  pass: severityTag('ok', 'genuine-like'),
  suspicious: severityTag('warning', 'suspicious'),
  failed: severityTag('critical', 'not genuine'),
  not_run: severityTag('unknown', 'not judged'),
} as const;

function renderCheck(c: TrustCheckResult): SafeHtml {
  return html`<li>${TAG[c.verdict]} <code>${c.check}</code>: ${c.evidence}</li>`;
}

export function renderTrust(trust: HostTrust | null | undefined): SafeHtml | '' {
  if (!trust) return '';
  const ran = trust.checks.filter((c) => c.verdict !== 'not_run');
  const flagged = ran.filter((c) => c.verdict !== 'pass');
  return html`<div class="trust">
    <p>
      <span class="label">Trust:</span> ${TAG[trust.verdict]} ${ran.length - flagged.length} of
      ${trust.checks.length} checks passed${flagged.length > 0 ? '' : '.'}
    </p>
    ${
      flagged.length > 0
        ? html`<ul class="problems">
            ${flagged.map(renderCheck)}
          </ul>`
        : ''
    }
  </div>`;
}
