/**
 * Signs that an activation object was not made by Windows from a real CSVLK (docs/adba.md
 * §4). Forged objects circulate that turn every domain member into "activated": a public
 * script writes an all-zero SKU ID, partial key XXXXX, a placeholder PID and a KMS ID list
 * spanning Windows and Office. Each sign is evidence on its own; none needs the others.
 */
import { NIL_GUID } from '../kms/guid.js';
import type { AdbaObject } from './decode.js';

export type ForgerySign =
  | 'sku_zero'
  | 'sku_unreadable'
  | 'partial_key_placeholder'
  | 'pid_undecodable'
  | 'pid_placeholder'
  | 'kms_ids_impossible';

export interface ForgeryEvidence {
  sign: ForgerySign;
  /** What was seen, for the admin. */
  detail: string;
}

/** Product key characters (the 24 of the 5×5 key plus N, which marks a position). */
const KEY_ALPHABET = /^[BCDFGHJKMNPQRTVWXY2346789]{5}$/i;
/** Platform IDs Windows writes into a PID (docs/protocol.md §5.6). */
const KNOWN_PLATFORMS = new Set([55041, 5426, 6401, 3612]);

/** The platform ID a host of `build` writes, or null when the build predates all of them. */
function platformForBuild(build: number): number | null {
  if (build >= 10240) return 3612;
  if (build === 9600) return 6401;
  if (build === 9200) return 5426;
  if (build === 6002 || build === 7601) return 55041;
  return null;
}

function pidSigns(object: AdbaObject): ForgeryEvidence[] {
  if (object.csvlkPid === null) return [];
  const pid = object.pid;
  if (pid === null) {
    return [
      {
        sign: 'pid_undecodable',
        detail: `msSPP-CSVLKPid ${JSON.stringify(object.csvlkPid)} is not in ePID form`,
      },
    ];
  }
  const out: string[] = [];
  if (!KNOWN_PLATFORMS.has(pid.platformId))
    out.push(`platform ID ${pid.platformId} is no Windows platform`);
  const expected = platformForBuild(pid.hostBuild);
  if (KNOWN_PLATFORMS.has(pid.platformId) && expected !== null && expected !== pid.platformId) {
    out.push(
      `platform ID ${pid.platformId} does not match host build ${pid.hostBuild} (${expected})`,
    );
  }
  if (pid.hostOs === null) out.push(`host build ${pid.hostBuild} is no Windows release`);
  if (pid.keyId === 0) out.push('key ID is all zeros');
  if (pid.channel !== 3) out.push(`channel ${pid.channel} is not 03 (volume)`);
  if (pid.keyDate === null) out.push('the key date does not exist');
  else if (pid.keyDate > new Date().toISOString().slice(0, 10))
    out.push(`key date ${pid.keyDate} is in the future`);
  return out.length === 0
    ? []
    : [{ sign: 'pid_placeholder', detail: `msSPP-CSVLKPid ${object.csvlkPid}: ${out.join(', ')}` }];
}

function kmsIdSigns(object: AdbaObject): ForgeryEvidence[] {
  const out: ForgeryEvidence[] = [];
  // Each application (Windows, Office 2010, Office 2013+) has its own CSVLK, so one
  // object never enables groups of two of them.
  const counters = new Set(object.kmsIds.map((k) => k.counter).filter((c) => c !== null));
  if (counters.size > 1) {
    out.push({
      sign: 'kms_ids_impossible',
      detail: `msSPP-KMSIds spans ${[...counters].sort().join(' and ')}: no CSVLK covers more than one application`,
    });
  }
  const retail = object.kmsIds.filter((k) => k.kmsActivatable === false);
  if (retail.length > 0) {
    out.push({
      sign: 'kms_ids_impossible',
      detail: `msSPP-KMSIds enables ${retail.map((k) => k.product).join(', ')}, which no CSVLK activates`,
    });
  }
  return out;
}

export function forgerySigns(object: AdbaObject): ForgeryEvidence[] {
  const out: ForgeryEvidence[] = [];
  if (object.skuId === NIL_GUID) {
    out.push({ sign: 'sku_zero', detail: 'msSPP-CSVLKSkuId is the all-zero GUID' });
  } else if (
    object.skuId === null &&
    object.problems.some((p) => p.startsWith('msSPP-CSVLKSkuId'))
  ) {
    out.push({
      sign: 'sku_unreadable',
      detail: object.problems.filter((p) => p.startsWith('msSPP-CSVLKSkuId')).join('; '),
    });
  }
  const key = object.partialProductKey;
  if (key !== null && (!KEY_ALPHABET.test(key) || new Set(key.toUpperCase()).size === 1)) {
    out.push({
      sign: 'partial_key_placeholder',
      detail: `msSPP-CSVLKPartialProductKey ${JSON.stringify(key)} is no end of a product key`,
    });
  }
  out.push(...pidSigns(object), ...kmsIdSigns(object));
  return out;
}
