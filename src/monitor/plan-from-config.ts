/**
 * Config → MonitorPlan: fills in what the configuration leaves to the system (resolvers
 * and search domains from resolv.conf) and resolves product slugs against the table.
 */
import { parseHostPort } from '../config/address.js';
import { ConfigError } from '../config/errors.js';
import { resolveProducts } from '../config/product-check.js';
import type { Config } from '../config/schema.js';
import { parseResolverAddress, readResolvConf, type ResolvConf } from '../dns/index.js';
import { defaultProductSlugs, type Product } from '../kms/products/index.js';
import type { MonitorPlan } from './plan.js';

export async function planFromConfig(
  config: Config,
  readSystem: () => Promise<ResolvConf> = () => readResolvConf(),
): Promise<MonitorPlan<Product>> {
  const resolved = resolveProducts(config, defaultProductSlugs);
  if ('path' in resolved) throw new ConfigError(resolved.message, 'products');
  const needsSystem =
    config.domains.length === 0 ||
    (config.resolvers.length === 0 &&
      config.domains.some((d) => typeof d === 'string' || !d.resolvers));
  const system = needsSystem ? await readSystem() : { nameservers: [], search: [] };
  const globalResolvers =
    config.resolvers.length > 0
      ? config.resolvers.map((r) => parseResolverAddress(r))
      : system.nameservers;
  const domainEntries =
    config.domains.length > 0 ? config.domains : system.search.map((name) => ({ name }));
  const domains = domainEntries.map((entry) => {
    const d: {
      name: string;
      resolvers?: string[] | undefined;
      expected_hosts?: string[] | undefined;
    } = typeof entry === 'string' ? { name: entry } : entry;
    const resolvers = d.resolvers
      ? d.resolvers.map((r) => parseResolverAddress(r))
      : globalResolvers;
    if (resolvers.length === 0) {
      throw new ConfigError(
        'no resolvers: set resolvers in the configuration, or give /etc/resolv.conf a nameserver line',
        'resolvers',
      );
    }
    return {
      domain: d.name.toLowerCase().replace(/\.$/, ''),
      resolvers,
      expectedHosts: d.expected_hosts ?? [],
    };
  });
  return {
    domains,
    staticHosts: config.hosts.map((h) => parseHostPort(h, 1688)),
    products: resolved.products,
    intervalMs: config.interval,
    kmsIntervalMs: config.kms_interval,
    timeoutMs: config.timeout,
    concurrency: config.concurrency,
    recordsPerDomain: config.limits.records_per_domain,
    hostsTotal: config.limits.hosts_total,
  };
}
