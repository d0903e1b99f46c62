/**
 * Questions about one CSVLK, answered from the tables alone (docs/coverage.md §4): which key
 * an ePID's group and key ID name, whether a key covers a product group, whether it can be
 * installed on a build. The coverage matrix and the trust checks both ask these.
 */
import { hostOs, hostOsOf, type HostOs, type HostOsKind } from '../host-os.js';
import type { CounterName, Product } from '../products/index.js';
import { CSVLKS } from './csvlk-table.js';
import type { CoverageSourceId } from './sources.js';
import type { Csvlk, HostingRule } from './types.js';

/** The key an ePID's group and key ID identify, or null when no row matches. */
export function decodeCsvlk(groupId: number, keyId: number): Csvlk | null {
  let wholeGroup: Csvlk | null = null;
  for (const c of CSVLKS) {
    if (c.groupId !== groupId) continue;
    if (c.keyBlocks === 'whole-group') wholeGroup = c;
    else if (c.keyBlocks.some(([low, high]) => keyId >= low && keyId <= high)) return c;
  }
  return wholeGroup;
}

/** Whether any key of the table uses this group (a key ID outside its blocks is then odd). */
export function isKnownCsvlkGroup(groupId: number): boolean {
  return CSVLKS.some((c) => c.groupId === groupId);
}

/** A key by id ('windows-server-2019'). */
export function findCsvlk(id: string): Csvlk | undefined {
  return CSVLKS.find((c) => c.id === id);
}

export type CoverageStatus = 'covered' | 'not-covered' | 'unknown';

export interface CoverageFact {
  status: CoverageStatus;
  sources: readonly CoverageSourceId[];
}

/** The product fields the model reads. */
export type ProductRef = Pick<Product, 'slug' | 'name' | 'counter' | 'kmsActivatable'>;

/**
 * Whether the key activates the product group. A key never serves another application's
 * products (each application has its own key and ePID), and a customer key never serves a
 * retail group (docs/coverage.md §4).
 */
export function csvlkCovers(csvlk: Csvlk, product: ProductRef): CoverageFact {
  if (product.counter !== null && product.counter !== csvlk.application) {
    return { status: 'not-covered', sources: ['INFERRED'] };
  }
  const rule = csvlk.coverage;
  if (rule.covers.includes(product.slug)) return { status: 'covered', sources: rule.sources };
  if (!product.kmsActivatable && csvlk.kind === 'customer') {
    return { status: 'not-covered', sources: ['INFERRED'] };
  }
  if (product.counter === null) return { status: 'unknown', sources: [] };
  if (rule.notCovered?.includes(product.slug)) {
    return { status: 'not-covered', sources: rule.sources };
  }
  if (rule.unknown?.includes(product.slug)) return { status: 'unknown', sources: rule.sources };
  return {
    status: rule.otherwise,
    sources: rule.otherwise === 'unknown' ? [] : rule.sources,
  };
}

/** Whether a key is the one its application's answers carry (an Office answer, an Office key). */
export function csvlkServesApplication(csvlk: Csvlk, application: CounterName): boolean {
  return csvlk.application === application;
}

export type HostingStatus = 'yes' | 'no' | 'unknown';

export interface HostingFact {
  status: HostingStatus;
  /** The release the answer is about; null when the build names none. */
  os: HostOs | null;
  sources: readonly CoverageSourceId[];
}

function ruleFor(rule: HostingRule, os: HostOs, build: number): HostingStatus {
  for (const spec of rule.allowed) {
    if (typeof spec === 'string' ? spec === os.id : spec.os === os.id) {
      return typeof spec === 'string' || build >= spec.minBuild ? 'yes' : 'no';
    }
  }
  if (rule.denied?.includes(os.id)) return 'no';
  if (rule.unknown?.includes(os.id)) return 'unknown';
  return rule.otherwise;
}

/** Whether the key can be installed on one release at this build. */
export function csvlkHostableOnOs(csvlk: Csvlk, os: HostOs, build: number): HostingFact {
  const status = ruleFor(csvlk.hosting, os, build);
  return { status, os, sources: status === 'unknown' ? [] : csvlk.hosting.sources };
}

const RANK: Readonly<Record<HostingStatus, number>> = { yes: 2, unknown: 1, no: 0 };

/**
 * Whether the key can be installed on a host of this build. Without `kind`, both readings
 * of a shared build count and the more permissive answer wins: a trust check must not call
 * a key impossible on a build where one reading allows it.
 */
export function csvlkHostableOn(csvlk: Csvlk, build: number, kind?: HostOsKind): HostingFact {
  const info = hostOsOf(build);
  const readings = [info?.server, info?.client].filter(
    (os): os is HostOs =>
      os !== null && os !== undefined && (kind === undefined || os.kind === kind),
  );
  // A build no modelled release has (a future server, a preview) proves nothing.
  let best: HostingFact = { status: 'unknown', os: null, sources: [] };
  for (const os of readings) {
    const fact = csvlkHostableOnOs(csvlk, os, build);
    if (best.os === null || RANK[fact.status] > RANK[best.status]) best = fact;
  }
  return best;
}

/** The releases a key can be installed on, in the table's order. */
export function hostableReleases(csvlk: Csvlk): readonly HostOs[] {
  return csvlk.hosting.allowed.map((spec) => hostOs(typeof spec === 'string' ? spec : spec.os));
}
