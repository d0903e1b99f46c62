/**
 * Readiness (docs/coverage.md §7): for every domain and planned product, would the product
 * activate there now, and if not, the shortest fix the coverage model finds among the
 * hosts the domain publishes. A planned product never makes today's verdict red: it
 * raises `planned_not_ready` (a warning) until a published host activates it.
 */
import { finding, type Finding } from './findings.js';
import type { CoverageCell, HostCoverage, ViewProduct } from './host-coverage.js';
import { hostKey } from '../util/host-port.js';
import type { StatusView } from './status-view.js';

type ViewHost = StatusView['hosts'][number];

export interface DomainReadiness {
  domain: string;
  product: string;
  /** A published machine activates the product now. */
  ready: boolean;
  /** Machines that do (names of one machine count once). */
  workingHosts: number;
  /** Why not, per host; empty when ready. */
  reasons: string[];
  /** The shortest fix among the published hosts; null when ready or none is known. */
  fix: string | null;
  /** The host that fix is for. */
  fixHost: string | null;
}

/** Said wherever the model blames a missing update: it cannot see installed updates. */
export const UPDATE_INFERRED =
  'kms-monitor cannot see installed updates: the refusal and the update Microsoft requires for this host release point to it';

interface HostReason {
  host: string;
  text: string;
  cell: CoverageCell | null;
}

function reasonOf(host: ViewHost, product: string, coverage: HostCoverage | undefined): HostReason {
  const key = hostKey(host);
  const none = (text: string): HostReason => ({ host: key, text: `${key}: ${text}`, cell: null });
  if (!host.tcp) return none('not probed yet');
  if (!host.tcp.up) return none(`down (${host.tcp.error?.reason ?? 'unreachable'})`);
  const r = host.products.find((p) => p.product === product);
  if (!r) return none('not asked yet');
  if (r.success && r.activeClients !== null) {
    return none(
      `answers, but counts ${r.activeClients} of ${r.threshold}: more clients must ask it first`,
    );
  }
  const cell = coverage?.cells.find((c) => c.product === product) ?? null;
  if (cell !== null && cell.verdict === 'refused') {
    const inferred = cell.reason === 'needs-update' ? ` (${UPDATE_INFERRED})` : '';
    return { host: key, text: `${key}: ${cell.text}${inferred}`, cell };
  }
  return none(`fails (${r.error?.reason ?? 'failed'}${r.error?.code ? ` ${r.error.code}` : ''})`);
}

/**
 * The readiness of each planned product in one domain, and the findings for those that are
 * not ready. `working` is evaluate's own test of a host activating a product now.
 */
export function domainReadiness(
  domain: string,
  machines: readonly (readonly ViewHost[])[],
  planned: readonly ViewProduct[],
  coverage: ReadonlyMap<string, HostCoverage>,
  working: (host: ViewHost, product: string) => boolean,
): { readiness: DomainReadiness[]; findings: Finding[] } {
  const readiness: DomainReadiness[] = [];
  const findings: Finding[] = [];
  const hosts = machines.flat();
  for (const { product } of planned) {
    const workingHosts = machines.filter((m) => m.some((h) => working(h, product))).length;
    if (workingHosts > 0 || hosts.length === 0) {
      // No published host at all is today's problem (srv_missing), reported once there.
      const reasons = hosts.length === 0 ? ['no host is published'] : [];
      readiness.push({
        domain,
        product,
        ready: workingHosts > 0,
        workingHosts,
        reasons,
        fix: null,
        fixHost: null,
      });
      continue;
    }
    const reasons = hosts.map((h) => reasonOf(h, product, coverage.get(hostKey(h))));
    const fixable = reasons.filter((r) => r.cell?.fix != null);
    fixable.sort((a, b) => (a.cell?.fixSize ?? 5) - (b.cell?.fixSize ?? 5));
    const best = fixable[0];
    const entry: DomainReadiness = {
      domain,
      product,
      ready: false,
      workingHosts: 0,
      reasons: reasons.map((r) => r.text),
      fix: best?.cell?.fix ?? null,
      fixHost: best?.host ?? null,
    };
    readiness.push(entry);
    const shortest =
      best === undefined ? '' : `; shortest fix, on ${best.host}: ${best.cell?.fix ?? ''}`;
    findings.push(
      finding('planned_not_ready', {
        domain,
        product,
        message: `planned ${product} would not activate in ${domain} now: ${entry.reasons.join('; ')}${shortest}`,
      }),
    );
  }
  return { readiness, findings };
}
