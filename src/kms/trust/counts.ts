/**
 * Counts a genuine host cannot report. A host caches twice the largest N policy it has been
 * sent, so its count never exceeds 2 × that N; public emulators answer 2 × the request's N
 * instead, which a second request with a lower N (harmless to a genuine host) shows.
 */
import { trustResult, type TrustCheckResult } from './verdict.js';

/** The N clients of the estate send at most (Windows clients): the bound's floor. */
export const LARGEST_GENUINE_N = 25;

export interface CountSample {
  product: string;
  count: number;
  /** The N policy this request sent. */
  nPolicy: number;
}

/**
 * Impossible when above 2 × the largest N anyone may have sent the application's counter:
 * the larger of the clients' 25 and the largest N the monitor itself sends for it.
 */
export function impossibleCount(
  samples: readonly CountSample[],
  largestNSent: number,
): TrustCheckResult {
  if (samples.length === 0) return trustResult('impossible_count', 'not_run', 'no count answered');
  const bound = 2 * Math.max(LARGEST_GENUINE_N, largestNSent);
  const over = samples.filter((s) => s.count > bound);
  if (over.length > 0) {
    const seen = over.map((s) => `${s.product} ${s.count}`).join(', ');
    return trustResult(
      'impossible_count',
      'failed',
      `count ${seen} is above ${bound} (2 × the largest N ever sent): no genuine host reports it`,
    );
  }
  const highest = Math.max(...samples.map((s) => s.count));
  return trustResult('impossible_count', 'pass', `highest count ${highest}, within ${bound}`);
}

/**
 * The N policy the echo request sends for a genuine N: about half, always lower (a higher
 * N would enlarge a genuine host's client list); null when there is no lower N to send.
 */
export function echoPolicy(genuineN: number): number | null {
  return genuineN <= 1 ? null : Math.min(genuineN - 1, Math.ceil(genuineN / 2));
}

/**
 * Suspicious when the lower-N request comes back as exactly 2 × its N while the genuine
 * request of the same sweep got another count: the count follows the request, not a cache.
 */
export function countEcho(
  genuine: CountSample | undefined,
  lower: CountSample | undefined,
): TrustCheckResult {
  if (genuine === undefined || lower === undefined) {
    return trustResult('count_echo', 'not_run', 'no pair of counts answered this sweep');
  }
  const pair = `N=${genuine.nPolicy} → ${genuine.count}, N=${lower.nPolicy} → ${lower.count}`;
  if (lower.count === 2 * lower.nPolicy && lower.count !== genuine.count) {
    return trustResult(
      'count_echo',
      'suspicious',
      `the count follows the request's N (${pair}): emulators answer 2 × N`,
    );
  }
  return trustResult('count_echo', 'pass', `the count does not follow the request's N (${pair})`);
}
