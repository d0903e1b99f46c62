/**
 * A product's client count against its threshold N, as a bar on a 0…2N scale: a KMS host
 * reports at most 2N, so the threshold always sits in the middle. The bar is decoration
 * (aria-hidden), the threshold a line drawn by the stylesheet; the words beside it say the same. Widths come from classes (p0…p100),
 * because the Content-Security-Policy forbids inline styles.
 */
import type { KmsProductResult } from '../../kms/client/index.js';
import { html, type SafeHtml } from './html.js';

export function isBelowThreshold(p: KmsProductResult): boolean {
  return p.success && p.activeClients !== null && p.activeClients < p.threshold;
}

export function renderCount(p: KmsProductResult): SafeHtml {
  const n = p.threshold;
  const cap = 2 * n;
  if (p.activeClients === null) return html`<span class="muted">— (N = ${n})</span>`;
  const count = p.activeClients;
  const percent = cap > 0 ? Math.max(0, Math.min(100, Math.round((count / cap) * 100))) : 0;
  // A host counts per application and reports up to twice the largest N it has seen, so
  // a product with a small N (Windows Server, 5) can show a count above its own 2N.
  const note =
    count > cap
      ? 'shared with products of a larger N'
      : count === cap
        ? `at 2N = ${cap}: there may be more clients`
        : `reported up to 2N = ${cap}`;
  return html`<div class="count ${isBelowThreshold(p) ? 'below' : 'enough'}">
    <span class="bar" aria-hidden="true"><span class="fill p${percent}"></span></span>
    <span
      ><strong class="num">${count}</strong> of N = ${n} <span class="muted">(${note})</span></span
    >
  </div>`;
}
