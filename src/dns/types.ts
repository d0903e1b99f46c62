/** The public shapes of SRV discovery results (the `discover --json` contract of docs/design.md). */
import type { DnsError } from './errors.js';

export interface SrvRecord {
  /** Target host, lower case, without the trailing dot. */
  host: string;
  port: number;
  priority: number;
  weight: number;
  /** TTL of the SRV record, seconds. */
  ttl: number;
  /** IPv4 then IPv6, numerically sorted, from the additional section or A/AAAA queries. */
  addresses: string[];
  /**
   * Why addresses are missing or incomplete: `nxdomain` when the target does not exist (a
   * stale record), or the failure of an A/AAAA query. Null when both families answered.
   */
  addressError: DnsError | null;
}

export interface SrvLookupResult {
  /** The domain as configured (normalized); the SRV name asked is `_vlmcs._tcp.<domain>`. */
  domain: string;
  /** `ip:port` of the resolver that gave this result (`[::1]:53` for IPv6). */
  resolver: string;
  /** The resolver answered NOERROR or NXDOMAIN (kms_srv_lookup_success). */
  success: boolean;
  /** The answer's rcode; null when no valid answer arrived. */
  rcode: string | null;
  /** Seconds the answer may be cached: the lowest TTL of the SRV set and CNAMEs followed,
   *  or the negative-caching TTL of the SOA for NXDOMAIN and empty answers; null if unknown. */
  ttl: number | null;
  /** RFC 2782 order, deterministic: priority ascending, weight descending, host, port. */
  records: SrvRecord[];
  /** The only record has target ".": the domain says KMS is decidedly not offered here. */
  serviceUnavailable: boolean;
  /** Records left out because the domain had more than the record limit. */
  truncatedRecords: number;
  /** Transport of the SRV answer; null when none arrived. */
  transport: 'udp' | 'tcp' | null;
  durationSeconds: number;
  /** Null on a NOERROR answer; `nxdomain` (with success true) or one named failure otherwise. */
  error: DnsError | null;
  /** In 'first' mode: resolvers tried before this one, and why each did not do. */
  failedResolvers: Array<{ resolver: string; error: DnsError }>;
}
