/**
 * `kms-monitor check` output in the Nagios/Icinga plugin format (Monitoring Plugins
 * guidelines, "Plugin output"):
 *
 *   KMS <STATUS> - <summary>                 ← the status line, at most 160 characters
 *   <one line per distinct problem>          ← the long output
 *   <inventory: one line per domain and host> | <perfdata item 1>
 *   <perfdata item 2>
 *   ...
 *
 * Perfdata goes after the long output (the plugin API's multi-line form, read by Nagios
 * and Icinga 2 alike), so the status line stays short however many hosts there are.
 * Every name from the network is escaped (control characters shown as `\x1b`, `|` as
 * `\x7c`, which would otherwise start the perfdata) and perfdata labels are cleaned, so a
 * hostile SRV target can neither forge a line nor break the perfdata.
 */
import { UNPRINTABLE_CLASS, escapeText } from '../cli/escape.js';
import type { CheckEvaluation, CheckProblem, CountSample } from '../cli/check-thresholds.js';
import type { GroupedProblem } from '../cli/group-problems.js';
import type { Severity } from '../monitor/evaluate.js';
import type { StatusView } from '../monitor/status-view.js';
import { adbaInventory } from './check-adba.js';

const LABEL: Record<Severity, string> = {
  ok: 'OK',
  warning: 'WARNING',
  critical: 'CRITICAL',
  unknown: 'UNKNOWN',
};

/** Pager-friendly: the guidelines ask for "probably less than 80"; names are longer. */
export const MAX_STATUS_LINE = 160;

/** Human text of a check line: escaped, and no `|` (Nagios splits the perfdata there). */
export function checkText(text: string): string {
  return escapeText(text).replaceAll('|', '\\x7c');
}

/** Cuts raw text so its escaped form fits `max` characters, never inside an escape. */
function fit(text: string, max: number): string {
  if (checkText(text).length <= max) return checkText(text);
  const chars = Array.from(text);
  let keep = Math.min(chars.length, max);
  while (keep > 0 && checkText(chars.slice(0, keep).join('')).length + 1 > max) keep--;
  return `${checkText(chars.slice(0, keep).join(''))}…`;
}

export interface CheckReport {
  view: StatusView;
  evaluation: CheckEvaluation;
  problems: readonly GroupedProblem<CheckProblem>[];
  samples: readonly CountSample[];
}

export function summaryLine({ view, evaluation, problems }: CheckReport): string {
  const head = `KMS ${LABEL[evaluation.status]} - `;
  const up = view.hosts.filter((h) => h.tcp?.up).length;
  let text: string;
  if (evaluation.status === 'ok') {
    text = `${view.domains.length} domain(s), ${up}/${view.hosts.length} host(s) up, ${view.products.length} product(s): every domain can activate every product`;
  } else {
    const order: Severity[] = ['critical', 'unknown', 'warning'];
    const first = order.map((s) => problems.find((p) => p.severity === s)).find(Boolean);
    const more = problems.length - 1;
    const tail = more > 0 ? ` (+${more} more)` : '';
    return (
      head + fit(first?.message ?? 'unknown', MAX_STATUS_LINE - head.length - tail.length) + tail
    );
  }
  return head + fit(text, MAX_STATUS_LINE - head.length);
}

const LABEL_UNSAFE = new RegExp(`['=|${UNPRINTABLE_CLASS}]`, 'gu');

/**
 * A perfdata label: what the guidelines forbid or parsers split on (`'`, `=`, `|`) and
 * every control or invisible character become `_`; always quoted (it holds a space).
 */
export function perfdataLabel(text: string): string {
  return `'${text.replace(LABEL_UNSAFE, '_')}'`;
}

/** `'host:port product'=count;warn;crit;0;` — no max: the count's cap is 2 × the largest N seen. */
export function perfdataItems(samples: readonly CountSample[]): string[] {
  return samples.map(
    (s) => `${perfdataLabel(`${s.host} ${s.product}`)}=${s.count};${s.warn};${s.crit};0;`,
  );
}

function inventory(view: StatusView): string[] {
  const lines: string[] = [];
  for (const d of view.domains) {
    const hosts = new Set(
      d.resolvers.flatMap((r) => r.records.map((rec) => `${rec.host}:${rec.port}`)),
    );
    lines.push(
      `domain ${d.domain}: ${hosts.size} host(s) published${d.resolversDisagree ? ', resolvers disagree' : ''}`,
    );
  }
  for (const h of view.hosts) {
    const products = h.products
      .map((p) =>
        p.success
          ? `${p.product} ${p.activeClients}/${p.threshold}`
          : `${p.product} ${p.error?.reason ?? 'failed'}${p.error?.code ? ` ${p.error.code}` : ''}`,
      )
      .join(', ');
    const key = h.host.includes(':') ? `[${h.host}]:${h.port}` : `${h.host}:${h.port}`;
    lines.push(`host ${key} ${h.tcp?.up ? 'up' : 'down'}${products ? `: ${products}` : ''}`);
  }
  lines.push(...adbaInventory(view));
  return lines;
}

export function formatCheck(report: CheckReport): string {
  const lines = [summaryLine(report)];
  for (const p of report.problems) lines.push(checkText(`${LABEL[p.severity]}: ${p.message}`));
  lines.push(...inventory(report.view).map(checkText));
  const perfdata = perfdataItems(report.samples);
  if (perfdata.length > 0) {
    // The multi-line form needs a long-output line to carry the `|`.
    if (lines.length === 1) lines.push('perfdata');
    lines[lines.length - 1] += ` | ${perfdata[0]}`;
    lines.push(...perfdata.slice(1));
  }
  return `${lines.join('\n')}\n`;
}
