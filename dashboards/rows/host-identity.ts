/** What each host says about itself: ePID, HWID, build, host key age, intervals. */
import { HP, JI } from '../lib/filters.js';
import { byName, organize } from '../lib/field-config.js';
import type { Row } from '../lib/layout.js';
import { columnLinks, hostRowLink } from '../lib/links.js';
import { table } from '../lib/panels.js';

export const hostIdentityRow: Row = {
  title: 'Host identity',
  panels: [
    table({
      title: 'ePID, host build and host key',
      description:
        'What each host answered (like `slmgr /dlv` on the host): the ePID of its host key, the HWID (protocol 6), the host OS build, the protocol version, when the host key was installed (from the ePID) and the activation and renewal intervals it hands out. A changed ePID or HWID means a new host key or a different machine (alert KmsHostIdentityChanged).',
      queries: [
        { expr: `kms_host_info{${JI}, ${HP}}` },
        { expr: `kms_host_key_install_timestamp_seconds{${JI}, ${HP}} * 1000` },
        { expr: `kms_host_activation_interval_seconds{${JI}, ${HP}}` },
        { expr: `kms_host_renewal_interval_seconds{${JI}, ${HP}}` },
      ],
      size: { w: 24, h: 8 },
      fieldConfig: {
        defaults: {},
        overrides: [
          byName('host key installed', [{ id: 'unit', value: 'dateTimeAsIsoNoDateIfToday' }]),
          byName('activation interval', [{ id: 'unit', value: 's' }]),
          byName('renewal interval', [{ id: 'unit', value: 's' }]),
          columnLinks('host', [hostRowLink]),
        ],
      },
      transformations: [
        { id: 'merge', options: {} },
        organize(
          {
            'Value #B': 'host key installed',
            'Value #C': 'activation interval',
            'Value #D': 'renewal interval',
          },
          ['Value #A'],
        ),
      ],
    }),
  ],
};
