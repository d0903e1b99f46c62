/**
 * The coverage model (src/kms/coverage/, docs/coverage.md) applied to one host of the
 * state: its latest answers and refusals become the model's probes, and every configured
 * product gets a verdict (activates, refused with the reason and fix, or predicted).
 * A custom product is reasoned about as the built-in group its `group:` names; without
 * one the verdict is `unknown`.
 */
import { tryParseEpid } from '../kms/epid.js';
import { formatHresult, HRESULT } from '../kms/hresult.js';
import { findProduct, type Product } from '../kms/products/index.js';
import {
  coverageVerdict,
  hostProfile,
  type CoverageVerdict,
  type Fix,
  type HostProbes,
  type HostProfile,
  type ProbeOutcome,
} from '../kms/coverage/index.js';
import type { KmsProductResult } from '../kms/client/index.js';
import { hostKey } from '../util/host-port.js';
import type { StatusView } from './status-view.js';

type ViewHost = StatusView['hosts'][number];
export type ViewProduct = StatusView['products'][number];

/** The `verdict` label of kms_host_coverage and the JSON outputs. */
export type CoverageLabel =
  | 'activates'
  | 'refused'
  | 'predicted-activates'
  | 'predicted-activates-with-update'
  | 'predicted-refused'
  | 'unknown';

export interface CoverageCell {
  /** The configured product's slug. */
  product: string;
  /** The built-in group the model reasoned with; null for a custom product without one. */
  group: string | null;
  verdict: CoverageLabel;
  /** The refusal reason or predicted outcome of the model (docs/coverage.md §6); null otherwise. */
  reason: string | null;
  text: string;
  /** The shortest fix, when the product does not activate. */
  fix: string | null;
  /** How big the fix is (fixSize); null without a fix. */
  fixSize: number | null;
}

export interface HostCoverage {
  /** `host:port`. */
  host: string;
  /** The host name and port apart, as metric labels hold them. */
  name: string;
  port: number;
  /** The host OS and keys the answers revealed, in words; null before any answer. */
  hostOs: string | null;
  keys: string[];
  cells: CoverageCell[];
}

const KEY_NOT_COVERED = formatHresult(HRESULT.KEY_NOT_COVERED);

/** The built-in group the model reasons with for a configured product, or null. */
export function groupOf(product: ViewProduct): Product | null {
  const slug = product.group ?? product.product;
  const found = findProduct(slug);
  // A custom product never has a built-in slug (the table refuses it), so a hit by its own
  // slug is the built-in product itself.
  return found ?? null;
}

/** One exchange as the model reads it; undefined when it proves nothing about coverage. */
export function probeOutcome(result: KmsProductResult): ProbeOutcome | undefined {
  if (result.success) return { status: 'answered', epid: tryParseEpid(result.epid) };
  if (result.error?.code === KEY_NOT_COVERED) return { status: 'refused' };
  return undefined;
}

/**
 * The model's probes from a host's results, keyed by group. `groupFor` maps a result's
 * product slug to its group's slug (null: the model cannot use it).
 */
export function probesOf(
  results: readonly KmsProductResult[],
  groupFor: (slug: string) => string | null,
): HostProbes {
  const probes = new Map<string, ProbeOutcome>();
  for (const r of results) {
    const group = groupFor(r.product);
    const outcome = probeOutcome(r);
    if (group !== null && outcome !== undefined && !probes.has(group)) probes.set(group, outcome);
  }
  return probes;
}

/**
 * The size of a fix, to pick the shortest among hosts: an update alone (1) before a key to
 * install (2, 3 with an update first) before a newer host OS (4); a fix the model cannot
 * name (5).
 */
export function fixSize(fix: Fix | null): number {
  if (fix === null) return 5;
  if (fix.installCsvlk === null && fix.update !== null) return 1;
  if (fix.installCsvlk !== null) return fix.update === null ? 2 : 3;
  return fix.needsHostOs !== null ? 4 : 5;
}

/** The label and reason of a model verdict. */
export function verdictLabel(v: CoverageVerdict): {
  verdict: CoverageLabel;
  reason: string | null;
} {
  if (v.kind === 'activates') return { verdict: 'activates', reason: null };
  if (v.kind === 'refused') return { verdict: 'refused', reason: v.reason };
  if (v.outcome === 'unknown') return { verdict: 'unknown', reason: 'unknown' };
  return { verdict: `predicted-${v.outcome}`, reason: v.outcome };
}

/** A model verdict as a cell of the matrix. */
export function cellOf(product: string, group: string, v: CoverageVerdict): CoverageCell {
  const fix = v.kind === 'activates' ? null : v.fix;
  return {
    product,
    group,
    ...verdictLabel(v),
    text: v.text,
    fix: fix?.text ?? null,
    fixSize: fix === null ? null : fixSize(fix),
  };
}

/** 'Windows Server 2022 (20348)', from the profile; null before any ePID. */
export function describeProfile(profile: HostProfile): string | null {
  if (profile.build === null) return null;
  const name = profile.running?.name ?? profile.os?.server?.name ?? profile.os?.client?.name;
  return `${name ?? 'unknown release'} (${profile.build})`;
}

const NO_GROUP =
  'a custom product without `group:`: the coverage model cannot reason about it (docs/coverage.md §7)';

/** Every configured product's verdict on one host of the state. */
export function hostCoverage(host: ViewHost, products: readonly ViewProduct[]): HostCoverage {
  const groups = new Map(products.map((p) => [p.product, groupOf(p)]));
  const probes = probesOf(host.products, (slug) => groups.get(slug)?.slug ?? null);
  const profile = hostProfile(probes);
  const cells = products.map((p): CoverageCell => {
    const group = groups.get(p.product) ?? null;
    if (group === null) {
      const base = { product: p.product, group: null, fix: null, fixSize: null };
      return { ...base, verdict: 'unknown', reason: 'no-group', text: NO_GROUP };
    }
    return cellOf(p.product, group.slug, coverageVerdict(profile, probes, group));
  });
  return {
    host: hostKey(host),
    name: host.host,
    port: host.port,
    hostOs: describeProfile(profile),
    keys: profile.csvlks.map((k) => k.name),
    cells,
  };
}
