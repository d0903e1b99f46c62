/**
 * What changed in a forest's activation objects between two successful rounds. Objects are
 * matched by DN (case-insensitive, as LDAP compares DNs); a changed object lists the LDAP
 * attributes whose meaning changed. whenChanged alone is not a change: AD bumps it for
 * attributes the collector does not read (licenses, replication metadata).
 */
import { ATTR } from './schema.js';
import type { AdbaObject } from './decode.js';

export interface AdbaObjectChange {
  dn: string;
  /** LDAP names of the attributes that differ, e.g. ['msSPP-KMSIds']. */
  attributes: string[];
  before: AdbaObject;
  after: AdbaObject;
}

export interface AdbaRoundDiff {
  appeared: AdbaObject[];
  changed: AdbaObjectChange[];
  disappeared: AdbaObject[];
}

const COMPARED: readonly [string, (o: AdbaObject) => string | null][] = [
  [ATTR.displayName, (o) => o.displayName],
  [ATTR.csvlkPid, (o) => o.csvlkPid],
  [ATTR.csvlkSkuId, (o) => o.skuId],
  [ATTR.partialProductKey, (o) => o.partialProductKey],
  [ATTR.kmsIds, (o) => o.kmsIds.map((k) => k.kmsCountedId).join(',')],
  // A different creation time under the same DN: deleted and created again.
  [ATTR.whenCreated, (o) => o.created],
];

const key = (o: AdbaObject): string => o.dn.toLowerCase();

export function diffRounds(
  before: readonly AdbaObject[],
  after: readonly AdbaObject[],
): AdbaRoundDiff {
  const old = new Map(before.map((o) => [key(o), o]));
  const now = new Map(after.map((o) => [key(o), o]));
  const appeared = after.filter((o) => !old.has(key(o)));
  const disappeared = before.filter((o) => !now.has(key(o)));
  const changed: AdbaObjectChange[] = [];
  for (const object of after) {
    const previous = old.get(key(object));
    if (previous === undefined) continue;
    const attributes = COMPARED.filter(([, get]) => get(previous) !== get(object)).map(
      ([name]) => name,
    );
    if (attributes.length > 0)
      changed.push({ dn: object.dn, attributes, before: previous, after: object });
  }
  return { appeared, changed, disappeared };
}
