/** Active Directory-Based Activation (docs/adba.md): the forests, their objects, coverage. */
import { JI } from '../lib/filters.js';
import { byName, colorBackground, okFailMappings, organize } from '../lib/field-config.js';
import type { Row } from '../lib/layout.js';
import { table } from '../lib/panels.js';

export const adbaRow: Row = {
  title: 'Active Directory-Based Activation',
  panels: [
    table({
      title: 'ADBA forests',
      description:
        "Whether each forest's activation objects could be read in the latest read (alert KmsAdbaForestUnreadable; kms_adba_read_failures_total gives the reason), how many there are and when they were last read.",
      queries: [
        { expr: `kms_adba_up{${JI}}` },
        { expr: `kms_adba_objects{${JI}}` },
        { expr: `kms_adba_last_success_timestamp_seconds{${JI}} * 1000` },
      ],
      size: { w: 8, h: 8 },
      fieldConfig: {
        defaults: {},
        overrides: [
          byName('read', [
            { id: 'mappings', value: okFailMappings('ok', 'unreadable') },
            colorBackground,
          ]),
          byName('last read', [{ id: 'unit', value: 'dateTimeAsIsoNoDateIfToday' }]),
        ],
      },
      transformations: [
        { id: 'merge', options: {} },
        organize({ 'Value #A': 'read', 'Value #B': 'objects', 'Value #C': 'last read' }),
      ],
    }),
    table({
      title: 'Activation objects',
      description:
        'Each activation object: its CSVLK, SKU ID and partial key, and whether it looks forged (alert KmsAdbaObjectForged: an all-zero SKU ID, a placeholder key or PID, an impossible KMS ID list).',
      queries: [{ expr: `kms_adba_object_info{${JI}}` }],
      size: { w: 16, h: 8 },
      fieldConfig: {
        defaults: {},
        overrides: [
          byName('forged', [
            {
              id: 'mappings',
              value: [
                {
                  type: 'value',
                  options: {
                    true: { text: 'looks forged', color: 'red', index: 0 },
                    false: { text: 'no', color: 'green', index: 1 },
                  },
                },
              ],
            },
            colorBackground,
          ]),
        ],
      },
      transformations: [{ id: 'merge', options: {} }, organize({}, ['Value'])],
    }),
    table({
      title: 'ADBA coverage per product group',
      description:
        "1 where a genuine-looking object serves the group's domain members. Windows before 8.1, Server before 2012, Office before 2013 and workgroup machines always need KMS: this never makes a KMS panel green.",
      queries: [{ expr: `kms_adba_product_covered{${JI}}` }],
      size: { w: 24, h: 8 },
      fieldConfig: {
        defaults: {},
        overrides: [
          byName('ADBA covers it', [
            { id: 'mappings', value: okFailMappings('yes', 'KMS only') },
            colorBackground,
          ]),
        ],
      },
      transformations: [{ id: 'merge', options: {} }, organize({ Value: 'ADBA covers it' })],
    }),
  ],
};
