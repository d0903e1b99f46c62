/**
 * Asks for a name and type and follows CNAMEs: first those inside the answer (a recursive
 * resolver returns the whole chain), then by asking again for the end of the chain when
 * the server stopped there (a server that is not authoritative for the target does). A
 * hop limit and a visited set stop loops and absurd chains.
 */
import type { DnsClient } from './client.js';
import { DnsFailure } from './errors.js';
import type { DnsRecord, DnsResponse, QueryType } from './message.js';
import { canonicalName } from './names.js';
import type { ResolverAddress } from './resolver-address.js';

/** As BIND's default for following CNAMEs within one lookup, near enough (it allows 16). */
export const DEFAULT_MAX_CNAME_HOPS = 8;

export interface AskContext {
  client: DnsClient;
  server: ResolverAddress;
  deadline: number;
  attempts: number;
  maxCnameHops: number;
  signal?: AbortSignal | undefined;
}

export interface FollowedAnswer {
  rcode: string;
  /** The name the records belong to: the end of the CNAME chain. */
  name: string;
  /** Records of the asked type owned by `name`. */
  records: DnsRecord[];
  /** The last response (its additional and authority sections are used by callers). */
  response: DnsResponse;
  transport: 'udp' | 'tcp';
  /** Lowest TTL among the CNAMEs followed, or null when there were none. */
  chainTtl: number | null;
}

/** Where a chain stands between two queries. */
interface Chain {
  readonly start: string;
  current: string;
  hops: number;
  chainTtl: number | null;
  /** Names seen, made at the first CNAME (most answers have none). */
  visited: Set<string> | null;
}

/**
 * Asks, then follows the CNAMEs of the answer. A plain promise chain, not an async
 * function: a lookup asks this once per SRV name and per target, and without CNAMEs (the
 * usual case) it settles with the query's own answer, in one step.
 */
export function askFollowingCnames(
  context: AskContext,
  name: string,
  type: QueryType,
): Promise<FollowedAnswer> {
  const start = canonicalName(name);
  const chain: Chain = { start, current: start, hops: 0, chainTtl: null, visited: null };
  const options = {
    deadline: context.deadline,
    attempts: context.attempts,
    signal: context.signal,
  };
  const ask = (): Promise<FollowedAnswer> => {
    const asked = chain.current;
    return context.client
      .query(context.server, { name: asked, type }, options)
      .then(({ response, transport }) => {
        follow(chain, response, type, context.maxCnameHops);
        const records = recordsOf(response, type, chain.current);
        if (records.length === 0 && chain.current !== asked && response.rcode === 'NOERROR') {
          // The chain ended at a name reached through a CNAME of this very answer, which
          // says nothing more about it: ask for it.
          return ask();
        }
        return {
          rcode: response.rcode,
          name: chain.current,
          records,
          response,
          transport,
          chainTtl: chain.chainTtl,
        };
      });
  };
  return ask();
}

function recordsOf(response: DnsResponse, type: QueryType, owner: string): DnsRecord[] {
  return response.answers.filter((r) => r.type === type && r.name === owner);
}

function hasRecords(response: DnsResponse, type: QueryType, owner: string): boolean {
  return response.answers.some((r) => r.type === type && r.name === owner);
}

/**
 * Moves `chain.current` along the CNAMEs of `response` until a name with records of
 * `type`, or one the answer has no CNAME for. Throws on a loop or a chain over the limit.
 */
function follow(chain: Chain, response: DnsResponse, type: QueryType, maxHops: number): void {
  while (!hasRecords(response, type, chain.current)) {
    const alias = response.answers.find((r) => r.type === 'CNAME' && r.name === chain.current);
    if (!alias || alias.type !== 'CNAME') return;
    chain.hops++;
    if (chain.hops > maxHops) {
      throw new DnsFailure(
        'malformed',
        `CNAME chain from ${chain.start} is longer than ${maxHops} hops`,
      );
    }
    const visited = (chain.visited ??= new Set([chain.start]));
    if (visited.has(alias.target)) {
      throw new DnsFailure(
        'malformed',
        `CNAME loop: ${chain.current} points back to ${alias.target}`,
      );
    }
    visited.add(alias.target);
    chain.chainTtl = chain.chainTtl === null ? alias.ttl : Math.min(chain.chainTtl, alias.ttl);
    chain.current = alias.target;
  }
}
