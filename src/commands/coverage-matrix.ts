/**
 * The matrix `kms-monitor coverage` prints (docs/coverage.md): for every host, every known
 * product group — activates or refused (probed this run, with the reason and fix the
 * coverage model works out) or predicted from the keys the answers revealed — and the
 * comparison of two hosts for a migration. Pure functions over the status view.
 */
import { coverageMatrix } from '../kms/coverage/index.js';
import { listProducts, type Product } from '../kms/products/index.js';
import {
  cellOf,
  describeProfile,
  groupOf,
  probesOf,
  type CoverageCell,
} from '../monitor/host-coverage.js';
import type { StatusView } from '../monitor/status-view.js';
import { hostKey } from '../util/host-port.js';

type ViewHost = StatusView['hosts'][number];

/**
 * Every volume product group of the table: retail groups are left out, since a genuine host
 * refuses them by design (they are the trust checks' negative control).
 */
export function matrixGroups(): Product[] {
  return listProducts().filter((p) => p.kmsActivatable);
}

export interface HostMatrix {
  host: string;
  /** The TCP state of the host this run. */
  reachable: boolean;
  hostOs: string | null;
  keys: string[];
  /** One per product group; `product` is the group's slug. */
  cells: CoverageCell[];
}

export function hostMatrix(
  host: ViewHost,
  products: StatusView['products'],
  groups: readonly Product[] = matrixGroups(),
): HostMatrix {
  const bySlug = new Map(products.map((p) => [p.product, groupOf(p)?.slug ?? null]));
  const probes = probesOf(host.products, (slug) => bySlug.get(slug) ?? null);
  const matrix = coverageMatrix(probes, groups);
  return {
    host: hostKey(host),
    reachable: host.tcp?.up === true,
    hostOs: describeProfile(matrix.profile),
    keys: matrix.profile.csvlks.map((k) => k.name),
    cells: matrix.verdicts.map((v) => cellOf(v.product, v.product, v)),
  };
}

/** Activates, or predicted to (with an update at most): what a host covers. */
export function covers(cell: CoverageCell): boolean {
  return ['activates', 'predicted-activates', 'predicted-activates-with-update'].includes(
    cell.verdict,
  );
}

export interface Comparison {
  old: string;
  new: string;
  /** Groups the new host covers and the old one does not. */
  gained: string[];
  /** Groups the old host covers and the new one does not: what the cut-over would lose. */
  lost: string[];
  /** Groups neither side can say (unknown on at least one side). */
  unknown: string[];
}

export function compareHosts(old: HostMatrix, next: HostMatrix): Comparison {
  const gained: string[] = [];
  const lost: string[] = [];
  const unknown: string[] = [];
  for (const cell of old.cells) {
    const other = next.cells.find((c) => c.product === cell.product);
    if (other === undefined) continue;
    if (cell.verdict === 'unknown' || other.verdict === 'unknown') unknown.push(cell.product);
    else if (covers(other) && !covers(cell)) gained.push(cell.product);
    else if (covers(cell) && !covers(other)) lost.push(cell.product);
  }
  return { old: old.host, new: next.host, gained, lost, unknown };
}
