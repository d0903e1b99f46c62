/**
 * One LDAP search entry of class msSPP-ActivationObject, decoded (docs/adba.md §2). The entry
 * comes from a directory the monitor does not control, so every attribute may be missing,
 * repeated, of the wrong size or the wrong type: each such problem is recorded on the object,
 * nothing throws, and the raw text is bounded before it is kept.
 */
import { guid } from '../kms/guid.js';
import { tryParseEpid } from '../kms/epid.js';
import { ATTR } from './schema.js';
import { mapKmsId, type KmsIdMapping } from './kms-ids.js';

/** What the object's CSVLK PID says, where the ePID decoder understands it. */
export interface CsvlkPid {
  platformId: number;
  groupId: number;
  keyId: number;
  channel: number;
  /** The CSVLK the group and key ID suggest; null when the decoder does not know it. */
  csvlk: string | null;
  hostBuild: number;
  hostOs: string | null;
  /** ISO date (UTC day) the PID's last part gives; null when that day does not exist. */
  keyDate: string | null;
}

export interface AdbaObject {
  dn: string;
  cn: string | null;
  displayName: string | null;
  /** msSPP-CSVLKPid as stored (at most MAX_TEXT characters). */
  csvlkPid: string | null;
  /** The PID decoded; null when it is missing or not in ePID form. */
  pid: CsvlkPid | null;
  /** msSPP-CSVLKSkuId as GUID text; null when missing or not 16 bytes. */
  skuId: string | null;
  partialProductKey: string | null;
  /** msSPP-KMSIds, each mapped to the product table (sorted, without duplicates). */
  kmsIds: KmsIdMapping[];
  /** KMS counted IDs the product table has no group for. */
  unmappedKmsIds: string[];
  /** ISO timestamps; whenCreated/whenChanged, else createTimestamp/modifyTimestamp. */
  created: string | null;
  changed: string | null;
  /** What is wrong with the entry's encoding (missing attribute, wrong size, ...). */
  problems: string[];
}

/** Longest text kept from an attribute; the schema allows 512 characters for the PID. */
const MAX_TEXT = 512;
/** More KMS IDs than any CSVLK enables (a few dozen); the rest is not decoded. */
export const MAX_KMS_IDS = 256;

type Value = string | Buffer;

function values(entry: Record<string, unknown>, name: string): Value[] {
  // Directories may return attribute names in any case.
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) return [];
  const raw = entry[key];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((v): v is Value => typeof v === 'string' || Buffer.isBuffer(v));
}

function single(entry: Record<string, unknown>, name: string, problems: string[]): Value | null {
  const list = values(entry, name);
  if (list.length > 1) problems.push(`${name} has ${list.length} values; the schema allows one`);
  return list[0] ?? null;
}

function bounded(value: string, name: string, problems: string[]): string {
  if (value.length <= MAX_TEXT) return value;
  problems.push(`${name} is ${value.length} characters long; kept the first ${MAX_TEXT}`);
  return value.slice(0, MAX_TEXT);
}

function textValue(
  entry: Record<string, unknown>,
  name: string,
  problems: string[],
): string | null {
  const value = single(entry, name, problems);
  if (value === null) return null;
  return bounded(Buffer.isBuffer(value) ? value.toString('utf8') : value, name, problems);
}

function guidValue(value: Value, name: string, problems: string[]): string | null {
  if (!Buffer.isBuffer(value)) {
    problems.push(`${name} arrived as text, not as 16 bytes`);
    return null;
  }
  if (value.length !== 16) {
    problems.push(`${name} is ${value.length} bytes; a GUID is 16`);
    return null;
  }
  return guid.decode(value);
}

const GENERALIZED_TIME =
  /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,](\d{1,7}))?(Z|[+-]\d{4})$/;

/** RFC 4517 GeneralizedTime (`20240115103000.0Z`, `20240115103000Z`) as ISO text, or null. */
export function parseGeneralizedTime(text: string): string | null {
  const m = GENERALIZED_TIME.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as string[];
  const offset = zone === 'Z' ? 'Z' : `${zone!.slice(0, 3)}:${zone!.slice(3)}`;
  const ms = frac === undefined ? '' : `.${frac.padEnd(3, '0').slice(0, 3)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function timeValue(
  entry: Record<string, unknown>,
  names: readonly string[],
  problems: string[],
): string | null {
  for (const name of names) {
    const text = textValue(entry, name, problems);
    if (text === null) continue;
    const iso = parseGeneralizedTime(text);
    if (iso === null) problems.push(`${name} ${JSON.stringify(text)} is not a GeneralizedTime`);
    return iso;
  }
  return null;
}

function decodePid(text: string | null): CsvlkPid | null {
  const epid = text === null ? null : tryParseEpid(text);
  if (epid === null) return null;
  return {
    platformId: epid.platformId,
    groupId: epid.groupId,
    keyId: epid.keyId,
    channel: epid.channel,
    csvlk: epid.csvlkHint,
    hostBuild: epid.hostBuild,
    hostOs: epid.hostOs,
    keyDate: epid.keyInstallDate?.toISOString().slice(0, 10) ?? null,
  };
}

export function decodeActivationObject(entry: Record<string, unknown>): AdbaObject {
  const problems: string[] = [];
  const dn = typeof entry.dn === 'string' ? bounded(entry.dn, 'dn', problems) : '';
  if (dn === '') problems.push('the entry has no DN');

  const csvlkPid = textValue(entry, ATTR.csvlkPid, problems);
  if (csvlkPid === null) problems.push(`${ATTR.csvlkPid} is missing`);
  const skuValue = single(entry, ATTR.csvlkSkuId, problems);
  if (skuValue === null) problems.push(`${ATTR.csvlkSkuId} is missing`);
  const skuId = skuValue === null ? null : guidValue(skuValue, ATTR.csvlkSkuId, problems);
  const partialProductKey = textValue(entry, ATTR.partialProductKey, problems);
  if (partialProductKey === null) problems.push(`${ATTR.partialProductKey} is missing`);

  const rawIds = values(entry, ATTR.kmsIds);
  if (rawIds.length === 0) problems.push(`${ATTR.kmsIds} is missing`);
  if (rawIds.length > MAX_KMS_IDS) {
    problems.push(`${ATTR.kmsIds} has ${rawIds.length} values; decoded the first ${MAX_KMS_IDS}`);
  }
  const ids = new Set<string>();
  for (const value of rawIds.slice(0, MAX_KMS_IDS)) {
    const id = guidValue(value, ATTR.kmsIds, problems);
    if (id !== null) ids.add(id);
  }
  const kmsIds = [...ids].sort().map(mapKmsId);

  return {
    dn,
    cn: textValue(entry, ATTR.cn, problems),
    displayName: textValue(entry, ATTR.displayName, problems),
    csvlkPid,
    pid: decodePid(csvlkPid),
    skuId,
    partialProductKey,
    kmsIds,
    unmappedKmsIds: kmsIds.filter((k) => k.product === null).map((k) => k.kmsCountedId),
    created: timeValue(entry, [ATTR.whenCreated, ATTR.createTimestamp], problems),
    changed: timeValue(entry, [ATTR.whenChanged, ATTR.modifyTimestamp], problems),
    problems,
  };
}
