/**
 * A host's history as plain data: what `/api/v1/status?history=<duration>` returns under
 * `hosts[].history` and what the status page draws its sparklines from. Series are
 * columns (one array per field, oldest first) rather than an object per sample: a week of
 * 10-minute sweeps is 1,008 samples a product.
 */
import type { ProductPhase } from './outcome.js';

export interface ProductHistoryView {
  product: string;
  /** N of the latest result: the threshold line of the count sparkline. */
  threshold: number;
  /** The product's current state (./outcome.ts), and since when it has been in it. */
  phase: ProductPhase;
  phaseSince: string;
  /** When the current refusal began; null unless the host refuses the product now. */
  refusedSince: string | null;
  /** The first exchange the monitor keeps a record of (phaseSince is no older). */
  observedSince: string;
  /** Answers / exchanges in the window; null without an exchange in it. */
  successRatio: number | null;
  samples: {
    /** Unix seconds. */
    at: number[];
    /** The host's count; null when the exchange failed. */
    count: Array<number | null>;
    latencySeconds: number[];
    /** The failure reason (src/kms/client/result.ts); null for an answer. */
    reason: Array<string | null>;
  };
}

export interface ReachabilityHistoryView {
  /** Null before the first TCP round. */
  up: boolean | null;
  /** When the current state (up or down) began, as far as the history reaches. */
  since: string | null;
  /** The first TCP round the history saw: a state `since` then may be older. */
  firstSeen: string | null;
  /** `since` when the host is down now, else null. */
  downSince: string | null;
  /** The fraction of the window the host was reachable (of the part the history knows). */
  uptime: number | null;
  /** The oldest time the history knows reachability from. */
  knownSince: string | null;
  /** Up/down changes in the window, the one in force at its start first. */
  transitions: Array<{ at: string; up: boolean }>;
}

export interface HostHistoryView {
  /** The window the series cover, ending at the view's time. */
  windowSeconds: number;
  /** How long the monitor keeps history (`history.retention`). */
  retentionSeconds: number;
  reachability: ReachabilityHistoryView;
  products: ProductHistoryView[];
}
