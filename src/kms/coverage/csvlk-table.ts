/**
 * The CSVLKs (KMS host keys) the model knows (docs/coverage.md §3): the ePID group and key
 * ID blocks that identify each, the host releases it can be installed on, and the product
 * groups (docs/protocol.md §6.2 slugs) it activates. Every row names its sources.
 */
import { hostOs, hostOsReleases, type HostOsId } from '../host-os.js';
import type { CoverageRule, Csvlk, HostingRule, HostSpec, KeyBlock } from './types.js';

// Product groups by slug, shared by several rows.
const SERVERS_2008_TO_2012_R2 = [
  'windows-server-2008-a',
  'windows-server-2008-b',
  'windows-server-2008-c',
  'windows-server-2008-r2-a',
  'windows-server-2008-r2-b',
  'windows-server-2008-r2-c',
  'windows-server-2012',
  'windows-server-2012-r2',
];
const CLIENTS_7_TO_10 = ['windows-7', 'windows-8.1', 'windows-10-11'];
/** Groups Microsoft's server-key lists never mention (docs/coverage.md §4). */
const UNLISTED_BY_SERVER_KEYS = [
  'windows-vista',
  'windows-8',
  'windows-10-unknown',
  'windows-multisession',
];

// Groups first released after a key: an older key cannot list them (docs/coverage.md §4).
const AFTER_2013 = [
  'windows-10-11',
  'windows-10-unknown',
  'windows-10-ltsb-2016',
  'windows-10-ltsc-2019',
  'windows-ltsc-2021',
  'windows-ltsc-2024',
  'windows-server-2016',
  'windows-server-2019',
  'windows-server-2022',
  'windows-server-2025',
  'windows-multisession',
];
const AFTER_2009 = [
  ...AFTER_2013,
  'windows-8',
  'windows-8.1',
  'windows-server-2012',
  'windows-server-2012-r2',
];
const AFTER_2008 = [
  ...AFTER_2009,
  'windows-7',
  'windows-server-2008-r2-a',
  'windows-server-2008-r2-b',
  'windows-server-2008-r2-c',
];

// What each server key's list (WSD-PLAN) adds to the groups all of them list: the lists
// nest, each newer key's being the one before plus its own release's groups.
const SERVER_2016_LISTS = ['windows-server-2016'];
const SERVER_2019_LISTS = [...SERVER_2016_LISTS, 'windows-server-2019', 'windows-10-ltsc-2019'];
const SERVER_2022_LISTS = [...SERVER_2019_LISTS, 'windows-server-2022', 'windows-ltsc-2021'];
const SERVER_2025_LISTS = [...SERVER_2022_LISTS, 'windows-server-2025', 'windows-ltsc-2024'];

function serverKeyCoverage(extra: string[], unknown: string[] = []): CoverageRule {
  return {
    covers: [...SERVERS_2008_TO_2012_R2, ...CLIENTS_7_TO_10, 'windows-10-ltsb-2016', ...extra],
    unknown: [...UNLISTED_BY_SERVER_KEYS, ...unknown],
    otherwise: 'not-covered',
    sources: ['WSD-PLAN'],
  };
}

function hostedOnServers(...allowed: HostingRule['allowed']): HostingRule {
  return { allowed, otherwise: 'no', sources: ['WSD-PLAN'] };
}

/** Microsoft's Windows 10 client-key row: hosted on Windows 10, 8.1 and 7; silent on 11. */
const WINDOWS_10_CLIENT_HOSTING: HostingRule = {
  allowed: ['windows-10', 'windows-8.1', 'windows-7'],
  unknown: ['windows-11'],
  otherwise: 'no',
  sources: ['WSD-PLAN'],
};

const UNKNOWN_HOSTING: HostingRule = { allowed: [], otherwise: 'unknown', sources: [] };

/** Azure Edition is activated by Azure and cannot be a KMS host. */
const AZURE_HOSTING: HostingRule = { allowed: [], otherwise: 'no', sources: ['WSD-PLAN'] };

/**
 * Azure-only and internal-lab server keys: they identify a host that should not exist on a
 * customer network; the sources list no coverage for them.
 */
function serverOnlyForMicrosoft(
  id: string,
  name: string,
  kind: 'azure-only' | 'internal-lab',
  groupId: number,
  block: KeyBlock,
  releasedOn: string | null,
): Csvlk {
  return {
    id,
    name,
    application: 'windows',
    kind,
    groupId,
    keyBlocks: [block],
    releasedOn,
    hosting: kind === 'azure-only' ? AZURE_HOSTING : UNKNOWN_HOSTING,
    coverage: { covers: [], otherwise: 'unknown', sources: [] },
    sources: ['KMSRSOS'],
  };
}

function olderKeyCoverage(notCovered: string[]): CoverageRule {
  return { covers: [], notCovered, otherwise: 'unknown', sources: ['INFERRED'] };
}

// The licence lists of the Windows 10 client keys (KMSRSOS-DB): each adds its LTSB/LTSC.
const WIN10_2015 = [
  'windows-vista',
  'windows-7',
  'windows-8',
  'windows-8.1',
  'windows-10-11',
  'windows-10-unknown',
];
const WIN10_2016 = [...WIN10_2015, 'windows-10-ltsb-2016'];
const WIN10_2019 = [...WIN10_2016, 'windows-10-ltsc-2019'];
/** Microsoft's lab keys also list multi-session and the retail group. */
const LAB_EXTRA = ['windows-multisession', 'windows-10-11-retail'];

/** A complete licence list (KMSRSOS-DB): every other group is not covered. */
function licenceCoverage(covers: string[]): CoverageRule {
  return { covers, otherwise: 'not-covered', sources: ['KMSRSOS-DB'] };
}

/** The facts a row of a family of keys states itself; the family's builder adds the rest. */
type OwnFacts = Pick<Csvlk, 'id' | 'name' | 'keyBlocks' | 'sources'>;

/**
 * A Windows 10 client key of group 206 with its complete licence list. A customer key is
 * hosted as Microsoft's client-key row says; a Microsoft lab key's hosting is unknown and
 * its licence list also names LAB_EXTRA.
 */
function windows10Key(row: OwnFacts & { kind: 'customer' | 'lab'; licences: string[] }): Csvlk {
  const lab = row.kind === 'lab';
  return {
    id: row.id,
    name: row.name,
    application: 'windows',
    kind: row.kind,
    groupId: 206,
    keyBlocks: row.keyBlocks,
    releasedOn: null,
    hosting: lab ? UNKNOWN_HOSTING : WINDOWS_10_CLIENT_HOSTING,
    coverage: licenceCoverage(lab ? [...row.licences, ...LAB_EXTRA] : row.licences),
    sources: row.sources,
  };
}

/**
 * A customer key older than Microsoft's lists, known from its group: where it can be
 * hosted is unknown, and it cannot cover `laterGroups`, released after it.
 */
function olderWindowsKey(row: OwnFacts & { groupId: number; laterGroups: string[] }): Csvlk {
  return {
    id: row.id,
    name: row.name,
    application: 'windows',
    kind: 'customer',
    groupId: row.groupId,
    keyBlocks: row.keyBlocks,
    releasedOn: null,
    hosting: UNKNOWN_HOSTING,
    coverage: olderKeyCoverage(row.laterGroups),
    sources: row.sources,
  };
}

/** Every release of `oldest`'s kind from `oldest` on, oldest first (it may carry a build floor). */
function fromRelease(oldest: HostSpec): HostSpec[] {
  const id = typeof oldest === 'string' ? oldest : oldest.os;
  const ids = hostOsReleases(hostOs(id).kind).map((os) => os.id);
  return [oldest, ...ids.slice(ids.indexOf(id) + 1)];
}

/**
 * Office hosts (ODO-HOST): the page gives each Office release's key a minimum server and a
 * minimum client release ("host OS at least", docs/coverage.md §3.2).
 */
function officeHosting(oldestServer: HostOsId, oldestClient: HostSpec): HostingRule {
  return {
    allowed: [...fromRelease(oldestServer), ...fromRelease(oldestClient)],
    otherwise: 'no',
    sources: ['ODO-HOST'],
  };
}

/** The Office groups from 2016 on, each activated by its own release's key only. */
const OFFICE_2016_ON = ['office-2016', 'office-2019', 'office-ltsc-2021', 'office-ltsc-2024'];

/** Each Office release needs its own key (ODO-HOST); Office 2013 is outside that page. */
function officeCoverage(own: string): CoverageRule {
  return {
    covers: [own],
    notCovered: OFFICE_2016_ON.filter((group) => group !== own),
    unknown: ['office-2013'],
    otherwise: 'not-covered',
    sources: ['ODO-HOST'],
  };
}

const windowsServer: Csvlk[] = [
  {
    id: 'windows-server-2025',
    name: 'Windows Server 2025',
    application: 'windows',
    kind: 'customer',
    groupId: 4919,
    keyBlocks: [[0, 20_019_999]],
    releasedOn: '2024-11-01',
    hosting: hostedOnServers('server-2025', 'server-2022', 'server-2019'),
    coverage: serverKeyCoverage(SERVER_2025_LISTS),
    sources: ['KMSRSOS'],
  },
  serverOnlyForMicrosoft(
    'windows-server-2025-azure',
    'Windows Server 2025 (Azure only)',
    'azure-only',
    4918,
    [0, 49_999],
    '2024-11-01',
  ),
  serverOnlyForMicrosoft(
    'windows-server-2025-lab',
    'Windows Server 2025 (Microsoft internal lab)',
    'internal-lab',
    4920,
    [0, 49_999],
    null,
  ),
  {
    id: 'windows-server-2022',
    name: 'Windows Server 2022',
    application: 'windows',
    kind: 'customer',
    groupId: 4573,
    // Two blocks with a hole at 20,000–29,999 that no genuine key uses.
    keyBlocks: [
      [0, 19_999],
      [30_000, 20_029_999],
    ],
    releasedOn: '2021-08-18',
    hosting: hostedOnServers('server-2022', 'server-2019', 'server-2016'),
    coverage: serverKeyCoverage(SERVER_2022_LISTS),
    sources: ['KMSRSOS'],
  },
  serverOnlyForMicrosoft(
    'windows-server-2022-azure',
    'Windows Server 2022 (Azure only)',
    'azure-only',
    4574,
    [0, 49_999],
    '2021-08-18',
  ),
  serverOnlyForMicrosoft(
    'windows-server-2022-lab',
    'Windows Server 2022 (Microsoft internal lab)',
    'internal-lab',
    4575,
    [0, 49_999],
    null,
  ),
  {
    id: 'windows-server-2019',
    name: 'Windows Server 2019',
    application: 'windows',
    kind: 'customer',
    groupId: 206,
    keyBlocks: [[551_000_000, 570_999_999]],
    releasedOn: '2018-10-02',
    hosting: hostedOnServers('server-2019', 'server-2016', 'server-2012-r2'),
    // Its list names "Windows 10 Enterprise LTSC" without a year and predates LTSC 2021.
    coverage: serverKeyCoverage(SERVER_2019_LISTS, ['windows-ltsc-2021']),
    sources: ['KMSRSOS'],
  },
  serverOnlyForMicrosoft(
    'windows-server-2019-azure',
    'Windows Server 2019 (Azure only)',
    'azure-only',
    206,
    [2_865_000, 2_874_999],
    '2018-10-02',
  ),
  serverOnlyForMicrosoft(
    'windows-server-2019-lab',
    'Windows Server 2019 (Microsoft internal lab)',
    'internal-lab',
    206,
    [2_835_000, 2_854_999],
    null,
  ),
  {
    id: 'windows-server-2016',
    name: 'Windows Server 2016',
    application: 'windows',
    kind: 'customer',
    groupId: 206,
    keyBlocks: [[491_000_000, 530_999_999]],
    releasedOn: null,
    hosting: hostedOnServers('server-2016', 'server-2012-r2', 'server-2012'),
    coverage: serverKeyCoverage(SERVER_2016_LISTS),
    sources: ['KMSRSOS'],
  },
  olderWindowsKey({
    id: 'windows-server-2012-r2',
    name: 'Windows Server 2012 R2',
    groupId: 206,
    keyBlocks: [[271_000_000, 310_999_999]],
    laterGroups: AFTER_2013,
    sources: ['PYKMS'],
  }),
  olderWindowsKey({
    id: 'windows-server-2008-r2',
    name: 'Windows Server 2008 R2',
    groupId: 168,
    keyBlocks: 'whole-group',
    laterGroups: AFTER_2009,
    sources: ['PYKMS'],
  }),
  olderWindowsKey({
    id: 'windows-server-2008',
    name: 'Windows Server 2008',
    groupId: 152,
    keyBlocks: 'whole-group',
    laterGroups: AFTER_2008,
    sources: ['PYKMS'],
  }),
];

const windowsClient: Csvlk[] = [
  windows10Key({
    id: 'windows-10-2019',
    name: 'Windows 10 LTSC 2019 (client)',
    kind: 'customer',
    keyBlocks: [
      [2_855_000, 2_859_999],
      [256_000_000, 265_999_999],
    ],
    licences: WIN10_2019,
    sources: ['KMSRSOS'],
  }),
  windows10Key({
    id: 'windows-10-2016',
    name: 'Windows 10 2016 (client)',
    kind: 'customer',
    keyBlocks: [
      [2_010_000, 2_014_999],
      [2_115_000, 2_814_999],
      [531_000_000, 545_999_999],
    ],
    licences: WIN10_2016,
    sources: ['KMSRSOS'],
  }),
  windows10Key({
    id: 'windows-10-2015',
    name: 'Windows 10 2015 (client)',
    kind: 'customer',
    keyBlocks: [
      [10_024_000, 10_028_999],
      [192_500_000, 193_199_999],
      [390_000_000, 404_999_999],
    ],
    licences: WIN10_2015,
    sources: ['KMSRSOS'],
  }),
  windows10Key({
    id: 'windows-10-2019-lab',
    name: 'Windows 10 2019 (Microsoft lab)',
    kind: 'lab',
    keyBlocks: [[2_860_000, 2_864_999]],
    licences: WIN10_2019,
    sources: ['KMSRSOS-DB'],
  }),
  windows10Key({
    id: 'windows-10-2016-lab',
    name: 'Windows 10 2016 (Microsoft lab)',
    kind: 'lab',
    keyBlocks: [[2_015_000, 2_114_999]],
    licences: WIN10_2016,
    sources: ['KMSRSOS-DB'],
  }),
  windows10Key({
    id: 'windows-10-2015-lab',
    name: 'Windows 10 2015 (Microsoft lab)',
    kind: 'lab',
    keyBlocks: [[10_700_000, 10_799_999]],
    licences: WIN10_2015,
    sources: ['KMSRSOS-DB'],
  }),
  {
    id: 'windows-10-china-government',
    name: 'Windows 10 China Government',
    application: 'windows',
    kind: 'customer',
    groupId: 3858,
    keyBlocks: [[15_000_000, 999_999_999]],
    releasedOn: null,
    hosting: UNKNOWN_HOSTING,
    coverage: { covers: [], otherwise: 'unknown', sources: [] },
    sources: ['KMSRSOS'],
  },
  olderWindowsKey({
    id: 'windows-7',
    name: 'Windows 7',
    groupId: 172,
    keyBlocks: 'whole-group',
    laterGroups: AFTER_2009,
    sources: ['PYKMS'],
  }),
];

const office: Csvlk[] = [
  {
    id: 'office-ltsc-2024',
    name: 'Office LTSC 2024',
    application: 'office-2013+',
    kind: 'customer',
    groupId: 206,
    keyBlocks: [[591_000_000, 610_999_999]],
    releasedOn: '2024-09-16',
    hosting: officeHosting('server-2022', 'windows-10'),
    // Its licence lists exactly one KMS counted ID, its own.
    coverage: { covers: ['office-ltsc-2024'], otherwise: 'not-covered', sources: ['KMSRSOS-DB'] },
    pack: {
      name: 'Office LTSC 2024 Volume License Pack',
      url: 'https://www.microsoft.com/download/details.aspx?id=106246',
    },
    sources: ['KMSRSOS'],
  },
  {
    id: 'office-ltsc-2021',
    name: 'Office LTSC 2021',
    application: 'office-2013+',
    kind: 'customer',
    groupId: 206,
    keyBlocks: [[571_000_000, 590_999_999]],
    releasedOn: '2021-09-16',
    hosting: officeHosting('server-2016', 'windows-10'),
    coverage: officeCoverage('office-ltsc-2021'),
    pack: {
      name: 'Office LTSC 2021 Volume License Pack',
      url: 'https://www.microsoft.com/download/details.aspx?id=103446',
    },
    sources: ['KMSRSOS'],
  },
  {
    id: 'office-2019',
    name: 'Office 2019',
    application: 'office-2013+',
    kind: 'customer',
    groupId: 206,
    keyBlocks: [[666_000_000, 685_999_999]],
    releasedOn: null,
    hosting: officeHosting('server-2012', 'windows-8.1'),
    coverage: officeCoverage('office-2019'),
    pack: {
      name: 'Office 2019 Volume License Pack',
      url: 'https://www.microsoft.com/download/details.aspx?id=57342',
    },
    sources: ['KMSRSOS'],
  },
  {
    id: 'office-2016',
    name: 'Office 2016',
    application: 'office-2013+',
    kind: 'customer',
    groupId: 206,
    keyBlocks: [[437_000_000, 458_999_999]],
    releasedOn: null,
    hosting: officeHosting('server-2008-r2', { os: 'windows-7', minBuild: 7601 }),
    coverage: officeCoverage('office-2016'),
    pack: {
      name: 'Office 2016 Volume License Pack',
      url: 'https://www.microsoft.com/download/details.aspx?id=49164',
    },
    sources: ['KMSRSOS'],
  },
  {
    id: 'office-2013',
    name: 'Office 2013',
    application: 'office-2013+',
    kind: 'customer',
    groupId: 206,
    keyBlocks: [[234_000_000, 255_999_999]],
    releasedOn: null,
    hosting: UNKNOWN_HOSTING,
    coverage: {
      covers: ['office-2013'],
      notCovered: OFFICE_2016_ON,
      otherwise: 'unknown',
      sources: ['INFERRED'],
    },
    pack: { name: 'Office 2013 Volume License Pack', url: null },
    sources: ['KMSRSOS'],
  },
  {
    id: 'office-2010',
    name: 'Office 2010',
    application: 'office-2010',
    kind: 'customer',
    groupId: 96,
    keyBlocks: [[199_000_000, 217_999_999]],
    releasedOn: null,
    hosting: {
      allowed: ['server-2003', 'windows-7', 'server-2008-r2'],
      denied: ['server-2008', 'vista'],
      otherwise: 'unknown',
      sources: ['OFFICE-2010-BLOG'],
    },
    coverage: { covers: ['office-2010'], otherwise: 'not-covered', sources: ['KMSRSOS'] },
    pack: { name: 'Office 2010 KMS Host License Pack', url: null },
    sources: ['KMSRSOS'],
  },
];

export const CSVLKS: readonly Csvlk[] = Object.freeze([
  ...windowsServer,
  ...windowsClient,
  ...office,
]);
