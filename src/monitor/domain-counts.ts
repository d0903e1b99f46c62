/**
 * A domain's counts (docs/coverage.md §9): each published machine's count for a product
 * and their sum against N. A host only activates clients once its own count reaches N, and
 * with several hosts "the count is distributed over all of them" (Microsoft): the sum can
 * reach N while every host stays below it: enough clients, none activated. That split is
 * `count_split`.
 */
import { finding, type Finding } from './findings.js';
import { hostKey } from '../util/host-port.js';
import type { StatusView } from './status-view.js';

type ViewHost = StatusView['hosts'][number];

export interface DomainCount {
  domain: string;
  product: string;
  threshold: number;
  /** The sum of the machines' counts (a client asking two hosts is in both). */
  total: number;
  /** One per machine that answered, its first name: names of one machine count once. */
  hosts: Array<{ host: string; count: number }>;
}

export function domainCounts(
  domain: string,
  machines: readonly (readonly ViewHost[])[],
  products: StatusView['products'],
): { counts: DomainCount[]; findings: Finding[] } {
  const counts: DomainCount[] = [];
  const findings: Finding[] = [];
  for (const { product, threshold, planned } of products) {
    const hosts: DomainCount['hosts'] = [];
    for (const machine of machines) {
      const best = highestCount(machine, product);
      if (best !== null) hosts.push({ host: hostKey(best.host), count: best.count });
    }
    if (hosts.length === 0) continue;
    const total = hosts.reduce((sum, h) => sum + h.count, 0);
    counts.push({ domain, product, threshold, total, hosts });
    const below = hosts.filter((h) => h.count < threshold);
    // Only when no machine reaches N: with one that does, count_below_threshold says it.
    if (!planned && hosts.length > 1 && below.length === hosts.length && total >= threshold) {
      const each = hosts.map((h) => `${h.host} ${h.count}`).join(', ');
      findings.push(
        finding('count_split', {
          domain,
          product,
          message: `the ${product} count in ${domain} is distributed over ${hosts.length} hosts: together ${total} against N = ${threshold} (${each}), but every host is below N, so none activates ${product} clients: fewer hosts would activate them all`,
        }),
      );
    }
  }
  return { counts, findings };
}

/**
 * The name of a machine with the highest count it answered for `product` (the first such
 * name on a tie), or null when none answered. A loop, not a filtered and sorted list: it
 * runs for every machine and product of the estate at every evaluation.
 */
function highestCount(
  machine: readonly ViewHost[],
  product: string,
): { host: ViewHost; count: number } | null {
  let best: { host: ViewHost; count: number } | null = null;
  for (const h of machine) {
    if (!h.tcp?.up) continue;
    const r = h.products.find((p) => p.product === product);
    if (!r?.success || r.activeClients === null) continue;
    if (best === null || r.activeClients > best.count) best = { host: h, count: r.activeClients };
  }
  return best;
}
