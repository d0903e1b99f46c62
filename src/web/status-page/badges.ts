/**
 * Status tags. The status is always written out in words with a symbol; colour only
 * repeats it, so it reads the same in a screen reader, in print and to colour-blind eyes.
 */
import type { Severity } from '../../monitor/evaluate.js';
import { html, type SafeHtml } from './html.js';

const SEVERITY_TEXT: Record<Severity, { symbol: string; text: string }> = {
  ok: { symbol: '✓', text: 'OK' },
  warning: { symbol: '⚠', text: 'WARNING' },
  critical: { symbol: '✖', text: 'CRITICAL' },
  unknown: { symbol: '?', text: 'UNKNOWN' },
};

export function severityText(severity: Severity): string {
  return SEVERITY_TEXT[severity].text;
}

/** A tag such as "✓ OK"; `label` replaces the word (e.g. "up", "down"). */
export function severityTag(severity: Severity, label?: string): SafeHtml {
  const { symbol, text } = SEVERITY_TEXT[severity];
  return html`<span class="tag ${severity}"
    ><span aria-hidden="true">${symbol}</span> ${label ?? text}</span
  >`;
}

/** Success or failure of one probe, with the failure's reason as the word. */
export function outcomeTag(success: boolean, reason?: string | null): SafeHtml {
  return success ? severityTag('ok', 'ok') : severityTag('critical', reason ?? 'failed');
}
