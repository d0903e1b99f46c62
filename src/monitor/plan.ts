/**
 * The plan: what the poller watches and how, derived from the configuration. Kept apart
 * from the raw config so the poller never re-parses strings, and so a reload swaps one
 * object at a round boundary.
 */
import type { HostPort } from '../util/host-port.js';
import type { ResolverAddress } from '../dns/index.js';
import type { DomainAuthorization } from './authorization.js';
import type { TrustSettings } from './trust.js';

/** What the poller needs to know of a product; the KMS product table provides the rest. */
export interface PlannedProduct {
  slug: string;
  /** N: the count this product's clients need. */
  nPolicy: number;
  /** Planned (docs/coverage.md §7): probed, but only for readiness, never today's verdict. */
  planned?: true;
  /** A custom product's built-in group, for the coverage model. */
  group?: string;
}

export interface PlannedDomain {
  domain: string;
  resolvers: ResolverAddress[];
  expectedHosts: string[];
  /** allowed_hosts and pinned identities (docs/trust.md); absent or null: none. */
  authorization?: DomainAuthorization | null;
  /** Migrations of the domain (docs/coverage.md §8); absent or empty: none. */
  replaces?: Replacement[];
}

/** A host the configuration says replaces another (`replaces: {new: old}`). */
export interface Replacement {
  new: string;
  old: string;
}

export interface MonitorPlan<P extends PlannedProduct = PlannedProduct> {
  domains: PlannedDomain[];
  staticHosts: HostPort[];
  /**
   * Resolvers for static hosts given by name: the global `resolvers`, else those of the
   * resolv.conf in use. Absent: the union of the domains' resolvers.
   */
  hostResolvers?: ResolverAddress[];
  products: P[];
  intervalMs: number;
  kmsIntervalMs: number;
  timeoutMs: number;
  concurrency: number;
  recordsPerDomain: number;
  hostsTotal: number;
  /** How long the history keeps each host's samples (default 7 days, ./history/). */
  historyRetentionMs?: number;
  /** The authenticity checks' optional requests; absent: the defaults (DEFAULT_TRUST_SETTINGS). */
  trust?: TrustSettings;
}
