/**
 * Config → MonitorPlan: fills in what the configuration leaves to the system (resolvers
 * and search domains from resolv.conf) and resolves product slugs against the table. Every
 * name goes through the DNS layer's one name check here too, whatever built the Config (the
 * schema, the demo, a test), so nothing the DNS layer would refuse reaches the poller.
 */
import { isIP } from 'node:net';
import { parseHostPort } from '../config/address.js';
import { ConfigError } from '../config/errors.js';
import { resolveProducts } from '../config/product-check.js';
import type { Config } from '../config/schema.js';
import {
  checkDnsName,
  normalizeDomain,
  parseResolverAddress,
  readResolvConf,
  resolverLabel,
  type ResolvConf,
} from '../dns/index.js';
import { defaultProductSlugs, type Product } from '../kms/products/index.js';
import type { MonitorPlan, PlannedDomain } from './plan.js';

interface DomainFields {
  name: string;
  resolvers?: string[] | undefined;
  expected_hosts?: string[] | undefined;
}

/** Runs `parse`; its Error becomes a ConfigError at `keyPath`. */
function checked<T>(keyPath: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ConfigError((error as Error).message, keyPath);
  }
}

/**
 * Domains once each: the schema refuses duplicates in a file, so one here comes from a
 * Config built in code or a search list; the first entry wins, as it does for hosts.
 */
function mergeDomains(domains: PlannedDomain[]): PlannedDomain[] {
  const byName = new Map<string, PlannedDomain>();
  for (const domain of domains) if (!byName.has(domain.domain)) byName.set(domain.domain, domain);
  return [...byName.values()];
}

/** Resolvers once each, in their first order. */
function uniqueResolvers<T extends { address: string; port: number }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const key = resolverLabel(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function planFromConfig(
  config: Config,
  readSystem: () => Promise<ResolvConf> = () => readResolvConf(),
  /** Told what the admin should know about the system fallback (no resolv.conf). */
  notice: (message: string) => void = () => {},
): Promise<MonitorPlan<Product>> {
  const resolved = resolveProducts(config, defaultProductSlugs);
  if ('path' in resolved) throw new ConfigError(resolved.message, 'products');
  // Static hosts given by name are resolved by the global resolvers too, else by those of
  // resolv.conf: never by the operating system's resolver.
  const staticHosts = config.hosts.map((h, i) =>
    checked(`hosts[${i}]`, () => parseHostPort(h, 1688)),
  );
  const namedHosts = staticHosts.some((h) => isIP(h.host) === 0);
  const needsSystem =
    config.domains.length === 0 ||
    (config.resolvers.length === 0 &&
      (namedHosts || config.domains.some((d) => typeof d === 'string' || !d.resolvers)));
  const system: ResolvConf = needsSystem ? await readSystem() : { nameservers: [], search: [] };
  if (system.note) notice(system.note);
  const globalResolvers = uniqueResolvers(
    config.resolvers.length > 0
      ? config.resolvers.map((r, i) => checked(`resolvers[${i}]`, () => parseResolverAddress(r)))
      : system.nameservers,
  );
  const domainEntries: Array<string | DomainFields> =
    config.domains.length > 0 ? config.domains : system.search.map((name) => ({ name }));
  const domains = domainEntries.map((entry, i): PlannedDomain => {
    const d: DomainFields = typeof entry === 'string' ? { name: entry } : entry;
    const resolvers = d.resolvers
      ? uniqueResolvers(
          d.resolvers.map((r, j) =>
            checked(`domains[${i}].resolvers[${j}]`, () => parseResolverAddress(r)),
          ),
        )
      : globalResolvers;
    if (resolvers.length === 0) {
      // Name the file actually read (--dns.resolv-conf), or say that none existed.
      const fallback = system.missingFile
        ? ` (${system.missingFile} does not exist, and dns.getServers() lists no DNS server)`
        : `, or give ${system.source ?? 'resolv.conf'} a nameserver line`;
      throw new ConfigError(
        `no resolvers: set resolvers in the configuration${fallback}`,
        'resolvers',
      );
    }
    return {
      domain: checked(`domains[${i}]`, () => normalizeDomain(d.name)),
      resolvers,
      expectedHosts: [
        ...new Set(
          (d.expected_hosts ?? []).map((h, j) =>
            checked(`domains[${i}].expected_hosts[${j}]`, () => checkDnsName(h, 'host name')),
          ),
        ),
      ],
    };
  });
  return {
    domains: mergeDomains(domains),
    staticHosts,
    hostResolvers: globalResolvers,
    products: resolved.products,
    intervalMs: config.interval,
    kmsIntervalMs: config.kms_interval,
    timeoutMs: config.timeout,
    concurrency: config.concurrency,
    recordsPerDomain: config.limits.records_per_domain,
    hostsTotal: config.limits.hosts_total,
  };
}
