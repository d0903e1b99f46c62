/**
 * Addresses of SRV targets. Per family, glue from the SRV answer's additional section is
 * used when present; otherwise an A or AAAA query is sent (following CNAMEs, although RFC
 * 2782 forbids aliases as targets, because clients follow them and so must we).
 */
import { askFollowingCnames, type AskContext } from './cname.js';
import { mapLimit } from './concurrency.js';
import { asDnsFailure, type DnsError } from './errors.js';
import type { DnsRecord } from './message.js';
import { sortAddresses } from './ip-order.js';

/** Address queries in flight per domain lookup. */
export const ADDRESS_QUERY_CONCURRENCY = 8;

export interface TargetAddresses {
  addresses: string[];
  error: DnsError | null;
}

type Family = 'A' | 'AAAA';
type FamilyOutcome = { addresses: string[]; rcode: string } | { error: DnsError };

function glueFor(host: string, family: Family, additionals: readonly DnsRecord[]): string[] {
  const found: string[] = [];
  for (const record of additionals) {
    if (record.type === family && record.name === host) found.push(record.address);
  }
  return found;
}

async function addressesOf(
  context: AskContext,
  host: string,
  family: Family,
  additionals: readonly DnsRecord[],
): Promise<FamilyOutcome> {
  const glue = glueFor(host, family, additionals);
  if (glue.length > 0) return { addresses: glue, rcode: 'NOERROR' };
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
  const reason = rcode === 'REFUSED' ? 'refused' : rcode === 'FORMERR' ? 'formerr' : 'servfail';
  return { reason, message: `${what}: the server answered ${rcode}` };
}

export async function resolveTargets(
  context: AskContext,
  hosts: readonly string[],
  additionals: readonly DnsRecord[],
): Promise<TargetAddresses[]> {
  const jobs = hosts.flatMap((host) => [
    { host, family: 'A' as const },
    { host, family: 'AAAA' as const },
  ]);
  const outcomes = await mapLimit(jobs, ADDRESS_QUERY_CONCURRENCY, (job) =>
    addressesOf(context, job.host, job.family, additionals),
  );
  return hosts.map((host, i) => {
    const v4 = outcomes[2 * i] as FamilyOutcome;
    const v6 = outcomes[2 * i + 1] as FamilyOutcome;
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
