/**
 * `kms-monitor check` output in the Nagios/Icinga plugin format: one status line with the
 * perfdata after `|`, then one line per problem and a short inventory (the "long output").
 */
import type { Evaluation, Severity } from '../monitor/evaluate.js';
import type { StatusView } from '../monitor/status-view.js';

const LABEL: Record<Severity, string> = {
  ok: 'OK',
  warning: 'WARNING',
  critical: 'CRITICAL',
  unknown: 'UNKNOWN',
};

export function summaryLine(view: StatusView, evaluation: Evaluation): string {
  const critical = evaluation.problems.filter((p) => p.severity === 'critical');
  const warnings = evaluation.problems.filter((p) => p.severity === 'warning');
  const up = view.hosts.filter((h) => h.tcp?.up).length;
  const inventory = `${view.domains.length} domain(s), ${up}/${view.hosts.length} host(s) up, ${view.products.length} product(s)`;
  let text: string;
  if (evaluation.status === 'ok') text = `${inventory}: every domain can activate every product`;
  else if (evaluation.status === 'unknown') text = evaluation.problems[0]?.message ?? 'unknown';
  else {
    const first = (critical[0] ?? warnings[0])?.message ?? '';
    const more = critical.length + warnings.length - 1;
    text = `${first}${more > 0 ? ` (+${more} more: ${critical.length} critical, ${warnings.length} warning)` : ''}; ${inventory}`;
  }
  return `KMS ${LABEL[evaluation.status]} - ${text}`;
}

/** Perfdata labels may not contain `=` or `'`; quote them as the plugin guidelines say. */
function perfdataText(evaluation: Evaluation): string {
  return evaluation.perfdata.length > 0 ? ` | ${evaluation.perfdata.join(' ')}` : '';
}

export function formatCheck(view: StatusView, evaluation: Evaluation): string {
  const lines = [`${summaryLine(view, evaluation)}${perfdataText(evaluation)}`];
  for (const p of evaluation.problems) lines.push(`${LABEL[p.severity]}: ${p.message}`);
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
    lines.push(
      `host ${h.host}:${h.port} ${h.tcp?.up ? 'up' : 'down'}${products ? `: ${products}` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
