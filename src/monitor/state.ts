/**
 * The monitor's memory: the latest result per domain and resolver, per host, per host and
 * product, counters of probes and failures, and a bounded history. The probe kinds
 * (./kinds/index.ts) say where their results go; the state counts and logs them all the
 * same way. The poller writes it;
 * metrics, the API and the status page only read it. Hosts and records that leave DNS
 * leave the state when the round that noticed it ends.
 */
import type { HostTrust } from './trust.js';
import type { DomainAuthorization } from './authorization.js';
import type { SrvLookupResult } from '../dns/index.js';
import { canonicalName } from '../dns/index.js';
import { hostKey } from '../util/host-port.js';
import type { KmsProductResult, TcpProbeResult } from '../kms/client/index.js';
import { ProbeHistory, type HistoryEntry } from './history.js';
import { DEFAULT_RETENTION_MS, EstateHistory } from './history/index.js';
import type { HostProbeKind, Probed } from './kinds/kind.js';
import {
  PROBE_KIND_NAMES,
  probeKind,
  type ProbeKindName,
  type ProbeResults,
} from './kinds/index.js';
import type { MonitorPlan, PlannedDomain, Replacement } from './plan.js';
import type { KmsTarget } from './targets.js';
import { AdbaState } from './adba-state.js';
import { EstateEvents } from './events/index.js';

export interface DomainState {
  domain: string;
  /** One result per resolver asked, in resolver order. */
  lookups: SrvLookupResult[];
  /** The resolvers that answered returned different record sets. */
  resolversDisagree: boolean;
  /** Configured expected hosts that no resolver published. */
  missingExpectedHosts: string[];
  /** The domain's allowed_hosts and pinned identities; null when it configures none. */
  authorization: DomainAuthorization | null;
  /** The domain's configured migrations (docs/coverage.md §8). */
  replaces?: readonly Replacement[];
}

export interface HostState {
  target: KmsTarget;
  /**
   * The host as a client sees it: up if any address answered this round (the first that
   * did), else the first address's failure. Null until probed.
   */
  tcp: TcpProbeResult | null;
  /** One TCP result per address probed in the latest round, in connection order. */
  addresses: TcpProbeResult[];
  /** Latest KMS result per product slug. */
  products: Map<string, KmsProductResult>;
  /** The latest authenticity verdict (the trust kind); null until judged. */
  trust: HostTrust | null;
  /**
   * Bumped by every change the state makes to this host (its target, a result, a product
   * forgotten), so a reader can keep what it derived from the host while this stays the
   * same: the evaluation after one result rebuilds only that host's part
   * (evaluate-view.ts).
   */
  version: number;
}

export interface PollStats {
  rounds: number;
  kmsSweeps: number;
  /** Rounds that took longer than the interval and so delayed the next one. */
  overruns: number;
  lastPollTimestamp: number | null;
  lastPollDurationSeconds: number | null;
  lastKmsSweepTimestamp: number | null;
}

/** A labelled counter that forgets series of targets that left. */
export class LabelledCounter {
  private readonly values = new Map<string, { labels: Record<string, string>; value: number }>();

  inc(labels: Record<string, string>, by = 1): void {
    const key = JSON.stringify(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  entries(): Iterable<{ labels: Record<string, string>; value: number }> {
    return this.values.values();
  }

  /** Drops every series for which `keep` is false. */
  retain(keep: (labels: Record<string, string>) => boolean): void {
    for (const [key, entry] of this.values) if (!keep(entry.labels)) this.values.delete(key);
  }

  total(match: (labels: Record<string, string>) => boolean = () => true): number {
    let sum = 0;
    for (const entry of this.values.values()) if (match(entry.labels)) sum += entry.value;
    return sum;
  }
}

function recordSetKey(lookup: SrvLookupResult): string {
  return lookup.records
    .map((r) => `${hostKey(r)}/${r.priority}/${r.weight}`)
    .sort()
    .join(',');
}

export interface MonitorStateOptions {
  /** Capacity of the history rings (see ProbeHistory). */
  history?: { successes?: number; failures?: number };
}

/** One round's discovery, as the poller hands it to the state (applyDiscovery). */
export interface Discovery {
  lookups: SrvLookupResult[];
  targets: KmsTarget[];
  /** Targets left out by limits.hosts_total. */
  hostsCut: number;
  /** The planned domains' settings the state keeps per domain; absent: none. */
  domains?: readonly Pick<
    PlannedDomain,
    'domain' | 'expectedHosts' | 'authorization' | 'replaces'
  >[];
}

export class MonitorState {
  readonly domains = new Map<string, DomainState>();
  readonly hosts = new Map<string, HostState>();
  readonly history: ProbeHistory;
  /** Counts, latency and reachability over the retention (./history/), for sparklines. */
  readonly series = new EstateHistory();
  /** Recent transitions, folded and bounded (./events/): the status page's events. */
  readonly events = new EstateEvents();
  readonly poll: PollStats = {
    rounds: 0,
    kmsSweeps: 0,
    overruns: 0,
    lastPollTimestamp: null,
    lastPollDurationSeconds: null,
    lastKmsSweepTimestamp: null,
  };
  /** Failures of each probe kind by host, port, the kind's own labels, and reason. */
  private readonly kindFailures = new Map<string, LabelledCounter>(
    PROBE_KIND_NAMES.map((name) => [name, new LabelledCounter()]),
  );
  /** SRV lookup failures by domain, resolver and reason. */
  readonly dnsFailures = new LabelledCounter();
  /** Probes run, by kind (dns, then the probe kinds: tcp, kms). */
  readonly probes = new LabelledCounter();
  /** Hosts left out by limits.hosts_total in the latest round. */
  hostsCut = 0;
  /** Set once the first full round (discovery, TCP and KMS) has finished. */
  ready = false;
  /**
   * Bumped by every change, so a renderer (/metrics) can reuse its output while the
   * state stays the same: scrapes between two results cost nothing.
   */
  generation = 0;
  /** The ADBA forests (./adba-state.ts); written by the ADBA scheduler, not by rounds. */
  readonly adba = new AdbaState(() => this.generation++);

  constructor(options: MonitorStateOptions = {}) {
    this.history = new ProbeHistory(options.history);
  }

  /** The failure counter of a probe kind. */
  failuresOf(kind: ProbeKindName): LabelledCounter {
    return this.kindFailures.get(kind) as LabelledCounter;
  }

  /** KMS exchange failures by host, port, product and reason. */
  get kmsFailures(): LabelledCounter {
    return this.failuresOf('kms');
  }

  /** TCP connect failures by host, port and reason. */
  get tcpFailures(): LabelledCounter {
    return this.failuresOf('tcp');
  }

  /** A round took longer than the interval; the next one starts late. */
  recordOverrun(): void {
    this.poll.overruns += 1;
    this.generation++;
  }

  /** A round ended; `complete` unless it was aborted. */
  recordRoundEnd(
    startedMs: number,
    finishedMs: number,
    kmsSwept: boolean,
    complete: boolean,
  ): void {
    if (kmsSwept) {
      this.poll.kmsSweeps += 1;
      this.poll.lastKmsSweepTimestamp = startedMs / 1000;
    }
    this.poll.rounds += 1;
    this.poll.lastPollTimestamp = finishedMs / 1000;
    this.poll.lastPollDurationSeconds = (finishedMs - startedMs) / 1000;
    // The first round always includes the KMS exchange, so once one has finished the
    // state describes every target and /-/ready can say so.
    if (complete) this.ready = true;
    this.events.discovery(this.domains.values(), finishedMs);
    this.generation++;
  }

  /**
   * Installs a round's discovery: the domains as looked up now, and the hosts to probe.
   * Hosts no longer targeted are forgotten with everything recorded about them.
   */
  applyDiscovery({ lookups, targets, hostsCut, domains = [] }: Discovery): void {
    const settings = new Map(domains.map((d) => [d.domain, d]));
    const byDomain = new Map<string, SrvLookupResult[]>();
    for (const lookup of lookups) {
      const list = byDomain.get(lookup.domain) ?? [];
      list.push(lookup);
      byDomain.set(lookup.domain, list);
    }
    this.domains.clear();
    for (const [domain, list] of byDomain) {
      const answered = list.filter((l) => l.success);
      const published = new Set(answered.flatMap((l) => l.records.map((r) => r.host)));
      const planned = settings.get(domain);
      const expected = planned?.expectedHosts ?? [];
      this.domains.set(domain, {
        domain,
        lookups: list,
        resolversDisagree: new Set(answered.map(recordSetKey)).size > 1,
        missingExpectedHosts: expected.filter((h) => !published.has(canonicalName(h))),
        authorization: planned?.authorization ?? null,
        ...(planned?.replaces?.length ? { replaces: planned.replaces } : {}),
      });
    }
    const keep = new Set(targets.map((t) => t.key));
    for (const key of this.hosts.keys()) if (!keep.has(key)) this.hosts.delete(key);
    this.series.retainHosts((key) => keep.has(key));
    this.events.retainTargets((target) => keep.has(target) || this.domains.has(target));
    for (const target of targets) {
      const existing = this.hosts.get(target.key);
      if (existing) {
        if (existing.target !== target) existing.version++;
        existing.target = target;
      } else
        this.hosts.set(target.key, {
          target,
          tcp: null,
          addresses: [],
          products: new Map(),
          trust: null,
          version: 0,
        });
    }
    for (const counter of this.kindFailures.values()) {
      counter.retain((labels) => this.hosts.has(labels.host_key ?? ''));
    }
    this.dnsFailures.retain((labels) => this.domains.has(labels.domain ?? ''));
    this.hostsCut = hostsCut;
    this.generation++;
  }

  /** Forgets what the plan no longer asks for (a product removed by a reload). */
  retainPlan(plan: MonitorPlan): void {
    for (const name of PROBE_KIND_NAMES) {
      const kind: HostProbeKind<unknown> = probeKind(name);
      if (kind.retain)
        for (const host of this.hosts.values()) {
          kind.retain(host, plan);
          host.version++;
        }
      const keeps = kind.keepsFailure;
      if (keeps) this.failuresOf(name).retain((labels) => keeps(labels, plan));
    }
    this.series.configure({
      retentionMs: plan.historyRetentionMs ?? DEFAULT_RETENTION_MS,
      kmsIntervalMs: plan.kmsIntervalMs,
    });
    const slugs = new Set(plan.products.map((p) => p.slug));
    this.series.retainProducts((slug) => slugs.has(slug));
    this.generation++;
  }

  recordLookup(lookup: SrvLookupResult, at: string): void {
    this.generation++;
    this.probes.inc({ kind: 'dns' });
    if (!lookup.success && lookup.error) {
      this.dnsFailures.inc({
        domain: lookup.domain,
        resolver: lookup.resolver,
        reason: lookup.error.reason,
      });
    }
    this.recordHistory({
      timestamp: at,
      kind: 'dns',
      target: lookup.domain,
      detail: lookup.resolver,
      success: lookup.success,
      reason: lookup.success ? null : (lookup.error?.reason ?? null),
      message: lookup.success ? null : (lookup.error?.message ?? null),
      durationSeconds: lookup.durationSeconds,
    });
  }

  /**
   * A round's results of one probe kind for one host: the kind puts them in place, and
   * each probe run is counted (and its failure, by reason) and logged.
   */
  recordProbes<N extends ProbeKindName>(
    name: N,
    key: string,
    probed: readonly Probed<ProbeResults[N]>[],
  ): void {
    const host = this.hosts.get(key);
    if (!host || probed.length === 0) return; // the host left while its probe ran
    const recorded = probeKind(name).record(host, probed);
    host.version++;
    this.series.observe(key, host);
    this.generation++;
    const failures = this.failuresOf(name);
    for (const failure of recorded.probes) {
      this.probes.inc({ kind: name });
      if (failure) failures.inc({ host_key: key, ...failure });
    }
    for (const entry of recorded.history) this.recordHistory(entry);
  }

  /** A probe's outcome into the probe log, and into the events when it is a change. */
  private recordHistory(entry: HistoryEntry): void {
    this.history.record(entry);
    this.events.probe(entry);
  }

  recordTcp(key: string, result: TcpProbeResult): void {
    this.recordReachability(key, [result]);
  }

  /** The TCP results of every address of a host in one round (see HostState.tcp). */
  recordReachability(key: string, results: readonly TcpProbeResult[]): void {
    this.recordProbes(
      'tcp',
      key,
      results.map((result) => ({ address: result.address, result })),
    );
  }

  recordKms(key: string, result: KmsProductResult): void {
    this.recordProbes('kms', key, [{ address: result.address, result: [result] }]);
  }
}
