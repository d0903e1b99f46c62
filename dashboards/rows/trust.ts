/** Trust (docs/trust.md): which hosts fail an authenticity check, and which check. */
import { H, JI } from '../lib/filters.js';
import { byName, colorBackground, organize } from '../lib/field-config.js';
import type { Row } from '../lib/layout.js';
import { columnLinks, hostRowLink } from '../lib/links.js';
import { table } from '../lib/panels.js';

export const trustRow: Row = {
  title: 'Trust',
  panels: [
    table({
      title: 'Authenticity checks failing per host',
      description:
        'Each authenticity check of the latest sweep that is not a pass (kms_host_trust_check, docs/trust.md): suspicious (a sign, not a proof) or failed (no genuine KMS host answers so). A failed control_* check is an emulator answering clients (alert KmsHostNotGenuine). The evidence of each check is on the host’s status page card. An empty table: every host passed every check that ran.',
      queries: [{ expr: `kms_host_trust_check{${JI}, ${H}} > 0` }],
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
                    '1': { color: 'orange', index: 0, text: 'suspicious' },
                    '2': { color: 'red', index: 1, text: 'failed' },
                  },
                },
              ],
            },
          ]),
          columnLinks('host', [hostRowLink]),
        ],
      },
      transformations: [organize({ Value: 'verdict' })],
    }),
  ],
};
