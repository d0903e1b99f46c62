/** The `_vlmcs._tcp` SRV records: what each resolver publishes and how its lookups go. */
import { D, H, JI } from '../lib/filters.js';
import {
  byName,
  colorBackground,
  okFailMappings,
  organize,
  upDownMappings,
} from '../lib/field-config.js';
import type { Row } from '../lib/layout.js';
import { columnLinks, domainRowLink, domainSeriesLink, hostRowLink } from '../lib/links.js';
import { stateTimeline, table, timeseries } from '../lib/panels.js';

export const dnsRow: Row = {
  title: 'DNS: _vlmcs._tcp SRV records',
  panels: [
    table({
      title: 'Published KMS hosts (SRV records)',
      description:
        'Every _vlmcs._tcp record of every domain and resolver with its priority and weight (clients try the lowest priority first and, within a priority, favour higher weight), and whether the host answers on its port now. A host that is down here is a stale SRV record.',
      queries: [
        {
          expr: `max by (domain, resolver, host, port, priority, weight) (kms_srv_record_info{${JI}, ${D}, ${H}}) * on (host, port) group_left () max by (host, port) (kms_host_up{${JI}})`,
        },
      ],
      size: { w: 14, h: 9 },
      fieldConfig: {
        defaults: { mappings: upDownMappings },
        overrides: [
          byName('TCP', [colorBackground]),
          columnLinks('host', [hostRowLink]),
          columnLinks('domain', [domainRowLink]),
        ],
      },
      transformations: [organize({ Value: 'TCP' })],
    }),
    stateTimeline({
      title: 'SRV lookup by resolver',
      description:
        'Whether each resolver answered the _vlmcs._tcp.<domain> query (NOERROR or NXDOMAIN). Failing: clients using that DNS server cannot find a KMS host (alert KmsSrvLookupFailing).',
      queries: [
        {
          expr: `kms_srv_lookup_success{${JI}, ${D}}`,
          legend: '{{domain}} @ {{resolver}}',
        },
      ],
      size: { w: 10, h: 9 },
      mappings: okFailMappings('answered', 'failing'),
      links: [domainSeriesLink],
    }),
    timeseries({
      title: 'SRV records per domain and resolver',
      description:
        'Number of _vlmcs._tcp records; 0 means clients cannot discover a KMS host (alert KmsSrvRecordMissing).',
      queries: [{ expr: `kms_srv_records{${JI}, ${D}}`, legend: '{{domain}} @ {{resolver}}' }],
      size: { w: 8, h: 8 },
      min: 0,
      links: [domainSeriesLink],
    }),
    timeseries({
      title: 'SRV lookup duration',
      description:
        'Seconds the latest SRV lookup took per resolver, address lookups of the targets included.',
      queries: [
        {
          expr: `kms_srv_lookup_duration_seconds{${JI}, ${D}}`,
          legend: '{{domain}} @ {{resolver}}',
        },
      ],
      size: { w: 8, h: 8 },
      unit: 's',
      links: [domainSeriesLink],
    }),
    timeseries({
      title: 'DNS failures by reason',
      description:
        'Failed SRV lookups per interval by reason (timeout, servfail, refused, malformed...). NXDOMAIN is not a failure.',
      queries: [
        {
          expr: `sum by (domain, reason) (increase(kms_srv_lookup_failures_total{${JI}, ${D}}[$__rate_interval]))`,
          legend: '{{domain}} {{reason}}',
        },
      ],
      size: { w: 8, h: 8 },
      bars: true,
      min: 0,
      links: [domainSeriesLink],
    }),
  ],
};
