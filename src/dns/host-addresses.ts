/**
 * A and AAAA of one host name, asked of the configured resolvers with kms-monitor's own
 * client — never the operating system's resolver, so a name resolves the way the
 * monitored clients see it and no query goes to a resolver nobody configured. An IP
 * literal is returned as is, without a query. Rejects only on a programming error (no
 * resolvers); everything the network does ends in the result.
 */
import { ipFamily } from '../util/ip-family.js';
import { resolveTargets } from './addresses.js';
import { DEFAULT_ATTEMPTS, DEFAULT_TIMEOUT_MS, DnsClient } from './client.js';
import { DEFAULT_MAX_CNAME_HOPS } from './cname.js';
import type { DnsError } from './errors.js';
import { sortAddresses } from './ip-order.js';
import { canonicalName } from './names.js';
import { resolverLabel, type ResolverAddress } from './resolver-address.js';

export interface HostAddressOptions {
  resolvers: readonly ResolverAddress[];
  /** Time for every query of this host (default 5000). */
  timeoutMs?: number;
  signal?: AbortSignal;
  client?: DnsClient;
}

export interface ResolverAddresses {
  resolver: string;
  addresses: string[];
  error: DnsError | null;
}

export interface HostAddresses {
  /** Every address any resolver gave, deduplicated, in connection order. */
  addresses: string[];
  /** What each resolver said, in resolver order (empty for an IP literal). */
  byResolver: ResolverAddresses[];
  /** Set when no resolver gave an address: the first resolver's reason. */
  error: DnsError | null;
}

const defaultClient = new DnsClient();

export async function resolveHostAddresses(
  host: string,
  options: HostAddressOptions,
): Promise<HostAddresses> {
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (ipFamily(literal) !== 0) return { addresses: [literal], byResolver: [], error: null };
  if (options.resolvers.length === 0) {
    throw new RangeError('resolveHostAddresses needs at least one resolver');
  }
  const name = canonicalName(host);
  const deadline = performance.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const byResolver = await Promise.all(
    options.resolvers.map(async (server): Promise<ResolverAddresses> => {
      const context = {
        client: options.client ?? defaultClient,
        server,
        deadline,
        attempts: DEFAULT_ATTEMPTS,
        maxCnameHops: DEFAULT_MAX_CNAME_HOPS,
        signal: options.signal,
      };
      const [found] = await resolveTargets(context, [name], []);
      const error =
        found?.error ??
        (found?.addresses.length
          ? null
          : { reason: 'no_address' as const, message: `${name} has no A or AAAA record` });
      return { resolver: resolverLabel(server), addresses: found?.addresses ?? [], error };
    }),
  );
  const addresses = sortAddresses([...new Set(byResolver.flatMap((r) => r.addresses))]);
  const error = addresses.length > 0 ? null : (byResolver[0]?.error ?? null);
  return { addresses, byResolver, error };
}
