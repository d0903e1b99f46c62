/**
 * Migrations (docs/coverage.md §8): a domain's `replaces: {new: old}`. Once the new host is
 * published and activates a product, the cut-over has happened, and Microsoft's steps say
 * what comes next: remove the old host from DNS, then shut it down. An old host still
 * published is `replaced_host_published`; one no longer published that still answers
 * (when the monitor probes it, as a static host) is `replaced_host_answering`.
 */
import { finding, type Finding } from './findings.js';
import type { HostCoverage } from './host-coverage.js';
import { canonicalName } from '../dns/index.js';
import { hostKey } from '../util/host-port.js';
import type { StatusView } from './status-view.js';

type ViewHost = StatusView['hosts'][number];
type ViewDomain = StatusView['domains'][number];

const COVERED = new Set(['activates', 'predicted-activates', 'predicted-activates-with-update']);

/** Products the old host activates that the new one does not: what cutting over loses. */
function lostBy(old: HostCoverage | undefined, next: HostCoverage | undefined): string[] {
  if (old === undefined || next === undefined) return [];
  return old.cells
    .filter((c) => c.verdict === 'activates')
    .filter((c) => !COVERED.has(next.cells.find((n) => n.product === c.product)?.verdict ?? ''))
    .map((c) => c.product);
}

export function migrationFindings(
  d: ViewDomain,
  hosts: readonly ViewHost[],
  coverage: ReadonlyMap<string, HostCoverage>,
  working: (host: ViewHost) => boolean,
): Finding[] {
  const out: Finding[] = [];
  const published = new Set(d.resolvers.flatMap((r) => r.records.map((rec) => hostKey(rec))));
  const named = (name: string) => hosts.filter((h) => h.host === canonicalName(name));
  for (const { new: next, old } of d.replaces ?? []) {
    const newHosts = named(next).filter((h) => published.has(hostKey(h)));
    // Before the new host works, the old one being there is the plan, not a problem.
    const cutOver = newHosts.find(working);
    if (cutOver === undefined) continue;
    for (const h of named(old)) {
      const key = hostKey(h);
      const answering = h.products.some((r) => r.success);
      const lost = lostBy(coverage.get(key), coverage.get(hostKey(cutOver)));
      const loses =
        lost.length > 0
          ? `; careful: ${hostKey(cutOver)} does not activate ${lost.join(', ')}, which ${key} does`
          : '';
      if (published.has(key)) {
        out.push(
          finding('replaced_host_published', {
            domain: d.domain,
            host: key,
            message: `${key} is replaced by ${hostKey(cutOver)} (replaces:) but still published in ${d.domain}${answering ? ' and answering' : ''}: remove it from DNS, then shut it down${loses}`,
          }),
        );
      } else if (answering) {
        out.push(
          finding('replaced_host_answering', {
            domain: d.domain,
            host: key,
            message: `${key} is replaced by ${hostKey(cutOver)} and no longer published in ${d.domain}, but still answers KMS requests: shut it down or uninstall its host key${loses}`,
          }),
        );
      }
    }
  }
  return out;
}
