/**
 * The kms_srv_* metrics of docs/design.md, rendered at scrape time from the latest SRV lookup
 * results (prom-client collectors with `collect()`). Every gauge is reset before it is
 * filled, so the series of a record that left DNS, or of a domain no longer watched,
 * disappear with it. Reads results only; it never triggers a lookup.
 */
import { Gauge, type Registry } from 'prom-client';
import type { SrvLookupResult } from '../dns/index.js';

export type SrvResultSource = () => Iterable<SrvLookupResult>;

type Labels = Record<string, string>;

function resultGauge(
  name: string,
  help: string,
  labelNames: readonly string[],
  source: SrvResultSource,
  fill: (result: SrvLookupResult, set: (labels: Labels, value: number) => void) => void,
): Gauge {
  return new Gauge({
    name,
    help,
    labelNames: [...labelNames],
    registers: [],
    collect() {
      this.reset();
      for (const result of source()) fill(result, (labels, value) => this.set(labels, value));
    },
  });
}

const LOOKUP = ['domain', 'resolver'] as const;

/**
 * The kms_srv_* gauges, not yet registered (for callers that compose registries).
 * `source` is called once per gauge per scrape and must only read state.
 */
export function createSrvMetrics(source: SrvResultSource): Gauge[] {
  const at = (r: SrvLookupResult): Labels => ({ domain: r.domain, resolver: r.resolver });
  return [
    resultGauge(
      'kms_srv_lookup_success',
      'Whether the resolver answered the _vlmcs._tcp.<domain> SRV query (1: NOERROR or NXDOMAIN) or the lookup failed (0: timeout, SERVFAIL, REFUSED, malformed answer...). Clients in this domain that use this resolver cannot find a KMS host while it is 0 (activation error 0xC004F074).',
      LOOKUP,
      source,
      (r, set) => set(at(r), r.success ? 1 : 0),
    ),
    resultGauge(
      'kms_srv_lookup_duration_seconds',
      'Seconds the latest _vlmcs._tcp SRV lookup took at this resolver, address lookups of the targets included (also set when it failed).',
      LOOKUP,
      source,
      (r, set) => set(at(r), r.durationSeconds),
    ),
    resultGauge(
      'kms_srv_records',
      'Number of _vlmcs._tcp SRV records the domain publishes at this resolver, duplicates merged (0 = none: clients cannot auto-discover a KMS host). Absent while the lookup fails.',
      LOOKUP,
      source,
      (r, set) => {
        if (r.success) set(at(r), r.records.length + r.truncatedRecords);
      },
    ),
    resultGauge(
      'kms_srv_records_truncated',
      'SRV records beyond the per-domain record limit, left out of kms_srv_record_info and not probed. Raise the limit or clean up stale records if this is above 0.',
      LOOKUP,
      source,
      (r, set) => {
        if (r.success) set(at(r), r.truncatedRecords);
      },
    ),
    resultGauge(
      'kms_srv_record_info',
      'One series per published KMS host (SRV target), always 1. Clients try lower priority first and, within a priority, favour higher weight.',
      [...LOOKUP, 'host', 'port', 'priority', 'weight'],
      source,
      (r, set) => {
        for (const record of r.records) {
          set(
            {
              ...at(r),
              host: record.host,
              port: String(record.port),
              priority: String(record.priority),
              weight: String(record.weight),
            },
            1,
          );
        }
      },
    ),
  ];
}

/** Registers the kms_srv_* gauges on `registry`, reading `source` at every scrape. */
export function registerSrvMetrics(registry: Registry, source: SrvResultSource): Gauge[] {
  const gauges = createSrvMetrics(source);
  for (const gauge of gauges) registry.registerMetric(gauge);
  return gauges;
}
