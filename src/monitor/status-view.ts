/**
 * The whole state as plain data: what GET /api/v1/status returns and what the status page
 * and `check` read. Domains → resolvers → records; hosts → products → latest result;
 * then the recent history.
 */
import type { HostTrust } from './trust.js';
import type { DomainAuthorization } from './authorization.js';
import type { DnsError, SrvRecord } from '../dns/index.js';
import type { KmsProductResult, TcpProbeResult } from '../kms/client/index.js';
import type { HistoryEntry } from './history.js';
import type { HostHistoryView } from './history/index.js';
import type { PlannedProduct, Replacement } from './plan.js';
import type { DomainState, HostState, MonitorState, PollStats } from './state.js';
import { buildAdbaView, type AdbaForestView } from './adba-view.js';
import type { JournalEvent } from './events/index.js';

export interface StatusView {
  generatedAt: string;
  ready: boolean;
  poll: PollStats;
  products: Array<{
    product: string;
    threshold: number;
    /** Planned (docs/coverage.md §7): readiness only. */
    planned?: true;
    /** A custom product's built-in group, for the coverage model. */
    group?: string;
  }>;
  domains: Array<{
    domain: string;
    resolversDisagree: boolean;
    missingExpectedHosts: string[];
    /** allowed_hosts and pinned identities (docs/trust.md); null or absent: none. */
    authorization?: DomainAuthorization | null;
    /** Migrations (docs/coverage.md §8); absent: none. */
    replaces?: readonly Replacement[];
    resolvers: Array<{
      resolver: string;
      success: boolean;
      rcode: string | null;
      ttl: number | null;
      durationSeconds: number;
      serviceUnavailable: boolean;
      truncatedRecords: number;
      records: SrvRecord[];
      error: DnsError | null;
    }>;
  }>;
  hosts: Array<{
    host: string;
    port: number;
    domains: string[];
    static: boolean;
    addresses: string[];
    /** Why the host has no address (a stale record), else null. */
    addressError: DnsError | null;
    tcp: TcpProbeResult | null;
    /** TCP per address, in connection order (the host is up if any address is). */
    reachability: TcpProbeResult[];
    products: KmsProductResult[];
    /** The authenticity checks of the latest sweep (docs/trust.md); null until judged. */
    trust?: HostTrust | null;
    /**
     * Counts, latency and reachability over the window asked for (./history/); present
     * only when one was (`?history=<duration>`, the host page), null for a host not seen yet.
     */
    history?: HostHistoryView | null;
  }>;
  hostsCut: number;
  /** The ADBA forests (docs/adba.md); absent in views made without a state (tests). */
  adba?: AdbaForestView[];
  history: HistoryEntry[];
  /** Recent transitions, folded, newest first (./events/); absent in views made without a state. */
  events?: JournalEvent[];
}

export interface StatusViewOptions {
  /** Newest entries of the recent probe log. */
  historyLimit?: number;
  /** Only this host (`host` or `host:port`). */
  host?: string;
  /** Adds each host's history over this window (ms, at most the retention). */
  historyWindowMs?: number;
  /** The view's time (ms); the system clock's by default. */
  now?: number;
  /** How a host's view is made (hostView by default): evaluate-view.ts keeps unchanged ones. */
  hostView?: (host: HostState) => StatusView['hosts'][number];
  /** How a domain's view is made (domainView by default). */
  domainView?: (domain: DomainState) => StatusView['domains'][number];
}

/** A host's view, without its history. */
export function hostView(h: HostState): StatusView['hosts'][number] {
  return {
    host: h.target.host,
    port: h.target.port,
    domains: h.target.domains,
    static: h.target.static,
    addresses: h.target.addresses,
    addressError: h.target.addressError,
    tcp: h.tcp,
    reachability: h.addresses,
    products: [...h.products.values()],
    trust: h.trust,
  };
}

/** A domain's view. */
export function domainView(d: DomainState): StatusView['domains'][number] {
  return {
    domain: d.domain,
    resolversDisagree: d.resolversDisagree,
    missingExpectedHosts: d.missingExpectedHosts,
    authorization: d.authorization,
    ...(d.replaces ? { replaces: d.replaces } : {}),
    resolvers: d.lookups.map((l) => ({
      resolver: l.resolver,
      success: l.success,
      rcode: l.rcode,
      ttl: l.ttl,
      durationSeconds: l.durationSeconds,
      serviceUnavailable: l.serviceUnavailable,
      truncatedRecords: l.truncatedRecords,
      records: l.records,
      error: l.error,
    })),
  };
}

export function buildStatusView(
  state: MonitorState,
  products: readonly PlannedProduct[],
  {
    historyLimit = 200,
    host,
    historyWindowMs,
    now = Date.now(),
    hostView: viewOfHost = hostView,
    domainView: viewOfDomain = domainView,
  }: StatusViewOptions = {},
): StatusView {
  const selected = [...state.hosts.values()].filter(
    (h) => host === undefined || h.target.key === host || h.target.host === host,
  );
  const hosts = selected.map((h) =>
    historyWindowMs === undefined
      ? viewOfHost(h)
      : { ...viewOfHost(h), history: state.series.view(h.target.key, now, historyWindowMs) },
  );
  return {
    generatedAt: new Date(now).toISOString(),
    ready: state.ready,
    poll: { ...state.poll },
    products: products.map((p) => ({
      product: p.slug,
      threshold: p.nPolicy,
      ...(p.planned ? { planned: true as const } : {}),
      ...(p.group === undefined ? {} : { group: p.group }),
    })),
    domains: [...state.domains.values()].map((d) => viewOfDomain(d)),
    hosts,
    hostsCut: state.hostsCut,
    adba: buildAdbaView(
      state.adba,
      products.map((p) => p.slug),
    ),
    history:
      host === undefined
        ? state.history.recent(historyLimit)
        : selected.flatMap((h) => state.history.recent(historyLimit, h.target.key)),
    events:
      host === undefined
        ? state.events.events()
        : state.events.events().filter((e) => selected.some((h) => h.target.key === e.host)),
  };
}
