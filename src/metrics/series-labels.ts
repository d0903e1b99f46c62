/**
 * The label text of every host, host × product result and SRV lookup, encoded to UTF-8
 * once and kept from one render to the next while the thing it names is there: a render
 * after a round (every result new, the same hosts) copies these bytes instead of escaping
 * and encoding ~40,000 label sets again. Entries not asked for in a render are dropped at
 * its end, so hosts and lookups that left are forgotten with the render that missed them.
 * The series objects themselves are kept too, their subject updated per render: a render
 * makes no object per series (~45,000 at 10,000 hosts, garbage the next render).
 */
import type { SrvLookupResult } from '../dns/index.js';
import type { KmsProductResult } from '../kms/client/index.js';
import type { HostState } from '../monitor/state.js';
import { LabelNames } from './exposition.js';

/** The labels that name a KMS host in every host family. */
export const HOST_LABELS = new LabelNames(['host', 'port']);
/** The label a host's result adds: its product. */
export const PRODUCT_LABEL = new LabelNames(['product']);
/** The label of a configured domain. */
export const DOMAIN_LABELS = new LabelNames(['domain']);
/** The labels of one SRV lookup: the domain as asked of one resolver. */
export const LOOKUP_LABELS = new LabelNames([...DOMAIN_LABELS.names, 'resolver']);

export interface HostSeries {
  host: HostState;
  /** HOST_LABELS as label text (UTF-8). */
  readonly labels: Uint8Array;
}

export interface ResultSeries {
  result: KmsProductResult;
  /** HOST_LABELS then PRODUCT_LABEL as label text (UTF-8). */
  readonly labels: Uint8Array;
}

export interface LookupSeries {
  lookup: SrvLookupResult;
  /** LOOKUP_LABELS as label text (UTF-8). */
  readonly labels: Uint8Array;
}

interface HostEntry {
  host: string;
  port: number;
  text: string;
  series: HostSeries;
  /** Per product slug. */
  results: Map<string, ResultSeries>;
  /** The render that last asked for it. */
  pass: number;
}

interface LookupEntry {
  series: LookupSeries;
  pass: number;
}

/**
 * The maps are kept from render to render and updated in place, entries a render did not
 * ask for dropped at its end: two new maps of every host and lookup per render (10,000
 * entries at 10,000 hosts) were ~10 % of a render that changes one host, and garbage.
 */
export class SeriesLabels {
  private readonly hosts = new Map<string, HostEntry>();
  /** Per domain, then per resolver: no key string made per lookup and render. */
  private readonly lookups = new Map<string, Map<string, LookupEntry>>();
  private lookupEntries = 0;
  /** The render under way, and how many entries it has asked for so far. */
  private pass = 1;
  private hostsAsked = 0;
  private lookupsAsked = 0;

  /** The series of `state`, and its entry for the series of its results. */
  host(state: HostState): HostEntry {
    const { key, host, port } = state.target;
    let entry = this.hosts.get(key);
    if (entry === undefined || entry.host !== host || entry.port !== port) {
      const text = HOST_LABELS.text([host, port]);
      const series = { host: state, labels: Buffer.from(text) };
      entry = { host, port, text, series, results: new Map(), pass: 0 };
      this.hosts.set(key, entry);
    }
    if (entry.pass !== this.pass) {
      entry.pass = this.pass;
      this.hostsAsked++;
    }
    entry.series.host = state;
    return entry;
  }

  /** The series of one of the host's results. */
  result(host: HostEntry, result: KmsProductResult): ResultSeries {
    let series = host.results.get(result.product);
    if (series === undefined) {
      const labels = Buffer.from(host.text + PRODUCT_LABEL.text([result.product], true));
      series = { result, labels };
      host.results.set(result.product, series);
    }
    series.result = result;
    return series;
  }

  /** The series of an SRV lookup: a domain as asked of a resolver. */
  lookup(lookup: SrvLookupResult): LookupSeries {
    let byResolver = this.lookups.get(lookup.domain);
    if (byResolver === undefined) this.lookups.set(lookup.domain, (byResolver = new Map()));
    let entry = byResolver.get(lookup.resolver);
    if (entry === undefined) {
      const labels = Buffer.from(LOOKUP_LABELS.text([lookup.domain, lookup.resolver]));
      entry = { series: { lookup, labels }, pass: 0 };
      byResolver.set(lookup.resolver, entry);
      this.lookupEntries++;
    }
    if (entry.pass !== this.pass) {
      entry.pass = this.pass;
      this.lookupsAsked++;
    }
    entry.series.lookup = lookup;
    return entry.series;
  }

  /**
   * HOST_LABELS of the host `name` and `port` of the latest render (for families that
   * walk something else keyed by host, such as the coverage); undefined if it had none.
   */
  hostLabels(key: string, name: string, port: number): Uint8Array | undefined {
    const entry = this.hosts.get(key);
    return entry !== undefined && entry.host === name && entry.port === port
      ? entry.series.labels
      : undefined;
  }

  /** A render has asked for everything it names: forget the rest. */
  renderDone(): void {
    const pass = this.pass;
    if (this.hosts.size !== this.hostsAsked)
      for (const [key, entry] of this.hosts) if (entry.pass !== pass) this.hosts.delete(key);
    if (this.lookupEntries !== this.lookupsAsked) {
      for (const [domain, byResolver] of this.lookups) {
        for (const [resolver, entry] of byResolver) {
          if (entry.pass === pass) continue;
          byResolver.delete(resolver);
          this.lookupEntries--;
        }
        if (byResolver.size === 0) this.lookups.delete(domain);
      }
    }
    this.pass++;
    this.hostsAsked = 0;
    this.lookupsAsked = 0;
  }
}
