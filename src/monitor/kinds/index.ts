/**
 * The probe kinds, in the order a round runs them (a kind may read what an earlier one
 * recorded this round: the KMS exchange goes to the address that answered TCP). Adding a
 * kind is one module and one line here; the poller, the state, the history and
 * kms_probes_total{kind} pick it up. Its findings (../evaluate.ts) and a failure family of
 * its own in src/metrics are separate decisions.
 */
import type { KmsProductSpec } from '../../kms/client/index.js';
import type { PlannedProduct } from '../plan.js';
import type { HostProbeKind, ProbeDeps, ProbeFn } from './kind.js';
import { kmsKind } from './kms.js';
import { tcpKind } from './tcp.js';
import { trustKind } from './trust.js';

export const PROBE_KINDS = { tcp: tcpKind, kms: kmsKind, trust: trustKind };

export type ProbeKindName = keyof typeof PROBE_KINDS;

/** The result type of each kind's probe, by name. */
export type ProbeResults = {
  [N in ProbeKindName]: (typeof PROBE_KINDS)[N] extends HostProbeKind<infer R> ? R : never;
};

/** One probe function per kind, by name. */
export type ProbeFns<P extends PlannedProduct> = {
  [N in ProbeKindName]: ProbeFn<P, ProbeResults[N]>;
};

/** The names in registry (= run) order. */
export const PROBE_KIND_NAMES = Object.keys(PROBE_KINDS) as ProbeKindName[];

export function probeKind<N extends ProbeKindName>(name: N): HostProbeKind<ProbeResults[N]> {
  return PROBE_KINDS[name] as HostProbeKind<ProbeResults[N]>;
}

/** The real probe of every kind. */
export function realProbeFns<P extends PlannedProduct & KmsProductSpec>(
  deps: ProbeDeps,
): ProbeFns<P> {
  return Object.fromEntries(
    PROBE_KIND_NAMES.map((name) => [name, PROBE_KINDS[name].realProbe<P>(deps)]),
  ) as ProbeFns<P>;
}
