/**
 * The monitor's verdict, from the one evaluation that check, the status page and the API
 * also render (monitor/evaluate.ts): so the three cannot disagree with the metrics.
 */
import { EXIT_CODES } from '../../monitor/evaluate.js';
import { LabelNames } from '../exposition.js';
import { labelledGauge } from '../family.js';
import { DOMAIN_LABELS, domainProductGauge, type StateFamily } from '../state-scrape.js';

const FINDING_LABELS = new LabelNames(['code', 'severity']);

export const DOMAIN_PRODUCT_WORKING_HOSTS: StateFamily = domainProductGauge({
  name: 'kms_domain_product_working_hosts',
  help: "KMS machines published in the domain that can activate the product now: reachable, answered the product in their latest exchange, and counting at least N. 0 (also for a domain with no record or failing lookups) means the domain's clients fail activation (0xC004F074 or 0xC004F038). Names of one machine count once.",
  list: (evaluation) => evaluation.verdicts,
  value: (verdict) => verdict.workingHosts,
});

export const DOMAIN_STATUS: StateFamily = labelledGauge({
  name: 'kms_domain_status',
  help: 'The verdict for the domain, as check gives it: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (its own findings and those of the hosts it publishes).',
  labels: DOMAIN_LABELS.names,
  samples(scrape, emit) {
    for (const [domain, status] of scrape.evaluation.domainStatus)
      emit([domain], EXIT_CODES[status]);
  },
});

export const FINDINGS: StateFamily = {
  name: 'kms_findings',
  type: 'gauge',
  help: 'Findings in the current state, by code and severity (the codes of check --json and /api/v1/status; docs/alerts.md explains each). Absent codes have none.',
  labels: FINDING_LABELS.names,
  samples(scrape, out) {
    const counts = new Map<string, number>();
    for (const f of scrape.evaluation.problems) {
      const labels = FINDING_LABELS.text([f.code, f.severity]);
      counts.set(labels, (counts.get(labels) ?? 0) + 1);
    }
    for (const [labels, n] of counts) out.labelled(labels, n);
  },
};
