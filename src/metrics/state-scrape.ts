/**
 * The input of the state's families for one render: the MonitorState and products, plus
 * what many families share, prepared once — the label text of every host, host × product
 * result and SRV lookup (a host's `host="…",port="…"` starts ~23 of its series), and the
 * evaluation (one per state generation, see monitor/evaluation-of.ts).
 */
import type { SrvLookupResult } from '../dns/index.js';
import type { KmsProductResult } from '../kms/client/index.js';
import type { Evaluation } from '../monitor/evaluate.js';
import { evaluationOf } from '../monitor/evaluation-of.js';
import type { PlannedProduct } from '../monitor/plan.js';
import type { HostState, LabelledCounter, MonitorState } from '../monitor/state.js';
import { LabelNames } from './exposition.js';
import { SeriesList, type MetricFamily } from './family.js';

/** The labels that name a KMS host in every host family. */
export const HOST_LABELS = new LabelNames(['host', 'port']);
/** The labels of a host's result for one product. */
const PRODUCT_LABEL = new LabelNames(['product']);
export const RESULT_LABELS = new LabelNames([...HOST_LABELS.names, ...PRODUCT_LABEL.names]);
/** The label of a configured domain. */
export const DOMAIN_LABELS = new LabelNames(['domain']);
/** The labels of one SRV lookup: the domain as asked of one resolver. */
export const LOOKUP_LABELS = new LabelNames([...DOMAIN_LABELS.names, 'resolver']);

export interface HostSeries {
  host: HostState;
  /** HOST_LABELS as label text. */
  labels: string;
}

export interface ResultSeries {
  result: KmsProductResult;
  /** RESULT_LABELS as label text. */
  labels: string;
}

export interface LookupSeries {
  lookup: SrvLookupResult;
  /** LOOKUP_LABELS as label text. */
  labels: string;
}

export class StateScrape {
  /** Every host, in the state's order. */
  readonly hosts: HostSeries[] = [];
  /** Every host's latest result per product, host by host. */
  readonly results: ResultSeries[] = [];
  /** Every domain's lookups, domain by domain, in resolver order. */
  readonly lookups: LookupSeries[] = [];

  constructor(
    readonly state: MonitorState,
    readonly products: readonly PlannedProduct[],
  ) {
    for (const host of state.hosts.values()) {
      const labels = HOST_LABELS.text([host.target.host, host.target.port]);
      this.hosts.push({ host, labels });
      for (const result of host.products.values()) {
        this.results.push({ result, labels: PRODUCT_LABEL.text([result.product], labels) });
      }
    }
    for (const domain of state.domains.values()) {
      for (const lookup of domain.lookups) {
        this.lookups.push({
          lookup,
          labels: LOOKUP_LABELS.text([lookup.domain, lookup.resolver]),
        });
      }
    }
  }

  get evaluation(): Evaluation {
    return evaluationOf(this.state, this.products);
  }
}

export type StateFamily = MetricFamily<StateScrape>;

/** Every host, for families with a sample per host (or per host's address). */
export const HOSTS = new SeriesList(HOST_LABELS.names, (scrape: StateScrape) => scrape.hosts);
/** Every host × product result. */
export const RESULTS = new SeriesList(RESULT_LABELS.names, (scrape: StateScrape) => scrape.results);
/** Every SRV lookup: a domain as one resolver answered it. */
export const LOOKUPS = new SeriesList(LOOKUP_LABELS.names, (scrape: StateScrape) => scrape.lookups);

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
    samples(scrape, emit) {
      const merged = new Map<string, number>();
      for (const entry of declaration.counter(scrape.state).entries()) {
        const text = names.text(labels.map((n) => entry.labels[n] ?? ''));
        merged.set(text, (merged.get(text) ?? 0) + entry.value);
      }
      for (const [text, value] of merged) emit(text, value);
    },
  };
}
