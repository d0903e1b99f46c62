/**
 * The input of the state's families for one render: the MonitorState and products, plus
 * what many families share, prepared once — the label text of every host, host × product
 * result and SRV lookup (a host's `host="…",port="…"` starts ~23 of its series), and the
 * evaluation (one per state generation, see monitor/evaluation-of.ts).
 */
import type { Evaluation } from '../monitor/evaluate.js';
import { evaluationOf } from '../monitor/evaluation-of.js';
import type { PlannedProduct } from '../monitor/plan.js';
import type { LabelledCounter, MonitorState } from '../monitor/state.js';
import { LabelNames } from './exposition.js';
import { SeriesList, listFamily, type MetricFamily } from './family.js';
import {
  DOMAIN_LABELS,
  HOST_LABELS,
  LOOKUP_LABELS,
  PRODUCT_LABEL,
  SeriesLabels,
  type HostSeries,
  type LookupSeries,
  type ResultSeries,
} from './series-labels.js';

export { DOMAIN_LABELS, HOST_LABELS, LOOKUP_LABELS };
export type { HostSeries, LookupSeries, ResultSeries };
/** The labels of a host's result for one product. */
export const RESULT_LABELS = new LabelNames([...HOST_LABELS.names, ...PRODUCT_LABEL.names]);
/** The labels of a verdict for one domain and product (working hosts, readiness). */
const DOMAIN_PRODUCT_LABELS = new LabelNames([...DOMAIN_LABELS.names, ...PRODUCT_LABEL.names]);

export class StateScrape {
  /** Every host, in the state's order. */
  readonly hosts: HostSeries[] = [];
  /** Every host's latest result per product, host by host. */
  readonly results: ResultSeries[] = [];
  /** Every domain's lookups, domain by domain, in resolver order. */
  readonly lookups: LookupSeries[] = [];

  /** `labels`: the label bytes of earlier renders, reused where they still apply. */
  constructor(
    readonly state: MonitorState,
    readonly products: readonly PlannedProduct[],
    private readonly labels = new SeriesLabels(),
  ) {
    for (const host of state.hosts.values()) {
      const entry = labels.host(host);
      this.hosts.push(entry.series);
      for (const result of host.products.values()) this.results.push(labels.result(entry, result));
    }
    for (const domain of state.domains.values()) {
      for (const lookup of domain.lookups) {
        this.lookups.push(labels.lookup(lookup));
      }
    }
    labels.renderDone();
  }

  /** HOST_LABELS as label text (UTF-8) of a host by its key, name and port. */
  hostLabels(key: string, name: string, port: number): Uint8Array {
    return this.labels.hostLabels(key, name, port) ?? Buffer.from(HOST_LABELS.text([name, port]));
  }

  get evaluation(): Evaluation {
    return evaluationOf(this.state, this.products);
  }
}

export type StateFamily = MetricFamily<StateScrape>;

/** Every host, for families with a sample per host (or per host's address). */
export const HOSTS = new SeriesList(
  HOST_LABELS.names,
  (scrape: StateScrape) => scrape.hosts,
  // The state changes a host in place, bumping its version (monitor/state.ts).
  (series) => series.host,
  (series) => series.host.version,
);
/** Every host × product result (never changed in place: a new result is a new object). */
export const RESULTS = new SeriesList(
  RESULT_LABELS.names,
  (scrape: StateScrape) => scrape.results,
  (series) => series.result,
);
/** Every SRV lookup: a domain as one resolver answered it (never changed in place). */
export const LOOKUPS = new SeriesList(
  LOOKUP_LABELS.names,
  (scrape: StateScrape) => scrape.lookups,
  (series) => series.lookup,
);

/**
 * A counter family that shows one of the state's LabelledCounters under `labels` (a
 * counter may hold more, such as `host_key`). Entries equal under those labels are
 * summed into one series.
 */
export function labelledCounterFamily(declaration: {
  name: string;
  help: string;
  labels: readonly string[];
  counter: (state: MonitorState) => LabelledCounter;
}): StateFamily {
  const { labels } = declaration;
  const names = new LabelNames(labels);
  return {
    name: declaration.name,
    type: 'counter',
    help: declaration.help,
    labels,
    samples(scrape, out) {
      const merged = new Map<string, number>();
      for (const entry of declaration.counter(scrape.state).entries()) {
        const text = names.text(labels.map((n) => entry.labels[n] ?? ''));
        merged.set(text, (merged.get(text) ?? 0) + entry.value);
      }
      for (const [text, value] of merged) out.labelled(text, value);
    },
  };
}

/**
 * A gauge with one sample per domain and product of a list of the evaluation. The
 * evaluation keeps those objects while the domain's part is kept (evaluate-memo.ts), so a
 * result that moves none of them writes none of them again (kept-families.ts).
 */
export function domainProductGauge<Entry extends { domain: string; product: string }>(declaration: {
  name: string;
  help: string;
  list: (evaluation: Evaluation) => readonly Entry[];
  value: (entry: Entry) => number;
}): StateFamily {
  const { list, value } = declaration;
  return listFamily({
    name: declaration.name,
    help: declaration.help,
    labels: DOMAIN_PRODUCT_LABELS.names,
    series: {
      list: (scrape: StateScrape) => list(scrape.evaluation),
      subject: (entry) => entry,
      version: () => 0,
      write(_scrape, entry, out) {
        out.values(DOMAIN_PRODUCT_LABELS, [entry.domain, entry.product], value(entry));
      },
    },
  });
}
