/**
 * The authenticity checks kms-monitor runs against every KMS host, defined once: name, what
 * a genuine host does, and the limits of the check (docs/trust.md). Each check ends in one
 * verdict with the evidence that led to it, so an admin can judge it without the monitor.
 */

/** `pass`: behaves as a genuine host; `suspicious`: a sign, not a proof; `failed`: no
 * genuine host can answer this way; `not_run`: no evidence this sweep (with the reason). */
export type TrustVerdict = 'pass' | 'suspicious' | 'failed' | 'not_run';

export interface TrustCheckDefinition {
  /** What a genuine host does, in one line. */
  genuine: string;
  /** When the check can be wrong, or cannot tell. */
  limits: string;
}

export const TRUST_CHECKS = {
  control_unknown_id: {
    genuine:
      'refuses a KMS counted ID that no host key covers with 0xC004F042 (the ID is made up, ' +
      'fixed per monitor)',
    limits: 'None known: no CSVLK covers an ID nobody issued. A refusal adds nobody to the count.',
  },
  control_retail: {
    genuine: 'refuses a request for a retail (non-volume) product with 0xC004F042',
    limits: 'Only run when a retail control product is configured.',
  },
  impossible_count: {
    genuine:
      'reports at most twice the largest N policy it has been sent: 50 for Windows, 10 where ' +
      'only Windows Server or Office clients ask',
    limits:
      'The bound uses the largest N the monitor sends for the application; clients of the ' +
      'estate may send at most 25, so a count above 50 can never be genuine.',
  },
  count_echo: {
    genuine:
      'reports the same count for a request with a lower N policy (it caches twice the ' +
      'largest N it has seen, not the request’s)',
    limits:
      'A host that has only ever been sent the lower N (a new host asked by nobody else) ' +
      'can answer exactly twice it honestly; the check needs both answers of one sweep.',
  },
  epid_stable: {
    genuine:
      'returns one ePID per installed host key for its lifetime: the same for two requests ' +
      'on one connection and across sweeps',
    limits:
      'Reinstalling the host key (`slmgr /ipk`) or the host changes it once: one change ' +
      'across sweeps is suspicious, two different ePIDs in one sweep fail.',
  },
  epid_consistency: {
    genuine:
      'sends an ePID whose parts agree: the platform ID of its build, channel 03, a host key ' +
      '(CSVLK) of the answered application that covers the product and can be installed on ' +
      'that build, installed after the key and the build were released and not in the future',
    limits:
      'Keys newer than the table (docs/coverage.md) are unknown, not wrong: an unknown key ' +
      'or an implausible install date is suspicious only (an in-place upgrade can date a key ' +
      'before its build). Contradictions the table is sure of fail.',
  },
  known_emulator_identity: {
    genuine: 'has a hardware ID and ePID of its own, never a public emulator’s built-in default',
    limits: 'Only catches emulators run with their defaults; a configured emulator passes.',
  },
  rpc_association_group: {
    genuine: 'picks an association group per connection, different between hosts',
    limits: 'Catches the one emulator known to send a constant; vlmcsd’s random start passes.',
  },
  rpc_keeps_association: {
    genuine: 'keeps the RPC association open after an activation and answers the next request',
    limits: 'Needs two requests on one connection in the sweep (two products, or a control).',
  },
  clock_window: {
    genuine: 'refuses a request dated more than 4 hours from its clock with 0xC004F06C',
    limits:
      'Off by default: it needs an extra request per sweep, and a host whose own clock is ' +
      'wrong by hours fails it although genuine.',
  },
} as const satisfies Record<string, TrustCheckDefinition>;

export type TrustCheckName = keyof typeof TRUST_CHECKS;

export const TRUST_CHECK_NAMES = Object.keys(TRUST_CHECKS) as TrustCheckName[];

export interface TrustCheckResult {
  check: TrustCheckName;
  verdict: TrustVerdict;
  /** What was seen, with the values, in one line. */
  evidence: string;
}

export function trustResult(
  check: TrustCheckName,
  verdict: TrustVerdict,
  evidence: string,
): TrustCheckResult {
  return { check, verdict, evidence };
}

const RANK: Record<TrustVerdict, number> = { not_run: 0, pass: 1, suspicious: 2, failed: 3 };

/** The worst verdict of a set (not_run below pass, so one run check decides). */
export function worstVerdict(results: readonly TrustCheckResult[]): TrustVerdict {
  return results.reduce<TrustVerdict>(
    (worst, r) => (RANK[r.verdict] > RANK[worst] ? r.verdict : worst),
    'not_run',
  );
}
