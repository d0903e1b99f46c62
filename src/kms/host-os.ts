/**
 * Windows release names for the build numbers a KMS host puts in its ePID (docs/protocol.md
 * §5.6). KMS hosts are mostly servers, so where a client and a server share a build the
 * server is named first. Builds not in the table get the family their range belongs to.
 */

const KNOWN_BUILDS: ReadonlyMap<number, string> = new Map([
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
 * the build ('Windows 10 family (build 18950)'); null below 6000 (no KMS before Vista).
 */
export function windowsNameForBuild(build: number): string | null {
  if (!Number.isInteger(build) || build < 6000) return null;
  const known = KNOWN_BUILDS.get(build);
  if (known !== undefined) return known;
  let family = '';
  for (const [first, name] of FAMILIES) if (build >= first) family = name;
  return `${family} (build ${build})`;
}
