/**
 * Coverage and readiness (docs/coverage.md), from the one evaluation: whether each planned
 * product would activate in each domain now, and the coverage model's verdict for every
 * configured product on every host.
 */
import { LabelNames } from '../exposition.js';
import { listFamily } from '../family.js';
import {
  domainProductGauge,
  HOST_LABELS,
  type StateFamily,
  type StateScrape,
} from '../state-scrape.js';

export const DOMAIN_PRODUCT_READY: StateFamily = domainProductGauge({
  name: 'kms_domain_product_ready',
  help: 'Per domain and planned product (products: {planned: true}): 1 when a host the domain publishes activates it now, 0 when not (the finding planned_not_ready names the shortest fix). Planned products never change kms_domain_status beyond a warning.',
  list: (evaluation) => evaluation.readiness,
  value: (readiness) => (readiness.ready ? 1 : 0),
});

const COVERAGE_LABELS = new LabelNames(['product', 'verdict']);

export const HOST_COVERAGE: StateFamily = listFamily({
  name: 'kms_host_coverage',
  help: "The coverage model's verdict for each configured product on the host, always 1: verdict is activates, refused, predicted-activates, predicted-activates-with-update, predicted-refused or unknown (a custom product without group:). The reason and fix are in /api/v1/status and kms-monitor coverage.",
  labels: [...HOST_LABELS.names, ...COVERAGE_LABELS.names],
  series: {
    list: (scrape: StateScrape) => scrape.evaluation.coverage,
    // The evaluation keeps a host's coverage object while the host's part is kept.
    subject: (host) => host,
    version: () => 0,
    write(scrape, host, out) {
      // The host's label bytes of this render, not its name and port escaped again.
      const labels = scrape.hostLabels(host.host, host.name, host.port);
      for (const cell of host.cells)
        out.values(COVERAGE_LABELS, [cell.product, cell.verdict], 1, labels);
    },
  },
});
