/**
 * `check --warning` / `--critical`: Nagios ranges applied to the count margin of every
 * answered product on every host, margin = active clients − the product's activation
 * threshold N (the count includes the monitor itself). A margin of 0 still activates; -1
 * means the host's clients get 0xC004F038. Default: `--warning 0:` (warn when the count is
 * below N, as the status page does) and no critical range. The perfdata carries the count
 * itself, its warn/crit ranges moved by N so they are in the count's units.
 */
import {
  statusByDomain,
  type Evaluation,
  type Problem,
  type Severity,
} from '../monitor/evaluate.js';
import type { StatusView } from '../monitor/status-view.js';
import { hostKey } from '../util/host-port.js';
import { describeRange, rangeAlerts, shiftRange, type NagiosRange } from './nagios-range.js';

/**
 * A problem as check reports it: evaluate()'s, or a count verdict of the ranges. A margin
 * below 0 keeps evaluate()'s code `count_below_threshold`; a margin of 0 or more that a
 * range still flags is `count_margin`, which only check raises.
 */
export type CheckProblem = Omit<Problem, 'code'> & { code?: string };

export type CheckEvaluation = Omit<Evaluation, 'problems'> & { problems: CheckProblem[] };

export interface CountThresholds {
  warning: NagiosRange | null;
  critical: NagiosRange | null;
}

/** `0:`: a count below the threshold warns, as the status page's verdict does. */
export const DEFAULT_WARNING: NagiosRange = { start: 0, end: Infinity, inside: false, text: '0:' };

export interface CountSample {
  /** `host:port` as in problems (`[v6]:port`). */
  host: string;
  product: string;
  count: number;
  threshold: number;
  warn: string;
  crit: string;
}

/** Every answered product with a count, with its perfdata ranges. */
export function countSamples(view: StatusView, thresholds: CountThresholds): CountSample[] {
  const out: CountSample[] = [];
  for (const host of view.hosts) {
    for (const p of host.products) {
      if (!p.success || p.activeClients === null) continue;
      out.push({
        host: hostKey(host),
        product: p.product,
        count: p.activeClients,
        threshold: p.threshold,
        warn: thresholds.warning ? shiftRange(thresholds.warning, p.threshold) : '',
        crit: thresholds.critical ? shiftRange(thresholds.critical, p.threshold) : '',
      });
    }
  }
  return out;
}

function countProblem(
  sample: CountSample,
  severity: 'warning' | 'critical',
  range: NagiosRange,
): CheckProblem {
  const margin = sample.count - sample.threshold;
  const flag = `--${severity} ${range.text}`;
  const below =
    margin < 0 ? `, below the threshold ${sample.threshold}: its clients get 0xC004F038` : '';
  return {
    code: margin < 0 ? 'count_below_threshold' : 'count_margin',
    severity,
    host: sample.host,
    product: sample.product,
    message:
      `${sample.host} counts ${sample.count} clients for ${sample.product}${below}` +
      ` (margin ${margin} is ${describeRange(range)}, ${flag})`,
  };
}

/**
 * The evaluation with its count verdicts replaced by the ranges': evaluate() judges a
 * count only by "below N"; every other problem stays as it is.
 */
export function applyCountThresholds(
  view: StatusView,
  evaluation: Evaluation,
  thresholds: CountThresholds,
): { evaluation: CheckEvaluation; samples: CountSample[] } {
  const samples = countSamples(view, thresholds);
  const answered = new Set(samples.map((s) => `${s.host} ${s.product}`));
  // evaluate() reports an answered product only for its count, so these are the count problems.
  const problems: CheckProblem[] = evaluation.problems.filter(
    (p) =>
      !(p.host !== undefined && p.product !== undefined && answered.has(`${p.host} ${p.product}`)),
  );
  for (const sample of samples) {
    const margin = sample.count - sample.threshold;
    if (thresholds.critical && rangeAlerts(thresholds.critical, margin)) {
      problems.push(countProblem(sample, 'critical', thresholds.critical));
    } else if (thresholds.warning && rangeAlerts(thresholds.warning, margin)) {
      problems.push(countProblem(sample, 'warning', thresholds.warning));
    }
  }
  const rank = { ok: 0, warning: 1, unknown: 2, critical: 3 } as const;
  const status = problems.reduce<Severity>(
    (s, p) => (rank[p.severity] > rank[s] ? p.severity : s),
    'ok',
  );
  // The domains' verdicts follow the ranges' count findings, as the overall status does.
  const domainStatus = statusByDomain(view, problems, evaluation.verdicts);
  return { evaluation: { ...evaluation, status, problems, domainStatus }, samples };
}
