/** The KMS hosts: TCP reachability, the KMS exchange per product, durations and failures. */
import { H, HP, JI } from '../lib/filters.js';
import { okFailMappings, upDownMappings } from '../lib/field-config.js';
import type { Row } from '../lib/layout.js';
import { hostSeriesLink } from '../lib/links.js';
import { stateTimeline, timeseries } from '../lib/panels.js';

export const kmsHostsRow: Row = {
  title: 'KMS hosts',
  panels: [
    stateTimeline({
      title: 'Hosts up / down (TCP)',
      description: 'Whether a TCP connection to each KMS host succeeded in each round.',
      queries: [{ expr: `kms_host_up{${JI}, ${H}}`, legend: '{{host}}:{{port}}' }],
      size: { w: 12, h: 9 },
      mappings: upDownMappings,
      links: [hostSeriesLink],
    }),
    stateTimeline({
      title: 'KMS exchange by host and product',
      description:
        'Whether the latest full KMS exchange for the product was answered and validated: the host can activate the product. Failing with the host up: see failures by reason (kms_error is usually 0xC004F042, the host key does not cover the product).',
      queries: [
        {
          expr: `kms_probe_success{${JI}, ${HP}}`,
          legend: '{{host}}:{{port}} {{product}}',
        },
      ],
      size: { w: 12, h: 9 },
      mappings: okFailMappings('answers', 'failing'),
      links: [hostSeriesLink],
    }),
    timeseries({
      title: 'KMS exchange duration',
      description:
        'Seconds of the latest KMS exchange per host and product, from connect to a verified answer.',
      queries: [
        {
          expr: `kms_probe_duration_seconds{${JI}, ${HP}}`,
          legend: '{{host}}:{{port}} {{product}}',
        },
      ],
      size: { w: 8, h: 8 },
      unit: 's',
      links: [hostSeriesLink],
    }),
    timeseries({
      title: 'TCP connect duration',
      description: 'Seconds of the latest TCP connect per host (also set when it failed).',
      queries: [
        {
          expr: `kms_host_connect_duration_seconds{${JI}, ${H}}`,
          legend: '{{host}}:{{port}}',
        },
      ],
      size: { w: 8, h: 8 },
      unit: 's',
      links: [hostSeriesLink],
    }),
    timeseries({
      title: 'Failures by reason',
      description:
        'Failed KMS exchanges and TCP probes per interval, by reason (connect_refused, timeout, kms_error, verify_failed...). The HRESULT of a kms_error is on the status page and in `kms-monitor probe`.',
      queries: [
        {
          expr: `sum by (reason) (increase(kms_probe_failures_total{${JI}, ${HP}}[$__rate_interval]))`,
          legend: 'kms {{reason}}',
        },
        {
          expr: `sum by (reason) (increase(kms_host_connect_failures_total{${JI}, ${H}}[$__rate_interval]))`,
          legend: 'tcp {{reason}}',
        },
      ],
      size: { w: 8, h: 8 },
      bars: true,
      min: 0,
    }),
  ],
};
