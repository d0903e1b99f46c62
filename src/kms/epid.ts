/**
 * The ePID (extended product ID) a KMS host returns, e.g.
 * `06401-00206-271-298329-03-1033-9600.0000-2922017` (docs/protocol.md §5.6):
 * platform ID, CSVLK group ID, key ID (3+6 digits), license channel, host LCID, host OS
 * build, and day-of-year + year of the CSVLK's installation. It comes from the host, so the
 * parser treats it as hostile: anything unexpected ends in KmsDecodeError('malformed').
 */
import { KmsDecodeError, requireBytes } from './errors.js';
import { windowsNameForBuild } from './host-os.js';
import { decodeCsvlk } from './coverage/csvlk-facts.js';
import type { Csvlk } from './coverage/types.js';
import { BoundedCache } from '../util/bounded-cache.js';

export interface Epid {
  /** The text as the host sent it. */
  raw: string;
  /** Part 1: the host OS platform (55041, 5426, 6401, 3612). */
  platformId: number;
  /** `platformId` in words, null when unknown. */
  platform: string | null;
  /** Part 2: the CSVLK group (206 for most Windows 8–2019 and Office 2013+ host keys). */
  groupId: number;
  /** Parts 3+4 as one 9-digit number: the range tells which CSVLK is installed. */
  keyId: number;
  /** Part 5: license channel, 3 = volume (CSVLK). */
  channel: number;
  /** Part 6: host locale, decimal (1033 = en-US). */
  lcid: number;
  /** Part 7 before the dot: the host OS build. */
  hostBuild: number;
  /** The host OS from the build, e.g. 'Windows Server 2019 / Windows 10 1809'. */
  hostOs: string | null;
  /**
   * Part 8 (DDDYYYY) as a UTC date: when the CSVLK was installed or activated on the host
   * (inferred; Microsoft does not document it). Null when the day does not exist that year.
   */
  keyInstallDate: Date | null;
  /** The CSVLK the group and key ID name (docs/coverage.md §3), or null. */
  csvlk: Csvlk | null;
  /** `csvlk`'s name, or null. */
  csvlkHint: string | null;
}

/** A response carries at most 128 bytes of UTF-16 including the NUL: 63 characters. */
export const MAX_EPID_LENGTH = 63;

const EPID_PATTERN =
  /^(\d{5})-(\d{5})-(\d{3})-(\d{6})-(\d{2})-(\d{1,5})-(\d{4,5})\.(\d{4})-(\d{3})(\d{4})$/;

const PLATFORMS: ReadonlyMap<number, string> = new Map([
  [55041, 'Windows Vista / 7 / Server 2008 / 2008 R2'],
  [5426, 'Windows 8 / Server 2012'],
  [6401, 'Windows 8.1 / Server 2012 R2'],
  [3612, 'Windows 10 / 11 / Server 2016-2025'],
]);

/**
 * The platform ID a genuine host of this build puts in part 1 (docs/coverage.md §2): 55041
 * for builds 6000–7601, 5426 for 9200, 6401 for 9600, 3612 from 10240 on; null for a build
 * the sources say nothing about.
 */
export function expectedPlatformId(build: number): number | null {
  if (!Number.isInteger(build)) return null;
  if (build >= 6000 && build <= 7601) return 55041;
  if (build === 9200) return 5426;
  if (build === 9600) return 6401;
  if (build >= 10240) return 3612;
  return null;
}

/** The CSVLK's name from its group and key ID (docs/coverage.md §3), or null. */
export function csvlkHint(groupId: number, keyId: number): string | null {
  return decodeCsvlk(groupId, keyId)?.name ?? null;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Day `day` (1-based) of `year` at 00:00 UTC, or null if that day does not exist. */
function dayOfYear(day: number, year: number): Date | null {
  if (day < 1 || day > (isLeapYear(year) ? 366 : 365) || year < 1970) return null;
  return new Date(Date.UTC(year, 0, day));
}

/** Parses an ePID; throws KmsDecodeError('malformed') for anything else. */
export function parseEpid(text: unknown): Epid {
  if (typeof text !== 'string') throw new KmsDecodeError('malformed', 'ePID is not a string');
  if (text.length > MAX_EPID_LENGTH) {
    throw new KmsDecodeError('malformed', `ePID longer than ${MAX_EPID_LENGTH} characters`);
  }
  const m = EPID_PATTERN.exec(text);
  if (m === null) throw new KmsDecodeError('malformed', `not an ePID: ${JSON.stringify(text)}`);
  const part = (i: number): number => Number(m[i]);
  const platformId = part(1);
  const groupId = part(2);
  const keyId = part(3) * 1_000_000 + part(4);
  const hostBuild = part(7);
  const csvlk = decodeCsvlk(groupId, keyId);
  return {
    raw: text,
    platformId,
    platform: PLATFORMS.get(platformId) ?? null,
    groupId,
    keyId,
    channel: part(5),
    lcid: part(6),
    hostBuild,
    hostOs: windowsNameForBuild(hostBuild),
    keyInstallDate: dayOfYear(part(9), part(10)),
    csvlk,
    csvlkHint: csvlk?.name ?? null,
  };
}

/**
 * Parsed ePIDs by their text. A host sends the same ePID in every answer, and every
 * evaluation (the page, the API, the metrics) reads each host's ePIDs again: parsing once
 * per distinct text took a tenth of the status page's server time at 1,000 domains
 * (docs/performance.md). The parsed objects are frozen, so callers share them safely.
 * Bounded against hosts that vary their ePID: when full it starts again.
 */
const PARSED = new BoundedCache<string, Readonly<Epid> | null>(65_536);

/** parseEpid, or null for text that is not an ePID. */
export function tryParseEpid(text: unknown): Readonly<Epid> | null {
  if (typeof text !== 'string') return null;
  const known = PARSED.get(text);
  if (known !== undefined) return known;
  let epid: Readonly<Epid> | null;
  try {
    epid = Object.freeze(parseEpid(text));
  } catch (e) {
    if (!(e instanceof KmsDecodeError)) throw e;
    epid = null;
  }
  return PARSED.add(text, epid);
}

/** The 8 HWID bytes at `offset` as 16 uppercase hex digits in byte order (as vlmcs prints). */
export function formatHwid(bytes: Uint8Array, offset = 0): string {
  requireBytes(bytes, offset, 8, 'HWID');
  return Buffer.from(bytes.subarray(offset, offset + 8))
    .toString('hex')
    .toUpperCase();
}

/**
 * The reverse, for configuration and the lab host: 16 hex digits, optionally separated by
 * spaces, colons or dashes (vlmcsd writes `36 4F 46 3A 88 63 D3 5F`).
 */
export function parseHwid(text: string): Buffer {
  const digits = typeof text === 'string' && text.length <= 64 ? text.replace(/[\s:-]/g, '') : '';
  if (!/^[0-9a-fA-F]{16}$/.test(digits)) {
    throw new KmsDecodeError(
      'malformed',
      `HWID must be 16 hex digits, got ${JSON.stringify(text)}`,
    );
  }
  return Buffer.from(digits, 'hex');
}
