/**
 * SRV records as transitions: per domain, the targets (`host:port`) its resolvers publish,
 * against those of the round before. A target new to the set "appeared", one missing
 * "gone". A domain's first answer is the baseline (no "appeared" for every record when
 * the monitor starts), and a round in which no resolver of the domain answered changes
 * nothing: a failed lookup is not a record gone (srv_lookup_failing says so).
 */
import type { SrvLookupResult } from '../../dns/index.js';
import { hostKey } from '../../util/host-port.js';
import type { Transition } from './journal.js';

export class RecordWatch {
  private readonly published = new Map<string, Set<string>>();

  /** The transitions of this round's lookups, per domain (`lookups` of one domain each). */
  observe(
    domains: Iterable<{ domain: string; lookups: readonly SrvLookupResult[] }>,
    at: string,
  ): Transition[] {
    const transitions: Transition[] = [];
    const seen = new Set<string>();
    for (const { domain, lookups } of domains) {
      seen.add(domain);
      const answered = lookups.filter((l) => l.success);
      if (answered.length === 0) continue;
      const now = new Set(answered.flatMap((l) => l.records.map((r) => hostKey(r))));
      const before = this.published.get(domain);
      this.published.set(domain, now);
      if (before === undefined) continue;
      for (const host of now) {
        if (!before.has(host)) transitions.push(recordTransition(domain, host, 'appeared', at));
      }
      for (const host of before) {
        if (!now.has(host)) transitions.push(recordTransition(domain, host, 'gone', at));
      }
    }
    // A domain the configuration no longer lists is forgotten, not reported gone.
    for (const domain of this.published.keys())
      if (!seen.has(domain)) this.published.delete(domain);
    return transitions;
  }
}

function recordTransition(
  domain: string,
  host: string,
  change: 'appeared' | 'gone',
  at: string,
): Transition {
  return {
    at,
    kind: 'record',
    key: `record\u0000${domain}\u0000${host}`,
    change,
    problem: false,
    code: null,
    severity: 'ok',
    domain,
    host,
    message: null,
  };
}
