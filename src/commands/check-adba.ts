/**
 * The ADBA lines of `check`'s inventory (docs/adba.md): per forest, whether it was read,
 * its objects (how many look forged), and the product groups whose clients still need KMS
 * although ADBA is there. The findings themselves are in the problem lines, as for KMS.
 */
import type { StatusView } from '../monitor/status-view.js';

export function adbaInventory(view: StatusView): string[] {
  return (view.adba ?? []).map((f) => {
    const read =
      f.error !== null
        ? `unreadable (${f.error.reason})`
        : f.status === 'pending'
          ? 'not read'
          : 'read';
    const forged = f.objects.filter((o) => o.forged.length > 0).length;
    const objects =
      f.lastSuccessAt === null
        ? ''
        : `, ${f.objects.length} object(s)${forged > 0 ? `, ${forged} forged-looking` : ''}`;
    const covered = f.coverage.filter((c) => c.covered).map((c) => c.product);
    const kmsOnly = f.coverage.filter((c) => !c.covered).map((c) => c.product);
    const coverage =
      f.coverage.length === 0
        ? ''
        : `; ADBA covers ${covered.join(', ') || 'nothing'} (domain members only: workgroup machines still need KMS)` +
          (kmsOnly.length > 0 ? `; KMS only: ${kmsOnly.join(', ')}` : '');
    return `adba forest ${f.forest} ${read}${objects}${coverage}`;
  });
}
