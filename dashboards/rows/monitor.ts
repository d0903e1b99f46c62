/** kms-monitor itself: versions, configuration reloads, round duration, probe rates. */
import { JI } from '../lib/filters.js';
import { byName, colorBackground, okFailMappings } from '../lib/field-config.js';
import type { Row } from '../lib/layout.js';
import { columnLinks, monitorLink } from '../lib/links.js';
import { table, timeseries } from '../lib/panels.js';

export const monitorRow: Row = {
  title: 'kms-monitor',
  panels: [
    table({
      title: 'Monitor instances',
      description:
        'Running kms-monitor versions and whether their last configuration (re)load succeeded (alert KmsMonitorConfigReloadFailed).',
      queries: [
        { expr: `kms_exporter_build_info{${JI}}` },
        { expr: `kms_exporter_config_last_reload_successful{${JI}}` },
      ],
      size: { w: 8, h: 8 },
      fieldConfig: {
        defaults: {},
        overrides: [
          byName('config loaded', [
            { id: 'mappings', value: okFailMappings('yes', 'failed') },
            colorBackground,
          ]),
          columnLinks('instance', [monitorLink]),
        ],
      },
      transformations: [
        { id: 'merge', options: {} },
        {
          id: 'organize',
          options: {
            excludeByName: { Time: true, __name__: true, job: true, 'Value #A': true },
            indexByName: {},
            renameByName: { 'Value #B': 'config loaded' },
          },
        },
      ],
    }),
    timeseries({
      title: 'Round duration',
      description:
        'Seconds each polling round took (DNS, TCP and, every kms_interval, the KMS exchanges). Near or above `interval`, rounds start late (overruns).',
      queries: [
        { expr: `kms_poll_duration_seconds{${JI}}`, legend: '{{instance}} round' },
        {
          expr: `increase(kms_poll_overruns_total{${JI}}[$__rate_interval])`,
          legend: '{{instance}} overruns',
        },
      ],
      size: { w: 8, h: 8 },
      unit: 's',
      overrides: [
        {
          matcher: { id: 'frameRefID', options: 'B' },
          properties: [
            { id: 'unit', value: 'short' },
            { id: 'custom.drawStyle', value: 'bars' },
          ],
        },
      ],
    }),
    timeseries({
      title: 'Probes per second by kind',
      description:
        'Probes run: dns (SRV lookups), tcp (reachability), kms (full exchanges; each one is a real activation request the host counts once per 30 days for this monitor).',
      queries: [
        {
          expr: `sum by (kind) (rate(kms_probes_total{${JI}}[$__rate_interval]))`,
          legend: '{{kind}}',
        },
      ],
      size: { w: 8, h: 8 },
      unit: 'ops',
    }),
  ],
};
