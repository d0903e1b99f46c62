/** Trust (docs/trust.md): each host's authenticity checks, the failing ones first. */
import { H, JI } from '../lib/filters.js';
import { byName, colorBackground, organize } from '../lib/field-config.js';
import type { Row } from '../lib/layout.js';
import { columnLinks, hostRowLink } from '../lib/links.js';
import { table } from '../lib/panels.js';

export const trustRow: Row = {
  title: 'Trust',
  panels: [
    table({
      title: 'Authenticity checks per host, failing first',
      description:
        'Each authenticity check of the latest sweep per host (kms_host_trust_check, docs/trust.md), the failing ones first: failed (no genuine KMS host answers so), suspicious (a sign, not a proof), pass. A failed control_* check is an emulator answering clients (alert KmsHostNotGenuine). The evidence of each check is on the host’s status page card; a check that could not run has no row.',
      queries: [{ expr: `kms_host_trust_check{${JI}, ${H}}` }],
      size: { w: 24, h: 8 },
      fieldConfig: {
        defaults: {},
        overrides: [
          byName('verdict', [
            colorBackground,
            {
              id: 'mappings',
              value: [
                {
                  type: 'value',
                  options: {
                    '0': { color: 'green', index: 0, text: 'pass' },
                    '1': { color: 'orange', index: 1, text: 'suspicious' },
                    '2': { color: 'red', index: 2, text: 'failed' },
                  },
                },
              ],
            },
          ]),
          columnLinks('host', [hostRowLink]),
        ],
      },
      transformations: [
        organize({ Value: 'verdict' }),
        { id: 'sortBy', options: { fields: {}, sort: [{ field: 'verdict', desc: true }] } },
      ],
    }),
  ],
};
