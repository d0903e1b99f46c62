/**
 * The DNS layer's public API: SRV discovery of KMS hosts, the single-query client it is
 * built on, and resolver configuration. Knows nothing of metrics, HTTP or the monitor.
 */
export {
  DnsClient,
  DEFAULT_ATTEMPTS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
} from './client.js';
export type { DnsClientOptions, QueryAnswer, QueryOptions } from './client.js';
export { DEFAULT_MAX_CNAME_HOPS } from './cname.js';
export { DEFAULT_DISCOVERY_CONCURRENCY, discoverAll } from './discover-all.js';
export type { DiscoverOptions, DiscoverTarget } from './discover-all.js';
export { DNS_FAILURE_REASONS, DnsFailure } from './errors.js';
export type { DnsError, DnsFailureReason } from './errors.js';
export { lookupSrv } from './lookup.js';
export { resolveHostAddresses } from './host-addresses.js';
export type { HostAddressOptions, HostAddresses, ResolverAddresses } from './host-addresses.js';
export type { LookupOptions } from './lookup.js';
export type { DnsQuestion, DnsRecord, DnsResponse, QueryType } from './message.js';
export {
  DnsNameError,
  KMS_SRV_PREFIX,
  canonicalName,
  checkDnsName,
  checkWireLimits,
  kmsSrvName,
  normalizeDomain,
} from './names.js';
export {
  DEFAULT_RESOLV_CONF,
  MAX_RESOLV_CONF_BYTES,
  parseResolvConf,
  parseSystemServers,
  readResolvConf,
} from './resolv-conf.js';
export type { ReadResolvConfOptions, ResolvConf } from './resolv-conf.js';
export {
  DNS_PORT,
  canonicalIpv6,
  parseResolverAddress,
  resolverLabel,
} from './resolver-address.js';
export type { ResolverAddress } from './resolver-address.js';
export { DEFAULT_RECORD_LIMIT, compareSrv } from './srv-order.js';
export type { SrvLookupResult, SrvRecord } from './types.js';
// The wire-level reader, for servers built on this layer (the lab's zone server).
export {
  CLASS_IN,
  TYPE,
  checkMessage,
  readHeader,
  readName,
  readQuestion,
  sameQuestionBytes,
  skipName,
} from './wire-check.js';
export type {
  MessageLayout,
  RecordLayout,
  Section,
  WireHeader,
  WireQuestion,
} from './wire-check.js';
