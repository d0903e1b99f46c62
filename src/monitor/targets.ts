/**
 * The KMS hosts to probe in a round: every SRV record of every domain (from any resolver)
 * plus the static hosts of the configuration, merged so that one host published in three
 * domains is probed once and still listed under each of them.
 */
import type { SrvLookupResult } from '../dns/index.js';
import { formatHostPort, type HostPort } from '../config/address.js';

export interface KmsTarget {
  /** `host:port`, the identity of a target in the state and in labels. */
  key: string;
  host: string;
  port: number;
  /** Addresses the domains' resolvers gave for the host; empty means resolve at connect. */
  addresses: string[];
  /** Domains whose SRV records publish this host, sorted. */
  domains: string[];
  /** Listed under `hosts` in the configuration. */
  static: boolean;
}

export interface TargetSet {
  targets: KmsTarget[];
  /** Hosts left out because of limits.hosts_total. */
  cut: number;
}

export function targetKey(host: string, port: number): string {
  return formatHostPort({ host: host.toLowerCase().replace(/\.$/, ''), port });
}

export function mergeTargets(
  lookups: Iterable<SrvLookupResult>,
  staticHosts: readonly HostPort[],
  limit: number,
): TargetSet {
  const byKey = new Map<string, KmsTarget & { domainSet: Set<string>; addressSet: Set<string> }>();
  const add = (host: string, port: number) => {
    const key = targetKey(host, port);
    let target = byKey.get(key);
    if (!target) {
      target = {
        key,
        host: host.toLowerCase().replace(/\.$/, ''),
        port,
        addresses: [],
        domains: [],
        static: false,
        domainSet: new Set(),
        addressSet: new Set(),
      };
      byKey.set(key, target);
    }
    return target;
  };
  // Static hosts first: when the limit cuts, what the admin listed by hand survives.
  for (const { host, port } of staticHosts) add(host, port).static = true;
  for (const lookup of lookups) {
    for (const record of lookup.records) {
      const target = add(record.host, record.port);
      target.domainSet.add(lookup.domain);
      for (const address of record.addresses) target.addressSet.add(address);
    }
  }
  const all = [...byKey.values()];
  const kept = all.slice(0, limit).map(({ domainSet, addressSet, ...target }) => ({
    ...target,
    domains: [...domainSet].sort(),
    addresses: [...addressSet],
  }));
  return { targets: kept, cut: all.length - kept.length };
}
