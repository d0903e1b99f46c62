/**
 * Combined coverage (docs/adba.md §8): per ADBA forest and product group, whether an
 * activation object serves its domain members, and which clients still depend on KMS
 * whatever the objects say. ADBA serves only Windows 8.1+ / Server 2012+ and Office 2013+
 * domain members; older releases and machines outside the domain activate from KMS alone.
 * This is information next to the KMS verdicts: it never changes them, so a KMS problem is
 * never turned green by an object in AD.
 */
import type { AdbaObject } from '../adba/index.js';
import { forgerySigns } from '../adba/index.js';
import { findProduct } from '../kms/products/index.js';

/**
 * Product groups ADBA cannot serve (docs/adba.md §1, §8: Windows before 8.1, Server before 2012,
 * Office before 2013): an object may still list their KMS counted IDs (a Server 2019 CSVLK's
 * does, for Windows 7), but their clients never read it.
 */
const KMS_ONLY_GROUPS: ReadonlySet<string> = new Set([
  'windows-vista',
  'windows-7',
  'windows-8',
  'windows-server-2008-a',
  'windows-server-2008-b',
  'windows-server-2008-c',
  'windows-server-2008-r2-a',
  'windows-server-2008-r2-b',
  'windows-server-2008-r2-c',
  'office-2010',
]);

/** Who still needs a KMS host for the group in this forest. */
export type KmsDependence =
  /** No usable object enables the group: every client needs KMS. */
  | 'all_clients'
  /** ADBA cannot serve the group's releases: every client needs KMS. */
  | 'all_clients_release'
  /** An object serves domain members; workgroup and off-domain machines still need KMS. */
  | 'workgroup_only';

export interface AdbaProductCoverage {
  product: string;
  productName: string;
  /** ADBA serves the group's domain members. */
  covered: boolean;
  /** Display names (else CNs) of the genuine-looking objects that enable the group. */
  objects: string[];
  /** Objects that enable it but look forged: not counted as coverage. */
  forgedObjects: string[];
  kmsDependence: KmsDependence;
  /** One line for the page and check. */
  note: string;
}

const label = (o: AdbaObject): string => o.displayName ?? o.cn ?? o.dn;

/**
 * Coverage of `products` (the monitor's planned groups, then any other group an object
 * enables) by `objects`, the forest's latest successful read.
 */
export function adbaCoverage(
  objects: readonly AdbaObject[],
  products: readonly string[],
): AdbaProductCoverage[] {
  const enabling = new Map<string, { genuine: string[]; forged: string[] }>();
  for (const object of objects) {
    const forged = forgerySigns(object).length > 0;
    for (const id of object.kmsIds) {
      if (id.product === null) continue;
      const entry = enabling.get(id.product) ?? { genuine: [], forged: [] };
      (forged ? entry.forged : entry.genuine).push(label(object));
      enabling.set(id.product, entry);
    }
  }
  const slugs = [...new Set([...products, ...[...enabling.keys()].sort()])];
  return slugs.map((product) => {
    const productName = findProduct(product)?.name ?? product;
    const found = enabling.get(product) ?? { genuine: [], forged: [] };
    const kmsOnly = KMS_ONLY_GROUPS.has(product);
    const covered = !kmsOnly && found.genuine.length > 0;
    const kmsDependence: KmsDependence = kmsOnly
      ? 'all_clients_release'
      : covered
        ? 'workgroup_only'
        : 'all_clients';
    const forgedNote =
      found.forged.length > 0 ? `; ${found.forged.join(', ')} looks forged and is not counted` : '';
    const note =
      kmsDependence === 'workgroup_only'
        ? `ADBA covers domain members (${found.genuine.join(', ')}); workgroup and off-domain machines still need KMS${forgedNote}`
        : kmsDependence === 'all_clients_release'
          ? `ADBA cannot activate ${productName} (before Windows 8.1 / Server 2012 / Office 2013): every client needs KMS${forgedNote}`
          : `no activation object enables it: every client needs KMS${forgedNote}`;
    return {
      product,
      productName,
      covered,
      objects: found.genuine,
      forgedObjects: found.forged,
      kmsDependence,
      note,
    };
  });
}
