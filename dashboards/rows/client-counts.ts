/** Client counts against the activation threshold N. */
import { HP, JI, P } from '../lib/filters.js';
import { byName, colorBackground, organize, thresholds } from '../lib/field-config.js';
import type { Row } from '../lib/layout.js';
import { columnLinks, hostRowLink, hostSeriesLink } from '../lib/links.js';
import { table, timeseries } from '../lib/panels.js';

export const clientCountsRow: Row = {
  title: 'Client counts',
  panels: [
    timeseries({
      title: 'Client count versus activation threshold',
      description:
        "Each host's current count per product (Microsoft: CurrentCount; distinct clients of the last 30 days, this monitor included, capped at 2N) against N, the dashed line: 25 Windows client, 5 Windows Server and Office. Below N clients get 0xC004F038.",
      queries: [
        {
          expr: `kms_host_active_clients{${JI}, ${HP}}`,
          legend: '{{host}}:{{port}} {{product}}',
        },
        {
          expr: `max by (product) (kms_activation_threshold{${JI}, ${P}})`,
          legend: 'N {{product}}',
        },
      ],
      size: { w: 16, h: 9 },
      min: 0,
      overrides: [
        {
          matcher: { id: 'frameRefID', options: 'A' },
          properties: [{ id: 'links', value: [hostSeriesLink] }],
        },
        {
          matcher: { id: 'frameRefID', options: 'B' },
          properties: [
            { id: 'custom.lineStyle', value: { dash: [10, 10], fill: 'dash' } },
            { id: 'custom.fillOpacity', value: 0 },
            { id: 'custom.lineWidth', value: 2 },
          ],
        },
      ],
    }),
    table({
      title: 'Count minus threshold now',
      description:
        'Current count minus N per host and product: negative means the host does not activate that product (0xC004F038); below the margin of kms:activation_threshold:near (N + 20 %, at least 2) it soon may not.',
      queries: [
        {
          expr: `kms_host_active_clients{${JI}, ${HP}} - on (job, instance, product) group_left () kms_activation_threshold{${JI}}`,
        },
      ],
      size: { w: 8, h: 9 },
      fieldConfig: {
        defaults: {
          color: { mode: 'thresholds' },
          thresholds: thresholds([
            [null, 'red'],
            [0, 'orange'],
            [5, 'green'],
          ]),
        },
        overrides: [byName('count − N', [colorBackground]), columnLinks('host', [hostRowLink])],
      },
      transformations: [organize({ Value: 'count − N' })],
    }),
  ],
};
