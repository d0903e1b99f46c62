/**
 * SRV discovery: the latest `_vlmcs._tcp.<domain>` lookup at each resolver, the records it
 * returned, and what the resolvers of a domain say together. A failed lookup says nothing
 * about the record count: no series rather than a false 0.
 */
import { labelledGauge } from '../family.js';
import {
  DOMAIN_LABELS,
  LOOKUP_LABELS,
  LOOKUPS,
  labelledCounterFamily,
  type StateFamily,
} from '../state-scrape.js';

export const SRV_LOOKUP_SUCCESS = LOOKUPS.gauge(
  'kms_srv_lookup_success',
  'Whether the resolver answered the _vlmcs._tcp.<domain> SRV query (1: NOERROR or NXDOMAIN) or the lookup failed (0: timeout, SERVFAIL, REFUSED, malformed answer...). Clients in this domain that use this resolver cannot find a KMS host while it is 0 (activation error 0xC004F074).',
  ({ lookup }) => (lookup.success ? 1 : 0),
);

export const SRV_LOOKUP_DURATION = LOOKUPS.gauge(
  'kms_srv_lookup_duration_seconds',
  'Seconds the latest _vlmcs._tcp SRV lookup took at this resolver, address lookups of the targets included (also set when it failed).',
  ({ lookup }) => lookup.durationSeconds,
);

export const SRV_RECORDS = LOOKUPS.gauge(
  'kms_srv_records',
  'Number of _vlmcs._tcp SRV records the domain publishes at this resolver, duplicates merged (0 = none: clients cannot auto-discover a KMS host). Absent while the lookup fails.',
  ({ lookup }) => (lookup.success ? lookup.records.length + lookup.truncatedRecords : null),
);

export const SRV_RECORDS_TRUNCATED = LOOKUPS.gauge(
  'kms_srv_records_truncated',
  'SRV records beyond the per-domain record limit, left out of kms_srv_record_info and not probed. Raise the limit or clean up stale records if this is above 0.',
  ({ lookup }) => (lookup.success ? lookup.truncatedRecords : null),
);

export const SRV_RECORD_INFO = LOOKUPS.labelledGauge({
  name: 'kms_srv_record_info',
  help: 'One series per published KMS host (SRV target), always 1. Clients try lower priority first and, within a priority, favour higher weight.',
  labels: ['host', 'port', 'priority', 'weight'],
  samples({ lookup }, emit) {
    for (const r of lookup.records) emit([r.host, r.port, r.priority, r.weight], 1);
  },
});

export const SRV_LOOKUP_FAILURES = labelledCounterFamily({
  name: 'kms_srv_lookup_failures_total',
  help: 'SRV lookups that failed, by reason (timeout, servfail, refused, malformed...). NXDOMAIN is not a failure of the resolver and is not counted here.',
  labels: [...LOOKUP_LABELS.names, 'reason'],
  counter: (state) => state.dnsFailures,
});

export const SRV_RESOLVERS_DISAGREE: StateFamily = labelledGauge({
  name: 'kms_srv_resolvers_disagree',
  help: '1 when the resolvers of a domain returned different _vlmcs._tcp record sets (split-horizon or replication trouble): clients see different KMS hosts depending on their DNS server.',
  labels: DOMAIN_LABELS.names,
  samples(scrape, emit) {
    for (const d of scrape.state.domains.values()) emit([d.domain], d.resolversDisagree ? 1 : 0);
  },
});

export const SRV_EXPECTED_HOST_MISSING: StateFamily = labelledGauge({
  name: 'kms_srv_expected_host_missing',
  help: 'An expected_hosts entry of the configuration that no resolver of the domain publishes (1).',
  labels: [...DOMAIN_LABELS.names, 'host'],
  samples(scrape, emit) {
    for (const d of scrape.state.domains.values())
      for (const host of d.missingExpectedHosts) emit([d.domain, host], 1);
  },
});
