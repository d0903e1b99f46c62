/**
 * The scenarios of `kms-monitor demo`, as data: each is one lab domain showing one thing an
 * admin fears, with the hosts it publishes and what the monitor should conclude.
 * demo-lab.ts builds the zones and lab KMS hosts from this table; `kms-monitor demo` prints
 * what each domain shows. What the tests expect of each scenario (problems, SRV answers,
 * probe outcomes) is in test/helpers/demo-expectations.ts.
 *
 * Every domain is asked of two lab resolvers, A and B, which agree except for the `split`
 * domain. Counts are the lab host's prefill: a probe reports the prefill plus every client
 * that asked since (the monitor's own CMID adds 1), capped at 2 × N (50 Windows, 10 Office).
 * tick() moves each count within [min, max], chosen so that no scenario changes status.
 */

import type { LabPersonalityName } from './personalities.js';

/** Parent of every lab domain; `.test` is reserved (RFC 2606), so no real zone is shadowed. */
export const DEMO_PARENT_DOMAIN = 'kms-lab.test';

/** The lab products the demo monitor probes on every host (custom products in its config). */
export const DEMO_PRODUCTS = ['lab-windows', 'lab-windows-server', 'lab-office'] as const;
export type DemoProduct = (typeof DEMO_PRODUCTS)[number];

/**
 * The planned products of the demo monitor (docs/coverage.md §7): probed on every host,
 * they only tell whether each domain is ready for them.
 */
export const DEMO_PLANNED_PRODUCTS = ['lab-office-ltsc-2024', 'lab-windows-server-2025'] as const;
export type DemoPlannedProduct = (typeof DEMO_PLANNED_PRODUCTS)[number];

/**
 * The host keys of a demo host, as ePIDs (docs/coverage.md §3): every demo host holds a
 * Windows Server 2025 key and an Office LTSC 2021 key on Server 2022 (20348) unless its
 * scenario says otherwise.
 */
export const DEMO_EPIDS = {
  windows: '03612-04919-012-100001-03-1033-20348.0000-0152025',
  'office-2013+': '03612-00206-580-300001-03-1033-20348.0000-0452024',
} as const;

/**
 * The Office LTSC 2024 host key a demo host answers its LTSC 2024 requests with: a genuine
 * Office host holds one key per Office release, each with its own ePID (docs/coverage.md §5).
 */
export const DEMO_OFFICE_LTSC_2024_EPID = '03612-00206-600-300001-03-1033-20348.0000-3002024';

/** What `kms-monitor check` should say about a domain (Nagios levels). */
export type DemoStatus = 'ok' | 'warning' | 'critical';

/** A count that starts at `start` and drifts within [min, max] on every tick. */
export interface DemoCount {
  start: number;
  min: number;
  max: number;
}

export type DemoResolver = 'a' | 'b';

export interface DemoHostSpec {
  /** Unique across the demo: `<scenario>-<label>`. */
  id: string;
  /** The SRV target; the lab zones resolve it to the lab address (127.0.0.1). */
  name: string;
  /** What this host stands for. */
  role: string;
  /** Client counts per application; absent means 0 (the host refuses what it lacks anyway). */
  counts: Partial<Record<'windows' | 'office-2013+', DemoCount>>;
  /** Lab products this host refuses with 0xC004F042 (its CSVLK does not cover them). */
  refuse?: readonly (DemoProduct | DemoPlannedProduct)[];
  /** Its own host keys instead of DEMO_EPIDS (the key serial is still made per host). */
  epid?: Partial<Record<'windows' | 'office-2013+', string>>;
  /** Nothing listens on the port the record names: a stale record of a retired host. */
  down?: boolean;
  /** Resolvers whose zone has this host's `_vlmcs._tcp` record. */
  publishedBy: readonly DemoResolver[];
  priority?: number;
  weight?: number;
  /** An emulator this host plays (src/lab/personalities.ts); absent: a genuine-like host. */
  personality?: Exclude<LabPersonalityName, 'genuine'>;
}

export interface DemoScenario {
  key:
    | 'healthy'
    | 'lowcount'
    | 'nooffice'
    | 'stale'
    | 'single'
    | 'norecord'
    | 'split'
    | 'rogue'
    | 'oldos'
    | 'noupdate'
    | 'migrate';
  /** The lab domain: `<key>.kms-lab.test`. */
  domain: string;
  title: string;
  /** What the scenario demonstrates, in an admin's words. */
  shows: string;
  /** The `check` status of this domain alone. */
  expectedStatus: DemoStatus;
  hosts: readonly DemoHostSpec[];
  /** Host labels the domain's `allowed_hosts` lists (docs/trust.md); absent: any host. */
  allowed?: readonly string[];
  /** Migrations, by host label: `{new: old}` (the domain's `replaces:`). */
  replaces?: Readonly<Record<string, string>>;
}

const BOTH: readonly DemoResolver[] = ['a', 'b'];

function domainOf(key: DemoScenario['key']): string {
  return `${key}.${DEMO_PARENT_DOMAIN}`;
}

/** A host as the table writes it: the label alone names it (`kms1` → kms1.<domain>). */
type HostRow = Omit<DemoHostSpec, 'id' | 'name' | 'publishedBy'> & {
  publishedBy?: DemoHostSpec['publishedBy'];
};

/** A scenario of the table: its domain, host ids and names follow from the key and labels. */
function scenario(
  key: DemoScenario['key'],
  fields: Omit<DemoScenario, 'key' | 'domain' | 'hosts'> & {
    hosts: Readonly<Record<string, HostRow>>;
  },
): DemoScenario {
  const { replaces, ...rest } = fields;
  const domain = domainOf(key);
  const hosts = Object.entries(fields.hosts).map(([label, row]): DemoHostSpec => ({
    id: `${key}-${label}`,
    name: `${label}.${domain}`,
    publishedBy: BOTH,
    ...row,
  }));
  const named = (label: string) => `${label}.${domain}`;
  return {
    key,
    domain,
    ...rest,
    hosts,
    ...(replaces === undefined
      ? {}
      : {
          replaces: Object.fromEntries(
            Object.entries(replaces).map(([next, old]) => [named(next), named(old)]),
          ),
        }),
  };
}

// Keys on older host OSes (docs/coverage.md §3): the Server 2022 key and the Office LTSC
// 2021 key, installed in 2022, on Server 2016 (14393) and on Server 2019 (17763).
const ON_SERVER_2016 = {
  windows: '03612-04573-012-100001-03-1033-14393.0000-0452022',
  'office-2013+': '03612-00206-580-300001-03-1033-14393.0000-0452022',
};
const ON_SERVER_2019 = {
  windows: '03612-04573-012-100001-03-1033-17763.0000-0452022',
  'office-2013+': '03612-00206-580-300001-03-1033-17763.0000-0452022',
};
const PLANNED = DEMO_PLANNED_PRODUCTS;

const count = (start: number, min: number, max: number): DemoCount => ({ start, min, max });

export const DEMO_SCENARIOS: readonly DemoScenario[] = [
  scenario('healthy', {
    title: 'Healthy domain',
    shows: 'two hosts, both above every activation threshold: what good looks like',
    expectedStatus: 'ok',
    hosts: {
      kms1: {
        role: 'KMS host with Windows and Office host keys, well above the thresholds',
        counts: { windows: count(36, 30, 44), 'office-2013+': count(8, 6, 9) },
      },
      kms2: {
        role: 'second KMS host with both keys: redundancy',
        counts: { windows: count(29, 26, 34), 'office-2013+': count(7, 5, 9) },
      },
    },
  }),
  scenario('lowcount', {
    title: 'Count below threshold',
    // Two hosts, so the low count is the only problem here (no single-host warning).
    shows:
      'kms1 counts fewer than 25 Windows clients: Windows clients it serves get 0xC004F038 ' +
      '(count insufficient) while kms2 is fine; Windows Server (N = 5) still activates on both',
    expectedStatus: 'warning',
    hosts: {
      kms1: {
        role: 'KMS host with too few Windows clients (drifts between 8 and 20)',
        counts: { windows: count(12, 8, 20), 'office-2013+': count(7, 6, 9) },
      },
      kms2: {
        role: 'healthy second host',
        counts: { windows: count(33, 28, 40), 'office-2013+': count(7, 6, 9) },
      },
    },
  }),
  scenario('nooffice', {
    title: 'Host without the Office key',
    shows:
      'kms1 has only a Windows host key and refuses Office with 0xC004F042; Office clients ' +
      'that pick it fail, while kms2 still activates Office',
    expectedStatus: 'warning',
    hosts: {
      kms1: {
        role: 'KMS host with a Windows CSVLK only',
        counts: { windows: count(31, 27, 38) },
        refuse: ['lab-office', 'lab-office-ltsc-2024'],
      },
      kms2: {
        role: 'KMS host with Windows and Office keys',
        counts: { windows: count(30, 26, 36), 'office-2013+': count(7, 5, 9) },
      },
    },
  }),
  scenario('stale', {
    title: 'Stale SRV record',
    shows:
      'a record still points at old-kms, a retired host: nothing listens there ' +
      '(connect_refused), clients that try it first lose time; kms1 works',
    expectedStatus: 'warning',
    hosts: {
      kms1: {
        role: 'the live KMS host',
        counts: { windows: count(34, 28, 42), 'office-2013+': count(7, 5, 9) },
      },
      'old-kms': {
        role: 'a decommissioned host whose SRV record nobody removed',
        counts: {},
        down: true,
      },
    },
  }),
  scenario('single', {
    title: 'Single host',
    shows: 'one KMS host and nothing behind it: fine today, no redundancy tomorrow',
    expectedStatus: 'warning',
    hosts: {
      kms1: {
        role: 'the only KMS host of the domain',
        counts: { windows: count(40, 32, 46), 'office-2013+': count(8, 6, 9) },
      },
    },
  }),
  scenario('norecord', {
    title: 'No _vlmcs._tcp record',
    shows:
      'the zone exists but publishes no KMS host (NXDOMAIN): every client there fails ' +
      'with 0xC004F074 "no KMS host could be contacted"',
    expectedStatus: 'critical',
    hosts: {},
  }),
  scenario('split', {
    title: 'Resolvers disagree',
    shows:
      'resolver B publishes kms2, resolver A does not (a registration not yet replicated): ' +
      'clients see different KMS hosts depending on their DNS server',
    expectedStatus: 'warning',
    hosts: {
      kms1: {
        role: 'published by both resolvers',
        counts: { windows: count(35, 29, 42), 'office-2013+': count(8, 6, 9) },
      },
      kms2: {
        role: 'published by resolver B only',
        counts: { windows: count(27, 26, 33), 'office-2013+': count(6, 5, 8) },
        publishedBy: ['b'],
      },
    },
  }),
  scenario('rogue', {
    title: 'Rogue KMS host',
    shows:
      'a branch router publishes _vlmcs._tcp for a KMS emulator (vlmcsd with its defaults) next ' +
      'to the genuine kms1: it answers a KMS counted ID nobody issued and a request dated 5 ' +
      'hours off, echoes 2 × N as its count, sends vlmcsd’s default HWID and ePID, and is not ' +
      'in allowed_hosts; clients that pick it are activated by something nobody controls',
    expectedStatus: 'critical',
    allowed: ['kms1'],
    hosts: {
      kms1: {
        role: 'the genuine KMS host, the only one allowed',
        counts: { windows: count(33, 28, 40), 'office-2013+': count(8, 6, 9) },
      },
      router: {
        role: 'a router running vlmcsd (-K0 -M0 -c0, default HWID and ePID)',
        counts: {},
        personality: 'vlmcsd',
      },
    },
  }),
  scenario('oldos', {
    title: 'Host OS too old for a planned Office',
    shows:
      'both hosts run Windows Server 2016 (build 14393): fine for today, but Office LTSC ' +
      '2024 (planned) cannot be hosted there at all (it needs Server 2022 or Windows 10), ' +
      'and neither can the Server 2025 key: the fix is a newer host OS',
    expectedStatus: 'warning',
    hosts: {
      kms1: {
        role: 'Server 2016 host with the Server 2022 and Office LTSC 2021 keys',
        counts: { windows: count(33, 28, 40), 'office-2013+': count(7, 5, 9) },
        refuse: PLANNED,
        epid: ON_SERVER_2016,
      },
      kms2: {
        role: 'second Server 2016 host, the same keys',
        counts: { windows: count(30, 26, 36), 'office-2013+': count(7, 5, 9) },
        refuse: PLANNED,
        epid: ON_SERVER_2016,
      },
    },
  }),
  scenario('noupdate', {
    title: 'Host missing an update for a planned Server',
    shows:
      'both hosts hold the Windows Server 2025 key on Server 2022 (20348) but refuse Server ' +
      '2025 (planned): the model reads it as the missing KB5034765 (the monitor cannot see ' +
      'updates, so it says so); Office LTSC 2024 (planned) is ready',
    expectedStatus: 'warning',
    hosts: {
      kms1: {
        role: 'Server 2022 host with the Server 2025 key, without KB5034765',
        counts: { windows: count(35, 29, 42), 'office-2013+': count(8, 6, 9) },
        refuse: ['lab-windows-server-2025'],
      },
      kms2: {
        role: 'second host, the same',
        counts: { windows: count(28, 26, 34), 'office-2013+': count(7, 5, 9) },
        refuse: ['lab-windows-server-2025'],
      },
    },
  }),
  scenario('migrate', {
    title: 'Migration with the old host still published',
    shows:
      'kms-new replaces kms-old (replaces:) and works, but kms-old is still published and ' +
      'answering: remove it from DNS, then shut it down; kms-new also covers the planned ' +
      'products kms-old cannot',
    expectedStatus: 'warning',
    replaces: { 'kms-new': 'kms-old' },
    hosts: {
      'kms-new': {
        role: 'the new host: Server 2025 and Office LTSC 2024 keys',
        counts: { windows: count(34, 28, 40), 'office-2013+': count(8, 6, 9) },
      },
      'kms-old': {
        role: 'the old Server 2019 host nobody unpublished',
        counts: { windows: count(30, 26, 36), 'office-2013+': count(7, 5, 9) },
        refuse: PLANNED,
        epid: ON_SERVER_2019,
      },
    },
  }),
];
