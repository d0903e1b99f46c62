/**
 * Presets of the lab KMS host: a genuine-looking host and the two public emulators the
 * trust checks must tell from it (docs/trust.md, "The checks", with the sources there).
 * Each is a complete settings object, so configure(LAB_PERSONALITIES.genuine) undoes an
 * emulator preset on a running host. Only the behaviours and identities docs/trust.md
 * documents are reproduced; everything else stays the lab's.
 */
import { DEFAULT_LAB_EPIDS, DEFAULT_LAB_HWID } from './host-config.js';
import type { LabKmsHostSettings } from './host-config.js';

/** vlmcsd's built-in default ePID (docs/trust.md: a Server 2019 key on build 6002). */
const VLMCSD_DEFAULT_EPID = '55041-00206-567-333897-03-1102-6002.0000-3342021';

/** The client-time window of a genuine host: 4 hours either way (docs/trust.md). */
export const GENUINE_CLOCK_WINDOW_MINUTES = 240;

export type LabPersonalityName = 'genuine' | 'vlmcsd' | 'py-kms';

export const LAB_PERSONALITIES: Readonly<Record<LabPersonalityName, LabKmsHostSettings>> =
  Object.freeze({
    /** The lab's own identity with every emulator switch off: passes every trust check. */
    genuine: Object.freeze({
      epid: DEFAULT_LAB_EPIDS,
      hwid: DEFAULT_LAB_HWID,
      acceptUnknownIds: false,
      echoCount: false,
      epidPerRequest: false,
      associationGroup: null,
      closeAfterAnswer: false,
      // A genuine host refuses a client clock more than 4 hours from its own (0xC004F06C).
      maxClockSkewMinutes: GENUINE_CLOCK_WINDOW_MINUTES,
    }),
    /**
     * vlmcsd with its defaults (its documentation and source): `-K0` answers every KMS
     * counted ID, `-M0` reports 2 × the request's N, the built-in HWID and ePID. Its one
     * documented default ePID is sent for every application. A random association group
     * per start, incremented per connection, is what the lab does anyway (it passes).
     * `-c0`, its default, accepts any client time.
     */
    vlmcsd: Object.freeze({
      epid: Object.freeze({
        windows: VLMCSD_DEFAULT_EPID,
        'office-2010': VLMCSD_DEFAULT_EPID,
        'office-2013+': VLMCSD_DEFAULT_EPID,
      }),
      hwid: '3A1C049600B60076',
      acceptUnknownIds: true,
      echoCount: true,
      epidPerRequest: false,
      associationGroup: null,
      closeAfterAnswer: false,
      maxClockSkewMinutes: null,
    }),
    /**
     * py-kms upstream (its source; the kmsrsos emulator audit): answers every ID, 2 × N,
     * a new ePID in every answer, always on build 17763 / platform 03612 even for Office,
     * the constant association group 0x1063BF3F, one activation per connection, and its
     * default HWID. The key blocks are real ones (a Server 2019, an Office 2010 and an
     * Office 2019 key), as py-kms draws its serials inside its database's ranges.
     */
    'py-kms': Object.freeze({
      epid: Object.freeze({
        windows: '03612-00206-556-400001-03-1033-17763.0000-3182019',
        'office-2010': '03612-00096-201-400001-03-1033-17763.0000-3182019',
        'office-2013+': '03612-00206-670-400001-03-1033-17763.0000-3182019',
      }),
      hwid: '364F463A8863D35F',
      acceptUnknownIds: true,
      echoCount: true,
      epidPerRequest: true,
      associationGroup: 0x1063bf3f,
      closeAfterAnswer: true,
      // py-kms checks no client time.
      maxClockSkewMinutes: null,
    }),
  });
