/**
 * What the page says about the whole state, a domain and a host, derived from evaluate()
 * so that the page and `kms-monitor check` never disagree: the badge is evaluate's
 * status, and a domain or host is only as good as the worst problem naming it.
 */
import {
  evaluate,
  type DomainProductVerdict,
  type Evaluation,
  type Problem,
  type Severity,
} from '../../monitor/evaluate.js';
import type { StatusView } from '../../monitor/status-view.js';
import { hostKey } from './format.js';

export type ViewHost = StatusView['hosts'][number];
export type ViewDomain = StatusView['domains'][number];

export interface Summary {
  domainsOk: number;
  domains: number;
  hostsUp: number;
  hostsDown: number;
  /** Hosts whose TCP probe has not run yet. */
  hostsUnknown: number;
  hosts: number;
  /** Host × product pairs that answered with a count below the threshold. */
  belowThreshold: number;
  /** Host × product pairs whose latest exchange failed. */
  productsFailing: number;
  productResults: number;
}

export interface Assessment {
  status: Severity;
  problems: Problem[];
  /** evaluate()'s verdict per domain and product: the cells of the matrix on `/`. */
  verdicts: DomainProductVerdict[];
  summary: Summary;
  /** Worst severity per domain: its own problems and those of the hosts it publishes. */
  domainSeverity: Map<string, Severity>;
  /** Worst severity per host key. */
  hostSeverity: Map<string, Severity>;
  /** Problems per host key, for the cards. */
  hostProblems: Map<string, Problem[]>;
  /** Problems naming a domain, for its section. */
  domainProblems: Map<string, Problem[]>;
  /** Host key → host, to mark SRV targets up or down in the domain tables. */
  hostsByKey: Map<string, ViewHost>;
  /** Planned products per domain, and the coverage model per host (docs/coverage.md). */
  readiness: Evaluation['readiness'];
  coverage: Evaluation['coverage'];
  counts: Evaluation['counts'];
}

const RANK: Record<Severity, number> = { ok: 0, warning: 1, unknown: 2, critical: 3 };

/** How bad a severity is, for sorting: critical first, then unknown, warning, ok. */
export function severityRank(s: Severity): number {
  return RANK[s];
}

export function worse(a: Severity, b: Severity): Severity {
  return RANK[b] > RANK[a] ? b : a;
}

/**
 * `evaluation` is evaluate(view), made here unless the caller has it: the page of the
 * whole state takes evaluationOf()'s, the one /metrics and `check` read, instead of
 * evaluating every host and domain again on each load.
 */
export function assess(view: StatusView, evaluation: Evaluation = evaluate(view)): Assessment {
  const { status, problems, verdicts, domainStatus, readiness, coverage, counts } = evaluation;
  const hostsByKey = new Map(view.hosts.map((h) => [hostKey(h), h]));
  const hostSeverity = new Map<string, Severity>();
  const hostProblems = new Map<string, Problem[]>();
  // The domain's verdict is evaluate()'s (the value of kms_domain_status), never recounted here.
  const domainSeverity = new Map(domainStatus);
  const domainProblems = new Map<string, Problem[]>();
  for (const h of hostsByKey.keys()) hostSeverity.set(h, 'ok');

  for (const p of problems) {
    if (p.host !== undefined && hostsByKey.has(p.host)) {
      hostSeverity.set(p.host, worse(hostSeverity.get(p.host) ?? 'ok', p.severity));
      const list = hostProblems.get(p.host);
      if (list) list.push(p);
      else hostProblems.set(p.host, [p]);
    }
    if (p.domain !== undefined) {
      const list = domainProblems.get(p.domain);
      if (list) list.push(p);
      else domainProblems.set(p.domain, [p]);
    }
  }
  const summary: Summary = {
    domainsOk: [...domainSeverity.values()].filter((s) => s === 'ok').length,
    domains: view.domains.length,
    hostsUp: 0,
    hostsDown: 0,
    hostsUnknown: 0,
    hosts: view.hosts.length,
    belowThreshold: 0,
    productsFailing: 0,
    productResults: 0,
  };
  for (const h of view.hosts) {
    if (h.tcp === null) summary.hostsUnknown++;
    else if (h.tcp.up) summary.hostsUp++;
    else summary.hostsDown++;
    for (const p of h.products) {
      summary.productResults++;
      if (!p.success) summary.productsFailing++;
      else if (p.activeClients !== null && p.activeClients < p.threshold) summary.belowThreshold++;
    }
  }
  return {
    status,
    problems,
    verdicts,
    summary,
    domainSeverity,
    hostSeverity,
    hostProblems,
    domainProblems,
    hostsByKey,
    readiness,
    coverage,
    counts,
  };
}
