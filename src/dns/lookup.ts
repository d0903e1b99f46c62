/**
 * SRV discovery for one domain: `_vlmcs._tcp.<domain>` asked of each resolver separately
 * (so the monitor can compare what each one says) or of the resolvers in turn until one
 * answers (what a client does). Every call resolves — never rejects — with results that
 * carry the rcode or one named failure reason.
 */
import { resolveTargets, targetsFromGlue } from './addresses.js';
import { DEFAULT_ATTEMPTS, DEFAULT_TIMEOUT_MS, DnsClient } from './client.js';
import {
  DEFAULT_MAX_CNAME_HOPS,
  followAnswer,
  followChain,
  startChain,
  type AskContext,
} from './cname.js';
import { asDnsFailure, reasonForRcode, type DnsError } from './errors.js';
import type { DnsResponse } from './message.js';
import { kmsSrvName, normalizeDomain } from './names.js';
import { resolverLabel, type ResolverAddress } from './resolver-address.js';
import { DEFAULT_RECORD_LIMIT, orderSrv, type SrvCandidate } from './srv-order.js';
import type { SrvLookupResult } from './types.js';

export interface LookupOptions {
  resolvers: readonly ResolverAddress[];
  /**
   * 'each' (default): one result per resolver, all asked in parallel.
   * 'first': resolvers in order until one answers NOERROR or NXDOMAIN; one result.
   */
  mode?: 'each' | 'first';
  /** Time for the whole lookup: SRV query, CNAMEs, TCP retry, address queries (default 5000). */
  timeoutMs?: number;
  /** UDP transmissions per query (default 2). */
  attempts?: number;
  /** Records kept per domain and resolver; the excess is counted in truncatedRecords (default 100). */
  recordLimit?: number;
  maxCnameHops?: number;
  /** Query A/AAAA of targets missing from the additional section (default true). */
  resolveAddresses?: boolean;
  signal?: AbortSignal;
  /** Shared client; a default one is created otherwise. */
  client?: DnsClient;
}

const defaultClient = new DnsClient();

interface Settings {
  client: DnsClient;
  attempts: number;
  recordLimit: number;
  maxCnameHops: number;
  resolveAddresses: boolean;
  signal?: AbortSignal | undefined;
}

function rcodeError(rcode: string, srvName: string): DnsError | null {
  const reason = reasonForRcode(rcode);
  switch (reason) {
    case null:
      return null;
    case 'nxdomain':
      return {
        reason,
        message: `${srvName} does not exist: no KMS host is published for this domain`,
      };
    case 'refused':
      return { reason, message: `the resolver refused to answer for ${srvName}` };
    case 'formerr':
      return { reason, message: `the resolver could not parse the query for ${srvName} (FORMERR)` };
    default:
      return { reason: 'servfail', message: `the resolver answered ${rcode} for ${srvName}` };
  }
}

/** RFC 2308: a negative answer may be cached for min(SOA TTL, SOA MINIMUM). */
function negativeTtl(response: DnsResponse): number | null {
  const soa = response.authorities.find((r) => r.type === 'SOA');
  return soa && soa.type === 'SOA' ? Math.min(soa.ttl, soa.minimum) : null;
}

/** A result for `domain` at `resolver` before anything is known: not answered, no records. */
function emptyResult(domain: string, resolver: ResolverAddress): SrvLookupResult {
  return {
    domain,
    resolver: resolverLabel(resolver),
    success: false,
    rcode: null,
    ttl: null,
    records: [],
    serviceUnavailable: false,
    truncatedRecords: 0,
    transport: null,
    durationSeconds: 0,
    error: null,
    failedResolvers: [],
  };
}

/** What the CNAME and address queries of one resolver's lookup need. */
function askContext(resolver: ResolverAddress, deadline: number, settings: Settings): AskContext {
  return {
    client: settings.client,
    server: resolver,
    deadline,
    attempts: settings.attempts,
    maxCnameHops: settings.maxCnameHops,
    signal: settings.signal,
  };
}

async function lookupAtResolver(
  domain: string,
  resolver: ResolverAddress,
  srvDeadline: number,
  addressDeadline: number,
  settings: Settings,
  started = performance.now(),
): Promise<SrvLookupResult> {
  const srvName = kmsSrvName(domain);
  const result = emptyResult(domain, resolver);
  try {
    // The SRV query is sent here rather than through askFollowingCnames: one async frame
    // less per lookup, and only an answer that ends at a CNAME (rare) needs the loop.
    const chain = startChain(srvName);
    const first = await settings.client.query(
      resolver,
      { name: chain.current, type: 'SRV' },
      { deadline: srvDeadline, attempts: settings.attempts, signal: settings.signal },
    );
    const answer =
      followAnswer(chain, first.response, first.transport, 'SRV', settings.maxCnameHops) ??
      (await followChain(askContext(resolver, srvDeadline, settings), chain, 'SRV'));
    result.rcode = answer.rcode;
    result.transport = answer.transport;
    result.error = rcodeError(answer.rcode, srvName);
    result.success = answer.rcode === 'NOERROR' || answer.rcode === 'NXDOMAIN';
    const candidates: SrvCandidate[] = [];
    let ttl = answer.chainTtl ?? Infinity;
    for (const r of answer.records) {
      ttl = Math.min(ttl, r.ttl);
      if (r.type !== 'SRV') continue;
      candidates.push({
        host: r.target,
        port: r.port,
        priority: r.priority,
        weight: r.weight,
        ttl: r.ttl,
      });
    }
    const ordered = orderSrv(candidates, settings.recordLimit);
    result.serviceUnavailable = ordered.serviceUnavailable;
    result.truncatedRecords = ordered.truncated;
    if (answer.records.length > 0) result.ttl = ttl;
    else if (result.success) result.ttl = negativeTtl(answer.response);
    const hosts = ordered.records.map((r) => r.host);
    const additionals = answer.response.additionals;
    const targets = settings.resolveAddresses
      ? (targetsFromGlue(hosts, additionals) ??
        (await resolveTargets(askContext(resolver, addressDeadline, settings), hosts, additionals)))
      : [];
    result.records = ordered.records.map((record, i) => ({
      host: record.host,
      port: record.port,
      priority: record.priority,
      weight: record.weight,
      ttl: record.ttl,
      addresses: targets[i]?.addresses ?? [],
      addressError: targets[i]?.error ?? null,
    }));
  } catch (error) {
    result.success = false;
    result.error = asDnsFailure(error).toJSON();
  }
  result.durationSeconds = (performance.now() - started) / 1000;
  return result;
}

/**
 * The results for a domain that cannot be asked at all: no query is sent, each resolver
 * (one in 'first' mode) reports `bad_name`, so a caller watching many domains sees this
 * one fail by name instead of losing the whole set to an exception.
 */
function badNameResults(
  domain: string,
  resolvers: readonly ResolverAddress[],
  mode: 'each' | 'first',
  message: string,
): SrvLookupResult[] {
  return (mode === 'each' ? resolvers : resolvers.slice(0, 1)).map((resolver) => ({
    ...emptyResult(domain, resolver),
    error: { reason: 'bad_name' as const, message },
  }));
}

/**
 * Looks up `_vlmcs._tcp.<domain>`. Rejects only on a programming error: no resolvers. An
 * invalid domain is a `bad_name` result; everything the network does ends in a result.
 */
export async function lookupSrv(
  domain: string,
  options: LookupOptions,
): Promise<SrvLookupResult[]> {
  if (options.resolvers.length === 0) throw new RangeError('lookupSrv needs at least one resolver');
  let name: string;
  try {
    name = normalizeDomain(domain);
  } catch (error) {
    return badNameResults(
      domain,
      options.resolvers,
      options.mode ?? 'each',
      (error as Error).message,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = performance.now();
  const deadline = now + timeoutMs;
  const settings: Settings = {
    client: options.client ?? defaultClient,
    attempts: options.attempts ?? DEFAULT_ATTEMPTS,
    recordLimit: options.recordLimit ?? DEFAULT_RECORD_LIMIT,
    maxCnameHops: options.maxCnameHops ?? DEFAULT_MAX_CNAME_HOPS,
    resolveAddresses: options.resolveAddresses ?? true,
    signal: options.signal,
  };
  if ((options.mode ?? 'each') === 'each') {
    if (options.resolvers.length === 1) {
      const only = options.resolvers[0] as ResolverAddress;
      return [await lookupAtResolver(name, only, deadline, deadline, settings, now)];
    }
    return Promise.all(
      options.resolvers.map((resolver) =>
        lookupAtResolver(name, resolver, deadline, deadline, settings),
      ),
    );
  }
  const started = performance.now();
  const failed: SrvLookupResult['failedResolvers'] = [];
  let last: SrvLookupResult | undefined;
  for (const [i, resolver] of options.resolvers.entries()) {
    // Give each remaining resolver an equal share of the time left, so a silent first
    // resolver cannot use up the budget of those behind it.
    const share = (deadline - performance.now()) / (options.resolvers.length - i);
    last = await lookupAtResolver(name, resolver, performance.now() + share, deadline, settings);
    if (last.success) break;
    if (i < options.resolvers.length - 1 && last.error)
      failed.push({ resolver: last.resolver, error: last.error });
  }
  const final = last as SrvLookupResult;
  final.failedResolvers = failed;
  final.durationSeconds = (performance.now() - started) / 1000;
  return [final];
}
