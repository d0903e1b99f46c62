/**
 * Discovery over many domains with a bound on lookups in flight, so a thousand domains
 * neither open a thousand sockets at once nor flood a resolver.
 */
import { mapLimit } from '../util/map-limit.js';
import { lookupSrv, type LookupOptions } from './lookup.js';
import { normalizeDomain } from './names.js';
import type { ResolverAddress } from './resolver-address.js';
import type { SrvLookupResult } from './types.js';

export const DEFAULT_DISCOVERY_CONCURRENCY = 32;

/** A domain, optionally with its own resolvers (split-horizon DNS, per-forest servers). */
export interface DiscoverTarget {
  domain: string;
  resolvers?: readonly ResolverAddress[];
}

export interface DiscoverOptions extends LookupOptions {
  /** Lookups in flight at once; in 'each' mode one lookup is one domain at one resolver. */
  concurrency?: number;
  /** Called as each result arrives, before the whole set is done. */
  onResult?: (result: SrvLookupResult) => void;
}

/**
 * Looks up every target; results come back grouped by target in input order, then by
 * resolver order, once all are done. Network trouble and invalid domains never reject:
 * they are in the results (an invalid domain as `bad_name`, with no query sent). Only a
 * programming error does, before any query is sent: a target left with no resolver.
 */
export async function discoverAll(
  targets: Iterable<string | DiscoverTarget>,
  options: DiscoverOptions,
): Promise<SrvLookupResult[]> {
  const { concurrency = DEFAULT_DISCOVERY_CONCURRENCY, onResult, ...lookup } = options;
  const jobs: Array<{ domain: string; resolvers: readonly ResolverAddress[] }> = [];
  for (const target of targets) {
    const given = typeof target === 'string' ? target : target.domain;
    let domain = given;
    try {
      domain = normalizeDomain(given);
    } catch {
      // lookupSrv turns it into a bad_name result for this domain alone.
    }
    const resolvers =
      (typeof target === 'string' ? undefined : target.resolvers) ?? lookup.resolvers;
    if (resolvers.length === 0) throw new RangeError(`no resolver for domain ${domain}`);
    if ((lookup.mode ?? 'each') === 'each') {
      for (const resolver of resolvers) jobs.push({ domain, resolvers: [resolver] });
    } else {
      jobs.push({ domain, resolvers });
    }
  }
  const batches = await mapLimit(jobs, concurrency, async (job) => {
    const results = await lookupSrv(job.domain, { ...lookup, resolvers: job.resolvers });
    if (onResult) for (const result of results) onResult(result);
    return results;
  });
  return batches.flat();
}
