/**
 * Windows releases for the build numbers a KMS host puts in its ePID (docs/protocol.md §5.6,
 * docs/coverage.md §2). One build can be a server and a client release (17763 is Windows
 * Server 2019 and Windows 10 1809): the ePID does not say which, so `hostOsOf` gives both
 * readings and the coverage model picks one from the host keys the host revealed.
 */
import { BoundedCache } from '../util/bounded-cache.js';

export type HostOsKind = 'server' | 'client';

/**
 * The Windows releases the coverage model reasons about (docs/coverage.md §2), oldest first:
 * each id once, with its name and kind. The order is the one fix texts list releases in
 * ('Windows Server 2016 or later', coverage/wording.ts).
 */
const RELEASES = [
  ['server-2003', 'Windows Server 2003', 'server'],
  ['vista', 'Windows Vista', 'client'],
  ['server-2008', 'Windows Server 2008', 'server'],
  ['windows-7', 'Windows 7', 'client'],
  ['server-2008-r2', 'Windows Server 2008 R2', 'server'],
  ['windows-8', 'Windows 8', 'client'],
  ['server-2012', 'Windows Server 2012', 'server'],
  ['windows-8.1', 'Windows 8.1', 'client'],
  ['server-2012-r2', 'Windows Server 2012 R2', 'server'],
  ['windows-10', 'Windows 10', 'client'],
  ['server-2016', 'Windows Server 2016', 'server'],
  ['server-2019', 'Windows Server 2019', 'server'],
  ['server-2022', 'Windows Server 2022', 'server'],
  ['windows-11', 'Windows 11', 'client'],
  ['server-2025', 'Windows Server 2025', 'server'],
] as const satisfies readonly (readonly [id: string, name: string, kind: HostOsKind])[];

export type HostOsId = (typeof RELEASES)[number][0];

export interface HostOs {
  id: HostOsId;
  /** 'Windows Server 2019', 'Windows 10'. */
  name: string;
  kind: HostOsKind;
}

/** What a build says about the host: its name and its server and client readings. */
export interface HostOsInfo {
  build: number;
  /** windowsNameForBuild(build). */
  name: string | null;
  /** The server release with this build; null when no long-term server release has it. */
  server: HostOs | null;
  /** The client release with this build; null when no client release has it. */
  client: HostOs | null;
  /**
   * The earliest date a host can have run this build: the general-availability date of the
   * build, or of the nearest older dated build for one the table does not date (a safe lower
   * bound); null below 6002.
   */
  earliestRelease: Date | null;
}

// Built from RELEASES, which names every HostOsId: the cast adds no id.
const OS = Object.freeze(
  Object.fromEntries(RELEASES.map(([id, name, kind]) => [id, { id, name, kind }])),
) as Readonly<Record<HostOsId, HostOs>>;

const RELEASES_OF: Readonly<Record<HostOsKind, readonly HostOs[]>> = Object.freeze({
  server: Object.values(OS).filter((os) => os.kind === 'server'),
  client: Object.values(OS).filter((os) => os.kind === 'client'),
});

/** The release with this id. */
export function hostOs(id: HostOsId): HostOs {
  return OS[id];
}

/** The releases of one kind, oldest first. */
export function hostOsReleases(kind: HostOsKind): readonly HostOs[] {
  return RELEASES_OF[kind];
}

const KNOWN_BUILDS: ReadonlyMap<number, string> = new Map([
  [3790, 'Windows Server 2003 / 2003 R2'],
  [6000, 'Windows Vista'],
  [6001, 'Windows Server 2008 / Windows Vista SP1'],
  [6002, 'Windows Server 2008 / Windows Vista SP2'],
  [6003, 'Windows Server 2008 SP2'],
  [7600, 'Windows Server 2008 R2 / Windows 7'],
  [7601, 'Windows Server 2008 R2 / Windows 7 SP1'],
  [9200, 'Windows Server 2012 / Windows 8'],
  [9600, 'Windows Server 2012 R2 / Windows 8.1'],
  [10240, 'Windows 10 1507'],
  [10586, 'Windows 10 1511'],
  [14393, 'Windows Server 2016 / Windows 10 1607'],
  [15063, 'Windows 10 1703'],
  [16299, 'Windows 10 1709'],
  [17134, 'Windows 10 1803'],
  [17763, 'Windows Server 2019 / Windows 10 1809'],
  [18362, 'Windows 10 1903'],
  [18363, 'Windows 10 1909'],
  [19041, 'Windows 10 2004'],
  [19042, 'Windows 10 20H2'],
  [19043, 'Windows 10 21H1'],
  [19044, 'Windows 10 21H2'],
  [19045, 'Windows 10 22H2'],
  [20348, 'Windows Server 2022'],
  [22000, 'Windows 11 21H2'],
  [22621, 'Windows 11 22H2'],
  [22631, 'Windows 11 23H2'],
  [25398, 'Windows Server 23H2'],
  [26100, 'Windows Server 2025 / Windows 11 24H2'],
  [26200, 'Windows 11 25H2'],
  [28000, 'Windows 11 26H1'],
]);

/** [first build of the range, family name], ascending. */
const FAMILIES: readonly [number, string][] = [
  [6000, 'Windows Vista / Server 2008 family'],
  [7600, 'Windows 7 / Server 2008 R2 family'],
  [9200, 'Windows 8 / Server 2012 family'],
  [9600, 'Windows 8.1 / Server 2012 R2 family'],
  [10240, 'Windows 10 family'],
  [20000, 'Windows Server 2022 family'],
  [22000, 'Windows 11 family'],
  [26100, 'Windows 11 / Server 2025 or later'],
];

/**
 * 'Windows Server 2019 / Windows 10 1809' for 17763; for an unlisted build the family with
 * the build ('Windows 10 family (build 18950)'); null below 6000 except Server 2003's 3790
 * (KMS hosts ran on Server 2003 before Vista brought KMS clients).
 */
export function windowsNameForBuild(build: number): string | null {
  if (!Number.isInteger(build)) return null;
  const known = KNOWN_BUILDS.get(build);
  if (known !== undefined) return known;
  if (build < 6000) return null;
  let family = '';
  for (const [first, name] of FAMILIES) if (build >= first) family = name;
  return `${family} (build ${build})`;
}

/**
 * Server releases by exact build: only long-term releases, the ones Microsoft's KMS tables
 * name as hosts (docs/coverage.md §2). Semi-annual servers (1709 … 23H2) share client builds
 * or have their own and are not modelled.
 */
const SERVER_BUILDS: ReadonlyMap<number, HostOsId> = new Map<number, HostOsId>([
  [3790, 'server-2003'],
  [6001, 'server-2008'],
  [6002, 'server-2008'],
  [6003, 'server-2008'],
  [7600, 'server-2008-r2'],
  [7601, 'server-2008-r2'],
  [9200, 'server-2012'],
  [9600, 'server-2012-r2'],
  [14393, 'server-2016'],
  [17763, 'server-2019'],
  [20348, 'server-2022'],
  [26100, 'server-2025'],
]);

/** Builds inside a client range that only servers have. */
const SERVER_ONLY_BUILDS: ReadonlySet<number> = new Set([25398]);

/** [first build, last build, client release], ascending; 20000–21999 is server-only. */
const CLIENT_RANGES: readonly [number, number, HostOsId][] = [
  [6000, 6003, 'vista'],
  [7600, 7601, 'windows-7'],
  [9200, 9200, 'windows-8'],
  [9600, 9600, 'windows-8.1'],
  [10240, 19999, 'windows-10'],
  [22000, 29999, 'windows-11'],
];

/**
 * General-availability dates of builds (kmsrsos's host build table, docs/coverage.md §2),
 * ascending. Only a lower bound is ever taken from them.
 */
const BUILD_RELEASES: readonly [number, string][] = [
  [6002, '2009-05-26'],
  [7601, '2011-02-22'],
  [9200, '2012-10-26'],
  [9600, '2013-10-18'],
  [10240, '2015-07-29'],
  [14393, '2016-08-02'],
  [15063, '2017-04-05'],
  [16299, '2017-10-17'],
  [17134, '2018-04-30'],
  [17763, '2018-10-02'],
  [20348, '2021-08-18'],
  [22000, '2021-10-04'],
  [22621, '2022-09-20'],
  [22631, '2023-10-31'],
  [26100, '2024-10-01'],
  [26200, '2025-09-30'],
  [28000, '2026-02-10'],
];

function earliestRelease(build: number): Date | null {
  let date: string | null = null;
  for (const [first, day] of BUILD_RELEASES) if (build >= first) date = day;
  return date === null ? null : new Date(`${date}T00:00:00Z`);
}

/**
 * Readings by build. Every trust assessment and coverage evaluation asks for the build of
 * each ePID a host answered, and building the reading (a range search, a name, a Date
 * parsed from text) was ~3 % of everything serve allocated over a round at 3,000 domains
 * (docs/performance.md); a real estate has a handful of builds. The readings are frozen,
 * so callers share them. Bounded against hosts that vary their build: when full it
 * starts again.
 */
const BY_BUILD = new BoundedCache<number, Readonly<HostOsInfo> | null>(4096);

/** The host OS readings of an ePID build; null for a build no Windows release can have. */
export function hostOsOf(build: number): Readonly<HostOsInfo> | null {
  const known = BY_BUILD.get(build);
  return known !== undefined ? known : BY_BUILD.add(build, readBuild(build));
}

function readBuild(build: number): Readonly<HostOsInfo> | null {
  if (!Number.isInteger(build) || build < 0) return null;
  const server = SERVER_BUILDS.get(build);
  const client = SERVER_ONLY_BUILDS.has(build)
    ? undefined
    : CLIENT_RANGES.find(([first, last]) => build >= first && build <= last)?.[2];
  const name = windowsNameForBuild(build);
  if (name === null && server === undefined) return null;
  return Object.freeze({
    build,
    name,
    server: server === undefined ? null : OS[server],
    client: client === undefined ? null : OS[client],
    earliestRelease: earliestRelease(build),
  });
}
