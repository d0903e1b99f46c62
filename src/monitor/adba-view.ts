/**
 * The ADBA forests as plain data: the `adba` list of /api/v1/status, and what the page, check,
 * the findings and the metrics read. Each object carries its forgery signs, each forest its
 * combined coverage (./adba-coverage.ts). Nothing here can hold the bind password: the
 * state never has it (the collector fetches it for the bind and scrubs its messages).
 */
import { forgerySigns, type AdbaObject, type ForgeryEvidence } from '../adba/index.js';
import { adbaCoverage, type AdbaProductCoverage } from './adba-coverage.js';
import type { AdbaState } from './adba-state.js';

export interface AdbaObjectView extends AdbaObject {
  /** Signs that the object was not made by Windows from a real CSVLK; empty: genuine-looking. */
  forged: ForgeryEvidence[];
}

export interface AdbaObjectRef {
  dn: string;
  name: string | null;
}

export interface AdbaForestView {
  forest: string;
  url: string;
  /** pending: no read has ended yet; unreadable: the latest read failed. */
  status: 'pending' | 'ok' | 'unreadable';
  lastReadAt: string | null;
  lastSuccessAt: string | null;
  reads: number;
  /** The latest read's failure, else null. */
  error: { reason: string; phase: string; message: string } | null;
  durationSeconds: number | null;
  /** The container searched by the latest successful read. */
  container: string | null;
  truncated: boolean;
  /** The objects of the latest successful read (kept while the forest is unreadable). */
  objects: AdbaObjectView[];
  /** Between the two latest successful reads. */
  changes: {
    appeared: AdbaObjectRef[];
    changed: Array<AdbaObjectRef & { attributes: string[] }>;
    disappeared: AdbaObjectRef[];
  };
  /** Per product group; from the objects last seen (see status for whether they are current). */
  coverage: AdbaProductCoverage[];
}

const ref = (o: AdbaObject): AdbaObjectRef => ({ dn: o.dn, name: o.displayName ?? o.cn });

export function buildAdbaView(state: AdbaState, products: readonly string[]): AdbaForestView[] {
  return [...state.forests.values()].map((f) => {
    const last = f.last;
    const objects = f.objects ?? [];
    let container: string | null = null;
    let truncated = false;
    if (last?.ok) ({ container, truncated } = last);
    return {
      forest: f.forest,
      url: f.url,
      status: last === null ? 'pending' : last.ok ? 'ok' : 'unreadable',
      lastReadAt: f.lastReadAt,
      lastSuccessAt: f.lastSuccessAt,
      reads: f.reads,
      error:
        last !== null && !last.ok
          ? { reason: last.reason, phase: last.phase, message: last.message }
          : null,
      durationSeconds: last === null ? null : last.durationMs / 1000,
      container,
      truncated,
      objects: objects.map((o) => ({ ...o, forged: forgerySigns(o) })),
      changes: {
        appeared: f.changes.appeared.map(ref),
        changed: f.changes.changed.map((c) => ({ ...ref(c.after), attributes: c.attributes })),
        disappeared: f.changes.disappeared.map(ref),
      },
      coverage: f.objects === null ? [] : adbaCoverage(objects, products),
    };
  });
}
