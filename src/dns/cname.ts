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

export async function askFollowingCnames(
  context: AskContext,
  name: string,
  type: QueryType,
): Promise<FollowedAnswer> {
  const start = canonicalName(name);
  const visited = new Set([start]);
  let current = start;
  let hops = 0;
  let chainTtl: number | null = null;
  for (;;) {
    const asked = current;
    const { response, transport } = await context.client.query(
      context.server,
      { name: asked, type },
      { deadline: context.deadline, attempts: context.attempts, signal: context.signal },
    );
    for (;;) {
      const records = response.answers.filter((r) => r.type === type && r.name === current);
      if (records.length > 0)
        return { rcode: response.rcode, name: current, records, response, transport, chainTtl };
      const alias = response.answers.find((r) => r.type === 'CNAME' && r.name === current);
      if (!alias || alias.type !== 'CNAME') break;
      hops++;
      if (hops > context.maxCnameHops) {
        throw new DnsFailure(
          'malformed',
          `CNAME chain from ${start} is longer than ${context.maxCnameHops} hops`,
        );
      }
      if (visited.has(alias.target)) {
        throw new DnsFailure('malformed', `CNAME loop: ${current} points back to ${alias.target}`);
      }
      visited.add(alias.target);
      chainTtl = chainTtl === null ? alias.ttl : Math.min(chainTtl, alias.ttl);
      current = alias.target;
    }
    // The chain ended at a name this answer says nothing more about: if it was reached
    // through a CNAME of this very answer, ask for it; otherwise this is the final word.
    if (response.rcode !== 'NOERROR' || current === asked) {
      return { rcode: response.rcode, name: current, records: [], response, transport, chainTtl };
    }
  }
}
