/**
 * SRV discovery: the latest `_vlmcs._tcp.<domain>` lookup at each resolver, the records it
 * returned, and what the resolvers of a domain say together. A failed lookup says nothing
 * about the record count: no series rather than a false 0.
 */
import { LabelNames } from '../exposition.js';
import {
  DOMAIN_LABELS,
  LOOKUP_LABELS,
  labelledCounterFamily,
  type StateFamily,
} from '../state-scrape.js';

export const SRV_LOOKUP_SUCCESS: StateFamily = {
  name: 'kms_srv_lookup_success',
  type: 'gauge',
  help: 'Whether the resolver answered the _vlmcs._tcp.<domain> SRV query (1: NOERROR or NXDOMAIN) or the lookup failed (0: timeout, SERVFAIL, REFUSED, malformed answer...). Clients in this domain that use this resolver cannot find a KMS host while it is 0 (activation error 0xC004F074).',
  labels: LOOKUP_LABELS.names,
  samples(scrape, emit) {
    for (const { lookup, labels } of scrape.lookups) emit(labels, lookup.success ? 1 : 0);
  },
};

export const SRV_LOOKUP_DURATION: StateFamily = {
  name: 'kms_srv_lookup_duration_seconds',
  type: 'gauge',
  help: 'Seconds the latest _vlmcs._tcp SRV lookup took at this resolver, address lookups of the targets included (also set when it failed).',
  labels: LOOKUP_LABELS.names,
  samples(scrape, emit) {
    for (const { lookup, labels } of scrape.lookups) emit(labels, lookup.durationSeconds);
  },
};

export const SRV_RECORDS: StateFamily = {
  name: 'kms_srv_records',
  type: 'gauge',
  help: 'Number of _vlmcs._tcp SRV records the domain publishes at this resolver, duplicates merged (0 = none: clients cannot auto-discover a KMS host). Absent while the lookup fails.',
  labels: LOOKUP_LABELS.names,
  samples(scrape, emit) {
    for (const { lookup, labels } of scrape.lookups)
      if (lookup.success) emit(labels, lookup.records.length + lookup.truncatedRecords);
  },
};

export const SRV_RECORDS_TRUNCATED: StateFamily = {
  name: 'kms_srv_records_truncated',
  type: 'gauge',
  help: 'SRV records beyond the per-domain record limit, left out of kms_srv_record_info and not probed. Raise the limit or clean up stale records if this is above 0.',
  labels: LOOKUP_LABELS.names,
  samples(scrape, emit) {
    for (const { lookup, labels } of scrape.lookups)
      if (lookup.success) emit(labels, lookup.truncatedRecords);
  },
};

const RECORD_LABELS = new LabelNames(['host', 'port', 'priority', 'weight']);
const DOMAIN_HOST_LABELS = new LabelNames([...DOMAIN_LABELS.names, 'host']);

export const SRV_RECORD_INFO: StateFamily = {
  name: 'kms_srv_record_info',
  type: 'gauge',
  help: 'One series per published KMS host (SRV target), always 1. Clients try lower priority first and, within a priority, favour higher weight.',
  labels: [...LOOKUP_LABELS.names, ...RECORD_LABELS.names],
  samples(scrape, emit) {
    for (const { lookup, labels } of scrape.lookups)
      for (const r of lookup.records) {
        const values = [r.host, r.port, r.priority, r.weight];
        emit(RECORD_LABELS.text(values, labels), 1);
      }
  },
};

export const SRV_LOOKUP_FAILURES = labelledCounterFamily({
  name: 'kms_srv_lookup_failures_total',
  help: 'SRV lookups that failed, by reason (timeout, servfail, refused, malformed...). NXDOMAIN is not a failure of the resolver and is not counted here.',
  labels: [...LOOKUP_LABELS.names, 'reason'],
  counter: (state) => state.dnsFailures,
});

export const SRV_RESOLVERS_DISAGREE: StateFamily = {
  name: 'kms_srv_resolvers_disagree',
  type: 'gauge',
  help: '1 when the resolvers of a domain returned different _vlmcs._tcp record sets (split-horizon or replication trouble): clients see different KMS hosts depending on their DNS server.',
  labels: DOMAIN_LABELS.names,
  samples(scrape, emit) {
    for (const d of scrape.state.domains.values())
      emit(DOMAIN_LABELS.text([d.domain]), d.resolversDisagree ? 1 : 0);
  },
};

export const SRV_EXPECTED_HOST_MISSING: StateFamily = {
  name: 'kms_srv_expected_host_missing',
  type: 'gauge',
  help: 'An expected_hosts entry of the configuration that no resolver of the domain publishes (1).',
  labels: DOMAIN_HOST_LABELS.names,
  samples(scrape, emit) {
    for (const d of scrape.state.domains.values())
      for (const host of d.missingExpectedHosts) emit(DOMAIN_HOST_LABELS.text([d.domain, host]), 1);
  },
};
