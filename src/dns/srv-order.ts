/**
 * Turns an SRV RRset into the list a client would work through (RFC 2782). Within one
 * priority RFC 2782 has clients pick by weighted random draw; a monitor needs output that
 * does not change between polls, so this order is deterministic instead: priority
 * ascending, then weight descending (the host a client most likely picks first), then
 * host and port. Consumers that want the client's draw can do it over `records`.
 */
export interface SrvCandidate {
  host: string;
  port: number;
  priority: number;
  weight: number;
  ttl: number;
}

export interface OrderedSrv {
  records: SrvCandidate[];
  /** The set consisted only of records with target "." (RFC 2782: decidedly not available). */
  serviceUnavailable: boolean;
  /** How many records the limit left out. */
  truncated: number;
}

export const DEFAULT_RECORD_LIMIT = 100;

export function compareSrv(a: SrvCandidate, b: SrvCandidate): number {
  return (
    a.priority - b.priority ||
    b.weight - a.weight ||
    (a.host < b.host ? -1 : a.host > b.host ? 1 : 0) ||
    a.port - b.port
  );
}

export function orderSrv(
  candidates: readonly SrvCandidate[],
  limit: number = DEFAULT_RECORD_LIMIT,
): OrderedSrv {
  // The usual RRset of one real record: nothing to merge or sort.
  const [only] = candidates;
  if (candidates.length === 1 && only && only.host !== '.' && limit >= 1) {
    return { records: [{ ...only }], serviceUnavailable: false, truncated: 0 };
  }
  // "." only means "no service" when it stands alone; next to real targets it says nothing.
  const real = candidates.filter((c) => c.host !== '.');
  const serviceUnavailable = real.length === 0 && candidates.length > 0;
  const merged = new Map<string, SrvCandidate>();
  for (const candidate of real) {
    const key = `${candidate.host}|${candidate.port}|${candidate.priority}|${candidate.weight}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, { ...candidate });
    else seen.ttl = Math.min(seen.ttl, candidate.ttl);
  }
  const sorted = [...merged.values()].sort(compareSrv);
  const kept = sorted.slice(0, Math.max(0, limit));
  return { records: kept, serviceUnavailable, truncated: sorted.length - kept.length };
}
