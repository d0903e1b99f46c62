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
export interface CnameChain {
  readonly start: string;
  /** The name to ask next, or whose records the last answer held. */
  current: string;
  hops: number;
  /** Lowest TTL among the CNAMEs followed, or null when there were none. */
  chainTtl: number | null;
  /** Names seen, made at the first CNAME (most answers have none). */
  visited: Set<string> | null;
}

export function startChain(name: string): CnameChain {
  const start = canonicalName(name);
  return { start, current: start, hops: 0, chainTtl: null, visited: null };
}

export function askFollowingCnames(
  context: AskContext,
  name: string,
  type: QueryType,
): Promise<FollowedAnswer> {
  return followChain(context, startChain(name), type);
}

/** Asks for the chain's current name until an answer is the final word. */
export async function followChain(
  context: AskContext,
  chain: CnameChain,
  type: QueryType,
): Promise<FollowedAnswer> {
  for (;;) {
    const { response, transport } = await context.client.query(
      context.server,
      { name: chain.current, type },
      { deadline: context.deadline, attempts: context.attempts, signal: context.signal },
    );
    const done = followAnswer(chain, response, transport, type, context.maxCnameHops);
    if (done) return done;
  }
}

/**
 * Follows the CNAMEs inside one answer to the question `chain.current`: the final word
 * (records of `type`, or none, for the end of the chain), or null when the chain ended at
 * a name reached through a CNAME of this very answer, which says nothing more about it,
 * so that name is to be asked. Throws on a loop or a chain longer than `maxHops`.
 * Synchronous, so a caller that sent the first query itself can tell whether it needs
 * another at all (a CNAME at a KMS SRV name is rare).
 */
export function followAnswer(
  chain: CnameChain,
  response: DnsResponse,
  transport: 'udp' | 'tcp',
  type: QueryType,
  maxHops: number,
): FollowedAnswer | null {
  const asked = chain.current;
  let records = recordsOf(response, type, chain.current);
  while (records.length === 0) {
    const alias = response.answers.find((r) => r.type === 'CNAME' && r.name === chain.current);
    if (!alias || alias.type !== 'CNAME') break;
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
    records = recordsOf(response, type, chain.current);
  }
  if (records.length === 0 && chain.current !== asked && response.rcode === 'NOERROR') return null;
  return {
    rcode: response.rcode,
    name: chain.current,
    records,
    response,
    transport,
    chainTtl: chain.chainTtl,
  };
}

function recordsOf(response: DnsResponse, type: QueryType, owner: string): DnsRecord[] {
  return response.answers.filter((r) => r.type === type && r.name === owner);
}
