/**
 * The KMS hosts to probe in a round: every SRV record of every domain (from any resolver)
 * plus the static hosts of the configuration, merged so that one host published in three
 * domains is probed once and still listed under each of them.
 */
import { isIP } from 'node:net';
import type { DnsError, SrvLookupResult } from '../dns/index.js';
import { canonicalName } from '../dns/index.js';
import { hostKey, type HostPort } from '../util/host-port.js';

export interface KmsTarget {
  /** `host:port`, the identity of a target in the state and in labels. */
  key: string;
  host: string;
  port: number;
  /**
   * Every address the resolvers of the publishing domains gave for the host (A and AAAA,
   * from every resolver), or for a static host those of the configured resolvers. Empty
   * when none did: the host is then not probed (never resolved by the operating system).
   */
  addresses: string[];
  /** Why `addresses` is empty (a stale record: the target has no address), else null. */
  addressError: DnsError | null;
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
  return hostKey({ host: canonicalName(host), port });
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
        host: canonicalName(host),
        port,
        addresses: [],
        addressError: null,
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
  for (const { host, port } of staticHosts) {
    const target = add(host, port);
    target.static = true;
    // An IP literal is its own address: nothing to resolve.
    if (isIP(target.host) !== 0) target.addressSet.add(target.host);
  }
  for (const lookup of lookups) {
    for (const record of lookup.records) {
      const target = add(record.host, record.port);
      target.domainSet.add(lookup.domain);
      for (const address of record.addresses) target.addressSet.add(address);
      if (record.addressError && !target.addressError) target.addressError = record.addressError;
    }
  }
  const all = [...byKey.values()];
  const kept = all.slice(0, limit).map(({ domainSet, addressSet, ...target }) => ({
    ...target,
    domains: [...domainSet].sort(),
    addresses: [...addressSet],
    addressError: addressSet.size > 0 ? null : target.addressError,
  }));
  return { targets: kept, cut: all.length - kept.length };
}
