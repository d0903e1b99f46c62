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
/** A page shows the same few tags thousands of times; they are made once. */
const made = new Map<string, SafeHtml>();
const MAX_MADE = 1024;

export function severityTag(severity: Severity, label?: string): SafeHtml {
  const { symbol, text } = SEVERITY_TEXT[severity];
  const key = `${severity}\n${label ?? text}`;
  let tag = made.get(key);
  if (tag === undefined) {
    tag = html`<span class="tag ${severity}"
      ><span aria-hidden="true">${symbol}</span> ${label ?? text}</span
    >`;
    // Labels can carry a host's error code: bounded, so no host can grow it for ever.
    if (made.size >= MAX_MADE) made.clear();
    made.set(key, tag);
  }
  return tag;
}

/** Success or failure of one probe, with the failure's reason as the word. */
export function outcomeTag(success: boolean, reason?: string | null): SafeHtml {
  return success ? severityTag('ok', 'ok') : severityTag('critical', reason ?? 'failed');
}
