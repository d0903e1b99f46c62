// The coverage verdict for every CSVLK × host build × product group of docs/coverage.md,
// probed-and-refused and not probed. The expectations come from the hand tables below,
// written from the facts (Microsoft's KMS planning and Office host pages, the licence lists):
// the model's own tables are never read to build them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  coverageMatrix,
  type CoverageVerdict,
  type ProbeOutcome,
} from '../../../src/kms/coverage/index.js';
import { parseEpid } from '../../../src/kms/epid.js';
import { findProduct, listProducts } from '../../../src/kms/products/index.js';

const SERVERS_OLD = [
  'windows-server-2008-a',
  'windows-server-2008-b',
  'windows-server-2008-c',
  'windows-server-2008-r2-a',
  'windows-server-2008-r2-b',
  'windows-server-2008-r2-c',
  'windows-server-2012',
  'windows-server-2012-r2',
];
const CLIENT_BASE = ['windows-7', 'windows-8.1', 'windows-10-11', 'windows-10-ltsb-2016'];
const SERVER_SILENT = ['windows-vista', 'windows-8', 'windows-10-unknown', 'windows-multisession'];
const WIN10_LICENCE = [
  'windows-vista',
  'windows-7',
  'windows-8',
  'windows-8.1',
  'windows-10-11',
  'windows-10-unknown',
];

interface KeyFacts {
  name: string;
  group: number;
  keyId: number;
  app: 'windows' | 'office-2010' | 'office-2013+';
  kind: 'server' | 'client' | 'office';
  covers: string[];
  unknown: string[];
  /** Every other product of the application: not-covered, or unknown for older keys. */
  rest: 'not-covered' | 'unknown';
  notCovered?: string[];
  /** Host releases: yes list, no list (rest: per `hostRest`). */
  hosts: string[];
  hostsNo?: string[];
  hostRest: 'no' | 'unknown';
  pack?: string;
}

// WSD-PLAN tables, ODO-HOST minimums, the licence lists and the Office 2010 blog, by hand.
const KEYS: Record<string, KeyFacts> = {
  'windows-server-2025': {
    name: 'Windows Server 2025',
    group: 4919,
    keyId: 123,
    app: 'windows',
    kind: 'server',
    covers: [
      ...SERVERS_OLD,
      ...CLIENT_BASE,
      'windows-server-2016',
      'windows-server-2019',
      'windows-10-ltsc-2019',
      'windows-server-2022',
      'windows-ltsc-2021',
      'windows-server-2025',
      'windows-ltsc-2024',
    ],
    unknown: SERVER_SILENT,
    rest: 'not-covered',
    hosts: ['server-2025', 'server-2022', 'server-2019'],
    hostRest: 'no',
  },
  'windows-server-2022': {
    name: 'Windows Server 2022',
    group: 4573,
    keyId: 40_000,
    app: 'windows',
    kind: 'server',
    covers: [
      ...SERVERS_OLD,
      ...CLIENT_BASE,
      'windows-server-2016',
      'windows-server-2019',
      'windows-10-ltsc-2019',
      'windows-server-2022',
      'windows-ltsc-2021',
    ],
    unknown: SERVER_SILENT,
    rest: 'not-covered',
    hosts: ['server-2022', 'server-2019', 'server-2016'],
    hostRest: 'no',
  },
  'windows-server-2019': {
    name: 'Windows Server 2019',
    group: 206,
    keyId: 556_123_727,
    app: 'windows',
    kind: 'server',
    covers: [
      ...SERVERS_OLD,
      ...CLIENT_BASE,
      'windows-server-2016',
      'windows-server-2019',
      'windows-10-ltsc-2019',
    ],
    unknown: [...SERVER_SILENT, 'windows-ltsc-2021'],
    rest: 'not-covered',
    hosts: ['server-2019', 'server-2016', 'server-2012-r2'],
    hostRest: 'no',
  },
  'windows-server-2016': {
    name: 'Windows Server 2016',
    group: 206,
    keyId: 500_000_000,
    app: 'windows',
    kind: 'server',
    covers: [...SERVERS_OLD, ...CLIENT_BASE, 'windows-server-2016'],
    unknown: SERVER_SILENT,
    rest: 'not-covered',
    hosts: ['server-2016', 'server-2012-r2', 'server-2012'],
    hostRest: 'no',
  },
  'windows-server-2012-r2': {
    name: 'Windows Server 2012 R2',
    group: 206,
    keyId: 271_298_329,
    app: 'windows',
    kind: 'server',
    covers: [],
    unknown: [],
    rest: 'unknown',
    notCovered: [
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
    ],
    hosts: [],
    hostRest: 'unknown',
  },
  'windows-10-2019': {
    name: 'Windows 10 LTSC 2019 (client)',
    group: 206,
    keyId: 260_000_000,
    app: 'windows',
    kind: 'client',
    covers: [...WIN10_LICENCE, 'windows-10-ltsb-2016', 'windows-10-ltsc-2019'],
    unknown: [],
    rest: 'not-covered',
    hosts: ['windows-10', 'windows-8.1', 'windows-7'],
    hostsNo: [],
    hostRest: 'no',
  },
  'windows-10-2016': {
    name: 'Windows 10 2016 (client)',
    group: 206,
    keyId: 540_000_000,
    app: 'windows',
    kind: 'client',
    covers: [...WIN10_LICENCE, 'windows-10-ltsb-2016'],
    unknown: [],
    rest: 'not-covered',
    hosts: ['windows-10', 'windows-8.1', 'windows-7'],
    hostRest: 'no',
  },
  'windows-10-2015': {
    name: 'Windows 10 2015 (client)',
    group: 206,
    keyId: 400_000_000,
    app: 'windows',
    kind: 'client',
    covers: WIN10_LICENCE,
    unknown: [],
    rest: 'not-covered',
    hosts: ['windows-10', 'windows-8.1', 'windows-7'],
    hostRest: 'no',
  },
  'office-ltsc-2024': {
    name: 'Office LTSC 2024',
    group: 206,
    keyId: 600_000_000,
    app: 'office-2013+',
    kind: 'office',
    covers: ['office-ltsc-2024'],
    unknown: [],
    rest: 'not-covered',
    hosts: ['server-2022', 'server-2025', 'windows-10', 'windows-11'],
    hostRest: 'no',
    pack: 'Office LTSC 2024 Volume License Pack',
  },
  'office-ltsc-2021': {
    name: 'Office LTSC 2021',
    group: 206,
    keyId: 580_000_000,
    app: 'office-2013+',
    kind: 'office',
    covers: ['office-ltsc-2021'],
    unknown: ['office-2013'],
    rest: 'not-covered',
    hosts: ['server-2016', 'server-2019', 'server-2022', 'server-2025', 'windows-10', 'windows-11'],
    hostRest: 'no',
    pack: 'Office LTSC 2021 Volume License Pack',
  },
  'office-2019': {
    name: 'Office 2019',
    group: 206,
    keyId: 684_137_669,
    app: 'office-2013+',
    kind: 'office',
    covers: ['office-2019'],
    unknown: ['office-2013'],
    rest: 'not-covered',
    hosts: [
      'server-2012',
      'server-2012-r2',
      'server-2016',
      'server-2019',
      'server-2022',
      'server-2025',
      'windows-8.1',
      'windows-10',
      'windows-11',
    ],
    hostRest: 'no',
    pack: 'Office 2019 Volume License Pack',
  },
  'office-2016': {
    name: 'Office 2016',
    group: 206,
    keyId: 438_004_532,
    app: 'office-2013+',
    kind: 'office',
    covers: ['office-2016'],
    unknown: ['office-2013'],
    rest: 'not-covered',
    // Windows 7 only from SP1 (7601): handled in hostable() below.
    hosts: [
      'server-2008-r2',
      'server-2012',
      'server-2012-r2',
      'server-2016',
      'server-2019',
      'server-2022',
      'server-2025',
      'windows-7',
      'windows-8',
      'windows-8.1',
      'windows-10',
      'windows-11',
    ],
    hostRest: 'no',
    pack: 'Office 2016 Volume License Pack',
  },
  'office-2013': {
    name: 'Office 2013',
    group: 206,
    keyId: 240_719_639,
    app: 'office-2013+',
    kind: 'office',
    covers: ['office-2013'],
    unknown: [],
    rest: 'unknown',
    notCovered: ['office-2016', 'office-2019', 'office-ltsc-2021', 'office-ltsc-2024'],
    hosts: [],
    hostRest: 'unknown',
    pack: 'Office 2013 Volume License Pack',
  },
  'office-2010': {
    name: 'Office 2010',
    group: 96,
    keyId: 199_799_188,
    app: 'office-2010',
    kind: 'office',
    covers: ['office-2010'],
    unknown: [],
    rest: 'not-covered',
    hosts: ['server-2003', 'windows-7', 'server-2008-r2'],
    hostsNo: ['server-2008', 'vista'],
    hostRest: 'unknown',
    pack: 'Office 2010 KMS Host License Pack',
  },
};

/** Newest first: the key the fix names is the first that covers and can be hosted. */
const WINDOWS_ORDER = [
  'windows-server-2025',
  'windows-server-2022',
  'windows-server-2019',
  'windows-server-2016',
  'windows-10-2019',
  'windows-10-2016',
  'windows-10-2015',
];

const OS_NAMES: Record<string, string> = {
  'server-2003': 'Windows Server 2003',
  vista: 'Windows Vista',
  'server-2008': 'Windows Server 2008',
  'windows-7': 'Windows 7',
  'server-2008-r2': 'Windows Server 2008 R2',
  'windows-8': 'Windows 8',
  'server-2012': 'Windows Server 2012',
  'windows-8.1': 'Windows 8.1',
  'server-2012-r2': 'Windows Server 2012 R2',
  'windows-10': 'Windows 10',
  'server-2016': 'Windows Server 2016',
  'server-2019': 'Windows Server 2019',
  'server-2022': 'Windows Server 2022',
  'windows-11': 'Windows 11',
  'server-2025': 'Windows Server 2025',
};

/** Host builds: [build, platform ID, server reading, client reading]. */
const BUILDS: [number, number, string | null, string | null][] = [
  [6002, 55041, 'server-2008', 'vista'],
  [7600, 55041, 'server-2008-r2', 'windows-7'],
  [7601, 55041, 'server-2008-r2', 'windows-7'],
  [9200, 5426, 'server-2012', 'windows-8'],
  [9600, 6401, 'server-2012-r2', 'windows-8.1'],
  [10240, 3612, null, 'windows-10'],
  [14393, 3612, 'server-2016', 'windows-10'],
  [17763, 3612, 'server-2019', 'windows-10'],
  [19045, 3612, null, 'windows-10'],
  [20348, 3612, 'server-2022', null],
  [22631, 3612, null, 'windows-11'],
  [26100, 3612, 'server-2025', 'windows-11'],
];

/** WSD-PLAN's required updates: [host, product or key, KB, date]. */
const UPDATES: [string, string, string, string][] = [
  ['server-2022', 'windows-server-2025', 'KB5034765', '2024-02-13'],
  ['server-2019', 'windows-server-2025', 'KB5034768', '2024-02-13'],
  ['server-2019', 'windows-server-2022', 'KB5003646', '2021-06-08'],
  ['server-2016', 'windows-server-2022', 'KB5003638', '2021-06-08'],
  ['server-2016', 'windows-server-2019', 'KB4478877', '2018-12-03'],
  ['server-2012-r2', 'windows-server-2019', 'KB4467695', '2018-11-27'],
  ['server-2012-r2', 'windows-server-2016', 'KB3172614', '2016-07'],
  ['server-2012', 'windows-server-2016', 'KB3172615', '2016-07'],
  ['server-2012', 'windows-server-2012-r2', 'KB3172615', '2016-07'],
  ['server-2008-r2', 'windows-server-2012-r2', 'KB3079821', ''],
  ['server-2008-r2', 'windows-server-2012', 'KB3079821', ''],
];
for (const w10 of ['windows-10-11', 'windows-10-ltsb-2016', 'windows-10-ltsc-2019']) {
  UPDATES.push(
    ['server-2012-r2', w10, 'KB3172614', '2016-07'],
    ['server-2012', w10, 'KB3172615', '2016-07'],
    ['server-2008-r2', w10, 'KB3079821', ''],
    ['windows-8.1', w10, 'KB3172614', '2016-07'],
    ['windows-7', w10, 'KB3079821', ''],
  );
}

function update(host: string, slug: string): [string, string] | null {
  const rows = UPDATES.filter(([h, s]) => h === host && s === slug);
  rows.sort((a, b) => a[3].localeCompare(b[3]));
  const first = rows[0];
  return first === undefined ? null : [first[2], first[3]];
}

function laterUpdate(a: [string, string] | null, b: [string, string] | null): string | null {
  if (a === null || b === null) return (a ?? b)?.[0] ?? null;
  return a[1] >= b[1] ? a[0] : b[0];
}

type Cover = 'covered' | 'not-covered' | 'unknown';

function covers(keyId: string, slug: string): Cover {
  const k = KEYS[keyId]!;
  const p = findProduct(slug)!;
  if (p.counter !== k.app) return 'not-covered';
  if (k.covers.includes(slug)) return 'covered';
  if (!p.kmsActivatable) return 'not-covered';
  if (k.notCovered?.includes(slug)) return 'not-covered';
  if (k.unknown.includes(slug)) return 'unknown';
  return k.rest;
}

function hostable(keyId: string, os: string, build: number): 'yes' | 'no' | 'unknown' {
  const k = KEYS[keyId]!;
  if (keyId === 'office-2016' && os === 'windows-7') return build >= 7601 ? 'yes' : 'no';
  if (k.hosts.includes(os)) return 'yes';
  if (k.hostsNo?.includes(os)) return 'no';
  if (keyId.startsWith('windows-10-') && os === 'windows-11') return 'unknown';
  return k.hostRest;
}

function keysFor(slug: string): string[] {
  const p = findProduct(slug)!;
  if (p.counter === 'windows') return WINDOWS_ORDER.filter((k) => covers(k, slug) === 'covered');
  return Object.keys(KEYS).filter(
    (k) => KEYS[k]!.app === p.counter && KEYS[k]!.covers.includes(slug),
  );
}

function epidOf(keyId: string, build: number, platform: number): string {
  const k = KEYS[keyId]!;
  const id = String(k.keyId).padStart(9, '0');
  const pad = (n: number): string => String(n).padStart(5, '0');
  return `${pad(platform)}-${pad(k.group)}-${id.slice(0, 3)}-${id.slice(3)}-03-1033-${build}.0000-0012025`;
}

/** The marker a key answers: a group every key of the kind covers. */
function marker(keyId: string): string {
  const k = KEYS[keyId]!;
  return k.kind === 'office' ? k.covers[0]! : 'windows-7';
}

/** The fix text the hand tables expect, as fragments that must all appear. */
function expectedFix(
  slug: string,
  running: string | null,
  build: number,
): { fragments: string[]; installs: string | null } {
  const p = findProduct(slug)!;
  const keys = keysFor(slug);
  if (keys.length === 0)
    return { fragments: [`no host key in the model covers ${p.name}`], installs: null };
  if (running === null) {
    const k = KEYS[keys[0]!]!;
    return { fragments: [`the ${k.name} CSVLK`], installs: keys[0]! };
  }
  const host = `this host runs ${OS_NAMES[running]} (${build}`;
  const pick =
    keys.find((k) => hostable(k, running, build) === 'yes') ??
    keys.find((k) => hostable(k, running, build) === 'unknown');
  if (pick === undefined) {
    return {
      fragments: [`${p.name} cannot be hosted on ${OS_NAMES[running]} (${build}`],
      installs: null,
    };
  }
  const k = KEYS[pick]!;
  const kb = laterUpdate(update(running, slug), update(running, pick));
  const fragments = [
    `the ${k.name} CSVLK${kb === null ? '' : ` after ${kb} (or a later cumulative update)`}`,
  ];
  if (k.pack !== undefined) fragments.push(`install the ${k.pack}`);
  fragments.push(
    hostable(pick, running, build) === 'yes'
      ? `${host}`
      : `whether this host, which runs ${OS_NAMES[running]} (${build}`,
  );
  return { fragments, installs: pick };
}

function runningFor(keyId: string, server: string | null, client: string | null): string | null {
  const kind = KEYS[keyId]!.kind;
  if (kind === 'server') return server;
  if (kind === 'client') return client;
  return server ?? client;
}

function check(v: CoverageVerdict, fragments: string[], where: string): void {
  for (const f of fragments)
    assert.ok(v.text.includes(f), `${where}: ${JSON.stringify(v.text)} lacks ${JSON.stringify(f)}`);
}

describe('coverage matrix: every key × build × product group', () => {
  const products = listProducts();

  it('refused probes: the reason and the fix from the hand tables', () => {
    let cells = 0;
    for (const keyId of Object.keys(KEYS)) {
      for (const [build, platform, server, client] of BUILDS) {
        const running = runningFor(keyId, server, client);
        const answered: ProbeOutcome = {
          status: 'answered',
          epid: parseEpid(epidOf(keyId, build, platform)),
        };
        for (const p of products) {
          const probes: Map<string, ProbeOutcome> = new Map([[marker(keyId), answered]]);
          if (p.slug !== marker(keyId)) probes.set(p.slug, { status: 'refused' });
          const v: CoverageVerdict = coverageMatrix(probes, [p]).verdicts[0]!;
          const where = `${keyId} on ${build}, ${p.slug}`;
          cells++;
          if (p.slug === marker(keyId)) {
            assert.equal(v.kind, 'activates', where);
            continue;
          }
          assert.equal(v.kind, 'refused', where);
          if (v.kind !== 'refused') continue;
          if (!p.kmsActivatable) {
            assert.equal(v.reason, 'not-volume', where);
            continue;
          }
          if (p.counter !== KEYS[keyId]!.app) {
            assert.equal(v.reason, 'no-key-seen', where);
            check(v, expectedFix(p.slug, running, build).fragments, where);
            continue;
          }
          const c = covers(keyId, p.slug);
          if (c === 'covered') {
            const kb = running === null ? null : update(running, p.slug);
            assert.equal(v.reason, kb === null ? 'unexplained' : 'needs-update', where);
            if (kb !== null) check(v, [`install ${kb[0]} (or a later cumulative update)`], where);
            continue;
          }
          assert.equal(v.reason, 'key-does-not-cover', where);
          const fix = expectedFix(p.slug, running, build);
          check(
            v,
            [`host key ${KEYS[keyId]!.name} does not cover ${p.name}: `, ...fix.fragments],
            where,
          );
          assert.equal(v.fix?.installCsvlk?.id ?? null, fix.installs, where);
        }
      }
    }
    assert.equal(cells, Object.keys(KEYS).length * BUILDS.length * products.length);
  });

  it('products not probed: the predicted outcome from the hand tables', () => {
    for (const keyId of Object.keys(KEYS)) {
      for (const [build, platform, server, client] of BUILDS) {
        const running = runningFor(keyId, server, client);
        const answered: ProbeOutcome = {
          status: 'answered',
          epid: parseEpid(epidOf(keyId, build, platform)),
        };
        const probes = new Map<string, ProbeOutcome>([[marker(keyId), answered]]);
        for (const v of coverageMatrix(probes, products).verdicts) {
          const p = findProduct(v.product)!;
          const where = `${keyId} on ${build}, ${p.slug}`;
          if (p.slug === marker(keyId)) continue;
          assert.equal(v.kind, 'predicted', where);
          if (v.kind !== 'predicted') continue;
          if (!p.kmsActivatable) {
            assert.equal(v.outcome, 'refused', where);
          } else if (p.counter !== KEYS[keyId]!.app) {
            assert.equal(v.outcome, 'unknown', where);
          } else {
            const c = covers(keyId, p.slug);
            const kb = running === null ? null : update(running, p.slug);
            const expected =
              c === 'covered'
                ? kb === null
                  ? 'activates'
                  : 'activates-with-update'
                : c === 'not-covered'
                  ? 'refused'
                  : 'unknown';
            assert.equal(v.outcome, expected, where);
            if (expected === 'activates-with-update') assert.equal(v.update?.kb, kb?.[0], where);
            if (expected === 'refused')
              check(v, expectedFix(p.slug, running, build).fragments, where);
          }
        }
      }
    }
  });
});
