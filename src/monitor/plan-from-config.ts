/**
 * Config → MonitorPlan: the parsed configuration mapped onto what the poller watches, with
 * what the configuration leaves to the system (resolvers and search domains from
 * resolv.conf) filled in. Nothing is checked or parsed again here: the schema
 * (src/config/schema.ts) already turned every value into what the plan holds.
 */
import { isIP } from 'node:net';
import { ConfigError } from '../config/errors.js';
import type { Config, DomainConfig } from '../config/schema.js';
import {
  readResolvConf,
  resolverLabel,
  type ResolvConf,
  type ResolverAddress,
} from '../dns/index.js';
import type { Product } from '../kms/products/index.js';
import type { MonitorPlan, PlannedDomain } from './plan.js';
import { authorizationOf } from './authorization.js';

/** Domains once each: the search list may name one twice; the first entry wins. */
function mergeDomains(domains: PlannedDomain[]): PlannedDomain[] {
  const byName = new Map<string, PlannedDomain>();
  for (const domain of domains) if (!byName.has(domain.domain)) byName.set(domain.domain, domain);
  return [...byName.values()];
}

/** System resolvers once each, in their first order (the schema refuses configured repeats). */
function uniqueResolvers(list: readonly ResolverAddress[]): ResolverAddress[] {
  return [...new Map(list.map((r) => [resolverLabel(r), r])).values()];
}

/** Where the resolvers come from, named in the error when there are none. */
function noResolvers(system: ResolvConf): ConfigError {
  const fallback = system.missingFile
    ? ` (${system.missingFile} does not exist, and dns.getServers() lists no DNS server)`
    : `, or give ${system.source ?? 'resolv.conf'} a nameserver line`;
  return new ConfigError(
    `no resolvers: set resolvers in the configuration${fallback}`,
    'resolvers',
  );
}

export async function planFromConfig(
  config: Config,
  readSystem: () => Promise<ResolvConf> = () => readResolvConf(),
  /** Told what the admin should know about the system fallback (no resolv.conf). */
  notice: (message: string) => void = () => {},
): Promise<MonitorPlan<Product>> {
  // Static hosts given by name are resolved by the global resolvers too, else by those of
  // resolv.conf: never by the operating system's resolver.
  const namedHosts = config.hosts.some((h) => isIP(h.host) === 0);
  const needsSystem =
    config.domains.length === 0 ||
    (config.resolvers.length === 0 && (namedHosts || config.domains.some((d) => !d.resolvers)));
  const system: ResolvConf = needsSystem ? await readSystem() : { nameservers: [], search: [] };
  if (system.note) notice(system.note);
  const globalResolvers =
    config.resolvers.length > 0 ? config.resolvers : uniqueResolvers(system.nameservers);
  const domainEntries: DomainConfig[] =
    config.domains.length > 0 ? config.domains : system.search.map((name) => ({ name }));
  const domains = domainEntries.map((d): PlannedDomain => {
    const resolvers = d.resolvers ?? globalResolvers;
    if (resolvers.length === 0) throw noResolvers(system);
    const authorization = authorizationOf(d);
    const replaces = Object.entries(d.replaces ?? {}).map(([next, old]) => ({ new: next, old }));
    return {
      domain: d.name,
      resolvers,
      expectedHosts: d.expected_hosts ?? [],
      ...(authorization ? { authorization } : {}),
      ...(replaces.length > 0 ? { replaces } : {}),
    };
  });
  return {
    domains: mergeDomains(domains),
    staticHosts: config.hosts,
    hostResolvers: globalResolvers,
    products: config.products,
    intervalMs: config.interval,
    kmsIntervalMs: config.kms_interval,
    timeoutMs: config.timeout,
    concurrency: config.concurrency,
    recordsPerDomain: config.limits.records_per_domain,
    hostsTotal: config.limits.hosts_total,
    historyRetentionMs: config.history.retention,
    trust: { countEcho: config.trust.count_echo, clockWindow: config.trust.clock_window_check },
  };
}
