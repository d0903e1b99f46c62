/**
 * Addresses of SRV targets. Per family, glue from the SRV answer's additional section is
 * used when present; otherwise an A or AAAA query is sent (following CNAMEs, although RFC
 * 2782 forbids aliases as targets, because clients follow them and so must we).
 */
import { askFollowingCnames, type AskContext } from './cname.js';
import { mapLimit } from '../util/map-limit.js';
import { asDnsFailure, reasonForRcode, type DnsError } from './errors.js';
import type { DnsRecord } from './message.js';
import { sortAddresses } from './ip-order.js';
import { canonicalName } from './names.js';

/** Address queries in flight per domain lookup. */
export const ADDRESS_QUERY_CONCURRENCY = 8;

export interface TargetAddresses {
  addresses: string[];
  error: DnsError | null;
}

type Family = 'A' | 'AAAA';
type FamilyOutcome = { addresses: string[]; rcode: string } | { error: DnsError };
const FAMILIES = ['A', 'AAAA'] as const;

function glueFor(host: string, family: Family, additionals: readonly DnsRecord[]): string[] {
  const found: string[] = [];
  for (const record of additionals) {
    if (record.type === family && record.name === host) found.push(record.address);
  }
  return found;
}

/** An A or AAAA query for a target the additional section said nothing about. */
async function queryFamily(
  context: AskContext,
  host: string,
  family: Family,
): Promise<FamilyOutcome> {
  try {
    const answer = await askFollowingCnames(context, host, family);
    if (answer.rcode !== 'NOERROR' && answer.rcode !== 'NXDOMAIN') {
      return { error: rcodeError(answer.rcode, `${family} query for ${host}`) };
    }
    return {
      addresses: answer.records.flatMap((r) => (r.type === family ? [r.address] : [])),
      rcode: answer.rcode,
    };
  } catch (error) {
    return { error: asDnsFailure(error).toJSON() };
  }
}

function rcodeError(rcode: string, what: string): DnsError {
  return {
    reason: reasonForRcode(rcode) ?? 'servfail',
    message: `${what}: the server answered ${rcode}`,
  };
}

type Outcomes = Array<Record<Family, FamilyOutcome | null>>;

/** Per host and family, the glue of the additional section, or null where it has none. */
function glueOutcomes(hosts: readonly string[], additionals: readonly DnsRecord[]): Outcomes {
  return hosts.map((host) => {
    const byFamily: Record<Family, FamilyOutcome | null> = { A: null, AAAA: null };
    for (const family of FAMILIES) {
      const glue = glueFor(host, family, additionals);
      if (glue.length > 0) byFamily[family] = { addresses: glue, rcode: 'NOERROR' };
    }
    return byFamily;
  });
}

function combine(hosts: readonly string[], outcomes: Outcomes): TargetAddresses[] {
  return hosts.map((host, i) => {
    const v4 = outcomes[i]?.A as FamilyOutcome;
    const v6 = outcomes[i]?.AAAA as FamilyOutcome;
    const addresses = sortAddresses([
      ...('addresses' in v4 ? v4.addresses : []),
      ...('addresses' in v6 ? v6.addresses : []),
    ]);
    let error: DnsError | null = 'error' in v4 ? v4.error : 'error' in v6 ? v6.error : null;
    if (!error && addresses.length === 0 && 'rcode' in v4 && v4.rcode === 'NXDOMAIN') {
      error = {
        reason: 'nxdomain',
        message: `target ${host} does not exist: the SRV record is stale`,
      };
    }
    return { addresses, error };
  });
}

/**
 * The targets' addresses when the additional section holds both families of every one
 * (the usual answer): no query to send, so no promise to wait for. Null otherwise. The
 * same result as resolveTargets would give, built in one pass over the section per host
 * (this runs for every lookup).
 */
export function targetsFromGlue(
  hosts: readonly string[],
  additionals: readonly DnsRecord[],
): TargetAddresses[] | null {
  const targets: TargetAddresses[] = [];
  for (const host of hosts) {
    let v4: string[] | null = null;
    let v6: string[] | null = null;
    for (const record of additionals) {
      if (record.name !== host) continue;
      if (record.type === 'A') (v4 ??= []).push(record.address);
      else if (record.type === 'AAAA') (v6 ??= []).push(record.address);
    }
    if (!v4 || !v6) return null;
    targets.push({ addresses: sortAddresses(v4.concat(v6)), error: null });
  }
  return targets;
}

export async function resolveTargets(
  context: AskContext,
  hosts: readonly string[],
  additionals: readonly DnsRecord[],
): Promise<TargetAddresses[]> {
  // Glue first, synchronously: with a full additional section no query is needed at all.
  const outcomes = glueOutcomes(hosts, additionals);
  // One query per name and family: a host published on two ports, or twice with other
  // priorities, has the same addresses in every record, so it is asked once (names
  // compare as DNS compares them, without case).
  const missing = new Map<string, { host: string; family: Family; records: number[] }>();
  hosts.forEach((host, i) => {
    for (const family of FAMILIES) {
      if (outcomes[i]?.[family]) continue;
      const key = `${family} ${canonicalName(host)}`;
      const query = missing.get(key);
      if (query) query.records.push(i);
      else missing.set(key, { host, family, records: [i] });
    }
  });
  if (missing.size > 0) {
    await mapLimit([...missing.values()], ADDRESS_QUERY_CONCURRENCY, async (query) => {
      const outcome = await queryFamily(context, query.host, query.family);
      for (const i of query.records) {
        (outcomes[i] as Record<Family, FamilyOutcome | null>)[query.family] = outcome;
      }
    });
  }
  return combine(hosts, outcomes);
}
