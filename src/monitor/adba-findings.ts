/**
 * The findings of the ADBA forests (catalogue: ./findings.ts): a forest that cannot be read,
 * and per object of its latest successful read: forged-looking, malformed, an unknown KMS
 * counted ID; plus the objects that appeared, changed or disappeared since the read before
 * (raised until the next successful read).
 */
import { finding, type Finding } from './findings.js';
import type { AdbaForestView } from './adba-view.js';

export function adbaFindings(forests: readonly AdbaForestView[]): Finding[] {
  const out: Finding[] = [];
  for (const f of forests) {
    const forest = f.forest;
    if (f.error !== null) {
      out.push(
        finding('adba_unreadable', {
          forest,
          message: `the activation objects of forest ${forest} cannot be read: ${f.error.reason} (${f.error.message})`,
        }),
      );
    }
    for (const o of f.objects) {
      const name = o.displayName ?? o.cn ?? o.dn;
      const at = { forest, object: o.dn };
      if (o.forged.length > 0) {
        out.push(
          finding('adba_object_forged', {
            ...at,
            message: `activation object ${JSON.stringify(name)} in forest ${forest} looks forged: ${o.forged.map((e) => e.detail).join('; ')}`,
          }),
        );
      }
      if (o.problems.length > 0) {
        out.push(
          finding('adba_object_malformed', {
            ...at,
            message: `activation object ${JSON.stringify(name)} in forest ${forest}: ${o.problems.join('; ')}`,
          }),
        );
      }
      if (o.unmappedKmsIds.length > 0) {
        out.push(
          finding('adba_kms_id_unknown', {
            ...at,
            message: `activation object ${JSON.stringify(name)} in forest ${forest} enables KMS counted IDs kms-monitor does not know: ${o.unmappedKmsIds.join(', ')}`,
          }),
        );
      }
    }
    for (const o of f.changes.appeared) {
      out.push(
        finding('adba_object_appeared', {
          forest,
          object: o.dn,
          message: `activation object ${JSON.stringify(o.name ?? o.dn)} appeared in forest ${forest}`,
        }),
      );
    }
    for (const o of f.changes.changed) {
      out.push(
        finding('adba_object_changed', {
          forest,
          object: o.dn,
          message: `activation object ${JSON.stringify(o.name ?? o.dn)} in forest ${forest} changed: ${o.attributes.join(', ')}`,
        }),
      );
    }
    for (const o of f.changes.disappeared) {
      out.push(
        finding('adba_object_disappeared', {
          forest,
          object: o.dn,
          message: `activation object ${JSON.stringify(o.name ?? o.dn)} disappeared from forest ${forest}: the domain members it activated fall back to KMS`,
        }),
      );
    }
  }
  return out;
}
