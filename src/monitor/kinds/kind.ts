/**
 * What a probe kind is: one check the poller runs against every KMS host of a round, behind
 * one probe signature, with its own schedule and its own place in the state. The kinds are
 * listed once, in ./index.ts; the poller and the state iterate over that list and know no
 * kind by name. Discovery (the SRV lookups that produce the hosts) is not a kind: it runs
 * before there are hosts to probe.
 */
import type { KmsIdentity, KmsProductSpec } from '../../kms/client/index.js';
import type { HistoryEntry } from '../history.js';
import type { MonitorPlan, PlannedProduct } from '../plan.js';
import type { HostState } from '../state.js';
import type { TrustSettings } from '../trust.js';
import type { KmsTarget } from '../targets.js';

export interface ProbeOptions<P extends PlannedProduct> {
  /** The configured products, for kinds that ask something per product. */
  products: readonly P[];
  timeoutMs: number;
  signal: AbortSignal;
  /** The trust kind's optional requests (config `trust`); absent: the defaults. */
  trust?: TrustSettings;
}

/**
 * One probe of one host at (at most) one address: `target.addresses` holds the address to
 * use, or nothing when the host has none (the probe then reports a named failure and must
 * not resolve the name itself).
 */
export type ProbeFn<P extends PlannedProduct, R> = (
  target: KmsTarget,
  options: ProbeOptions<P>,
) => Promise<R>;

/** A result and the address it was probed at (the probe may not say, when it failed). */
export interface Probed<R> {
  address: string | null;
  result: R;
}

/** What the state counts and logs for a host's results of one kind in one round. */
export interface Recorded {
  /**
   * One element per probe run, for `kms_probes_total{kind}`: null when it succeeded, else
   * the labels of its failure counter (the state adds `host_key`).
   */
  probes: Array<Record<string, string> | null>;
  history: HistoryEntry[];
}

/** What the real probes need from the running monitor. */
export interface ProbeDeps {
  /** The client identity of the KMS exchange, as configured now (a reload may change it). */
  identity: () => KmsIdentity;
}

export interface HostProbeKind<R> {
  /** The `kind` label of kms_probes_total and of history entries. */
  readonly name: string;
  /** The probe against real hosts (the protocol layers); tests pass others to the poller. */
  realProbe<P extends PlannedProduct & KmsProductSpec>(deps: ProbeDeps): ProbeFn<P, R>;
  /**
   * `round`: every round. `sweep`: every kms_interval, and in between for a host that
   * lacks a result the plan asks for (`pending`), so that a new host is not left unprobed.
   */
  readonly schedule: 'round' | 'sweep';
  /**
   * `every`: each address of the host, one probe per address (capped). `first-up`: one
   * probe, at the first address that answered this round (else the first), as a client does.
   */
  readonly addresses: 'every' | 'first-up';
  /** Skips hosts without an address, once the poller can resolve names (see Probers.resolve). */
  readonly needsAddress: boolean;
  /** Skips the round's probes when no product is configured. */
  readonly perProduct: boolean;
  /** True when the host has no result yet for something the plan asks (sweep kinds). */
  pending?(host: HostState, plan: MonitorPlan): boolean;
  /** Puts a round's results into the host's state; says what to count and log. */
  record(host: HostState, results: readonly Probed<R>[]): Recorded;
  /** Forgets what the plan no longer asks for (a product removed by a reload). */
  retain?(host: HostState, plan: MonitorPlan): void;
  /** Whether a failure series survives the plan (false: drop it). */
  keepsFailure?(labels: Record<string, string>, plan: MonitorPlan): boolean;
}

/** A history entry of a host probe, from the fields every result has. */
export function hostHistoryEntry(
  kind: string,
  host: HostState,
  detail: string | null,
  result: {
    timestamp: string;
    durationSeconds: number;
    error: { reason: string; message: string } | null;
  },
  success: boolean,
  message: string | null = result.error?.message ?? null,
): HistoryEntry {
  return {
    timestamp: result.timestamp,
    kind,
    target: host.target.key,
    detail,
    success,
    reason: result.error?.reason ?? null,
    message,
    durationSeconds: result.durationSeconds,
  };
}

/**
 * Where and when the kinds that run KMS exchanges probe: every kms_interval, at one address
 * (the first that answered TCP this round, as a client does), asking about each product.
 */
export const KMS_EXCHANGE_PLACEMENT = {
  schedule: 'sweep',
  addresses: 'first-up',
  needsAddress: true,
  perProduct: true,
} as const satisfies Pick<
  HostProbeKind<unknown>,
  'schedule' | 'addresses' | 'needsAddress' | 'perProduct'
>;
