/**
 * The one evaluation of the state: the findings (src/monitor/findings.ts) and, for every
 * configured domain and product, how many KMS machines its clients can activate from now.
 * `check`, the status page, /api/v1/status, the logs and the domain metrics all render this
 * and nothing else, so they cannot disagree.
 *
 * A working host is reachable now (an address accepted TCP this round), answered the
 * product in its latest exchange, and counts at least the product's N. A domain where no
 * host works for a product is CRITICAL whatever the reason. Redundancy counts machines:
 * names with the same address and port, or the same ePID and hardware ID, are one.
 */
import { formatHresult, HRESULT } from '../kms/hresult.js';
import { FINDINGS, finding, type Finding, type FindingCode, type Severity } from './findings.js';
import { groupMachines } from './machines.js';
import { isRefusal } from './history/index.js';
import { authorizationFindings } from './authorization.js';
import { hostCoverage, type HostCoverage } from './host-coverage.js';
import { domainReadiness, type DomainReadiness } from './readiness.js';
import { migrationFindings } from './migration.js';
import { domainCounts, type DomainCount } from './domain-counts.js';
import { hostKey } from '../util/host-port.js';
import type { StatusView } from './status-view.js';
import { adbaFindings } from './adba-findings.js';

export type { Severity } from './findings.js';
/** A finding, as check and the page call it. */
export type Problem = Finding;

export const EXIT_CODES: Record<Severity, number> = { ok: 0, warning: 1, critical: 2, unknown: 3 };

/** What the clients of one domain get for one product. */
export interface DomainProductVerdict {
  domain: string;
  product: string;
  /** KMS machines published in the domain that can activate the product now. */
  workingHosts: number;
  status: Severity;
}

export interface Evaluation {
  status: Severity;
  problems: Finding[];
  /** One per configured domain and product, whatever the domain's DNS did. */
  verdicts: DomainProductVerdict[];
  /** Worst severity per domain: its own findings and those of the hosts it publishes. */
  domainStatus: Map<string, Severity>;
  /** Per domain and planned product: would it activate now (docs/coverage.md §7). */
  readiness: DomainReadiness[];
  /** Per host: the coverage model's verdict for every configured product. */
  coverage: HostCoverage[];
  /** Per domain and product: each machine's count and their sum against N. */
  counts: DomainCount[];
}

type ViewHost = StatusView['hosts'][number];
type ViewResult = ViewHost['products'][number];

const RANK: Record<Severity, number> = { ok: 0, warning: 1, unknown: 2, critical: 3 };

export function worst(a: Severity, b: Severity): Severity {
  return RANK[b] > RANK[a] ? b : a;
}

function reachable(host: ViewHost): boolean {
  return host.tcp?.up === true;
}

function resultOf(host: ViewHost, product: string): ViewResult | undefined {
  return host.products.find((p) => p.product === product);
}

function answered(r: ViewResult | undefined): r is ViewResult & { activeClients: number } {
  return r?.success === true && r.activeClients !== null;
}

export function isWorking(host: ViewHost, product: string): boolean {
  const r = resultOf(host, product);
  return reachable(host) && answered(r) && r.activeClients >= r.threshold;
}

/** Why one host cannot activate a product, in a few words, for a domain's headline. */
function whyNot(host: ViewHost, product: string): string {
  const key = hostKey(host);
  if (!host.tcp) return `${key} is not probed yet`;
  if (!host.tcp.up) {
    return host.tcp.error?.reason === 'no_address'
      ? `${key} has no address`
      : `${key} is down (${host.tcp.error?.reason ?? 'unreachable'})`;
  }
  const r = resultOf(host, product);
  if (!r) return `${key} has not answered it yet`;
  if (answered(r)) return `${key} counts ${r.activeClients} of ${r.threshold} (0xC004F038)`;
  if (r.error?.code) return `${key} refuses it (${r.error.code})`;
  return `${key} fails (${r.error?.reason ?? 'failed'})`;
}

function hostFindings(host: ViewHost, out: Finding[], planned: ReadonlySet<string>): void {
  const key = hostKey(host);
  const where = host.domains.length ? ` (published in ${host.domains.join(', ')})` : '';
  if (host.tcp && !host.tcp.up) {
    if (host.tcp.error?.reason === 'no_address' && host.domains.length > 0) {
      out.push(
        finding('srv_target_unresolvable', {
          host: key,
          message: `${key} has no address at the resolvers of ${host.domains.join(', ')}: a stale SRV record (${host.tcp.error.message})`,
        }),
      );
    } else {
      out.push(
        finding('host_down', {
          host: key,
          message: `${key} is down: ${host.tcp.error?.reason ?? 'unreachable'}${where}${host.domains.length ? ': stale SRV record?' : ''}`,
        }),
      );
    }
  }
  if (host.tcp?.up) {
    const dead = host.reachability.filter((a) => !a.up);
    if (dead.length > 0) {
      out.push(
        finding('address_unreachable', {
          host: key,
          message: `${key}: ${dead.map((a) => `${a.address ?? '?'} (${a.error?.reason ?? 'down'})`).join(', ')} ${dead.length === 1 ? 'does' : 'do'} not accept connections; ${host.tcp.address ?? 'another address'} does`,
        }),
      );
    }
  }
  trustFindings(host, key, out);
  for (const r of host.products) {
    // A planned product's refusal or low count is its domain's readiness, not a problem today.
    if (planned.has(r.product)) continue;
    if (answered(r)) {
      if (r.activeClients < r.threshold && reachable(host)) {
        out.push(
          finding('count_below_threshold', {
            host: key,
            product: r.product,
            message: `${key} counts ${r.activeClients} clients for ${r.product}, below the threshold ${r.threshold}: its clients get 0xC004F038`,
          }),
        );
      }
    } else if (!r.success && host.tcp?.up !== false) {
      const refused = isRefusal(r.error);
      const code: FindingCode = refused ? 'product_refused' : 'host_exchange_failing';
      out.push(
        finding(code, {
          host: key,
          product: r.product,
          ...(refused ? { clientsSee: r.error?.code ?? null } : {}),
          message:
            `${key} ${refused ? 'refuses' : 'failed'} ${r.product}: ${r.error?.reason ?? 'failed'}${r.error?.code ? ` ${r.error.code}` : ''} ${r.error?.message ?? ''}`.trim(),
        }),
      );
    }
  }
}

/** The negative controls: answering one proves the host is not a genuine KMS host. */
const CONTROLS: ReadonlySet<string> = new Set(['control_unknown_id', 'control_retail']);

function trustFindings(host: ViewHost, key: string, out: Finding[]): void {
  const checks = host.trust?.checks ?? [];
  const proof = checks.filter((c) => CONTROLS.has(c.check) && c.verdict === 'failed');
  if (proof.length > 0) {
    out.push(
      finding('host_not_genuine', {
        host: key,
        message: `${key} is not a genuine KMS host: ${proof.map((c) => `${c.check}: ${c.evidence}`).join('; ')}`,
      }),
    );
  }
  const signs = checks.filter(
    (c) => !proof.includes(c) && (c.verdict === 'failed' || c.verdict === 'suspicious'),
  );
  if (signs.length > 0) {
    out.push(
      finding('host_suspicious', {
        host: key,
        message: `${key} fails ${signs.length === 1 ? 'an authenticity check' : `${signs.length} authenticity checks`}: ${signs.map((c) => `${c.check} (${c.verdict}): ${c.evidence}`).join('; ')}`,
      }),
    );
  }
}

/** The finding when no host of a group works for a product: which one, and what clients see. */
function noWorkingHost(
  where: string,
  product: string,
  hosts: readonly ViewHost[],
  extra: { domain?: string },
): Finding {
  const reasons = hosts.map((h) => whyNot(h, product));
  const live = hosts.filter(reachable);
  const results = live.map((h) => resultOf(h, product));
  const allBelow = live.length > 0 && results.every(answered);
  const the = hosts.length === 1 ? 'the only host' : `its ${hosts.length} hosts`;
  if (allBelow) {
    return finding('all_below_threshold', {
      ...extra,
      product,
      message: `no host ${where} can activate ${product}: ${the}: ${reasons.join('; ')}`,
    });
  }
  const allRefuse =
    live.length === hosts.length &&
    results.every((r) => r?.error?.code === formatHresult(HRESULT.KEY_NOT_COVERED));
  return finding('no_working_host', {
    ...extra,
    product,
    clientsSee: allRefuse
      ? formatHresult(HRESULT.KEY_NOT_COVERED)
      : FINDINGS.no_working_host.clientsSee,
    message: `no host ${where} can activate ${product}: ${the}: ${reasons.join('; ')}`,
  });
}

type ViewDomain = StatusView['domains'][number];

/** What evaluate finds about one host alone: its coverage and its own findings. */
export interface HostPart {
  coverage: HostCoverage;
  findings: Finding[];
}

/** What evaluate finds about one domain and the hosts it publishes. */
export interface DomainPart {
  findings: Finding[];
  readiness: DomainReadiness[];
  counts: DomainCount[];
  verdicts: DomainProductVerdict[];
}

/**
 * How evaluate gets each host's and domain's part: computed (the default), or kept from
 * an earlier evaluation while what it reads is the same (evaluate-memo.ts). `compute`
 * is the only way a part is made, so a kept part is one computed from equal inputs.
 */
export interface EvaluationParts {
  /** Called for every host, in view order, before any domain; `key`: its hostKey. */
  host(key: string, host: ViewHost, compute: () => HostPart): HostPart;
  /**
   * `keys` gives the host keys the domain's records name (publishedKeys); `compute`
   * makes the part from them.
   */
  domain(
    domain: ViewDomain,
    keys: () => readonly string[],
    compute: (keys: readonly string[]) => DomainPart,
  ): DomainPart;
  /** Called once every host and domain was asked for (what was not asked can be forgotten). */
  done?(): void;
}

const COMPUTE_ALL: EvaluationParts = {
  host: (_key, _host, compute) => compute(),
  domain: (_domain, keys, compute) => compute(keys()),
};

function domainPart(
  view: StatusView,
  domain: ViewDomain,
  keys: readonly string[],
  byKey: ReadonlyMap<string, ViewHost>,
  coverageOf: ReadonlyMap<string, HostCoverage>,
): DomainPart {
  const published = keys.flatMap((k) => byKey.get(k) ?? []);
  const today = view.products.filter((p) => !p.planned);
  const planned = view.products.filter((p) => p.planned);
  const own: Finding[] = [];
  const verdicts: DomainProductVerdict[] = [];
  const at = { domain: domain.domain };
  for (const r of domain.resolvers) {
    if (!r.success) {
      own.push(
        finding('srv_lookup_failing', {
          ...at,
          message: `SRV lookup of _vlmcs._tcp.${domain.domain} at ${r.resolver} failed: ${r.error?.reason ?? 'unknown'} (${r.error?.message ?? ''})`,
        }),
      );
    }
  }
  const machines = groupMachines(published);
  if (domain.resolvers.some((r) => r.success) && keys.length === 0) {
    own.push(
      finding('srv_missing', {
        ...at,
        message: `no _vlmcs._tcp record in ${domain.domain}: clients there cannot find a KMS host (0xC004F074)`,
      }),
    );
  }
  if (machines.length === 1) {
    const names = machines[0]!.map(hostKey);
    own.push(
      finding('single_host', {
        ...at,
        message:
          names.length === 1
            ? `${domain.domain} publishes a single KMS host (${names[0]}): no redundancy`
            : `${domain.domain} publishes ${names.length} names for one KMS machine (${names.join(', ')}): no redundancy`,
      }),
    );
  }
  if (domain.resolversDisagree) {
    own.push(
      finding('resolvers_disagree', {
        ...at,
        message: `the resolvers of ${domain.domain} return different _vlmcs._tcp record sets`,
      }),
    );
  }
  for (const host of domain.missingExpectedHosts) {
    own.push(
      finding('expected_host_missing', {
        ...at,
        host,
        message: `${host} is expected in ${domain.domain} but not published`,
      }),
    );
  }
  own.push(...authorizationFindings(domain, byKey));
  const ready = domainReadiness(domain.domain, machines, planned, coverageOf, isWorking);
  own.push(...ready.findings);
  const counted = domainCounts(domain.domain, machines, view.products);
  own.push(...counted.findings);
  const cutOver = (h: ViewHost) => today.some((p) => isWorking(h, p.product));
  own.push(...migrationFindings(domain, view.hosts, coverageOf, cutOver));
  for (const { product } of today) {
    const working = machines.filter((m) => m.some((h) => isWorking(h, product))).length;
    if (working === 0 && published.length > 0) {
      own.push(noWorkingHost(`in ${domain.domain}`, product, published, at));
    }
    verdicts.push({
      domain: domain.domain,
      product,
      workingHosts: working,
      // No host at all (no record, failing lookups) is as critical as no working one.
      status: working > 0 ? 'ok' : 'critical',
    });
  }
  return { findings: own, readiness: ready.readiness, counts: counted.counts, verdicts };
}

/** The host keys a domain's records name, in record order, each once. */
export function publishedKeys(domain: ViewDomain): string[] {
  return [...new Set(domain.resolvers.flatMap((r) => r.records.map((rec) => hostKey(rec))))];
}

/** `list` onto `out`: a loop, as most lists are empty or short and there are 10,000s of them. */
function append<T>(out: T[], list: readonly T[]): void {
  for (let i = 0; i < list.length; i++) out.push(list[i]!);
}

export function evaluate(view: StatusView, parts: EvaluationParts = COMPUTE_ALL): Evaluation {
  const problems: Finding[] = [];
  const verdicts: DomainProductVerdict[] = [];
  // ADBA findings stand beside the KMS ones and change no KMS verdict (docs/adba.md §5).
  problems.push(...adbaFindings(view.adba ?? []));
  if (view.domains.length === 0 && view.hosts.length === 0) {
    problems.push(finding('nothing_to_watch', { message: 'no domains and no hosts to check' }));
    parts.done?.();
    const none = { readiness: [], coverage: [], counts: [] };
    return { status: 'unknown', problems, verdicts, domainStatus: new Map(), ...none };
  }
  const byKey = new Map<string, ViewHost>();
  const today = view.products.filter((p) => !p.planned);
  const plannedSlugs = new Set(view.products.filter((p) => p.planned).map((p) => p.product));
  const hostParts = view.hosts.map((h) => {
    const key = hostKey(h);
    byKey.set(key, h);
    return parts.host(key, h, () => {
      const findings: Finding[] = [];
      hostFindings(h, findings, plannedSlugs);
      return { coverage: hostCoverage(h, view.products), findings };
    });
  });
  const coverage = hostParts.map((p) => p.coverage);
  // Only a domain part computed anew reads it: most evaluations keep every domain's.
  let coverageOf: Map<string, HostCoverage> | undefined;
  const coverageByHost = () => (coverageOf ??= new Map(coverage.map((c) => [c.host, c])));
  const readiness: DomainReadiness[] = [];
  const counts: DomainCount[] = [];

  for (const domain of view.domains) {
    const part = parts.domain(
      domain,
      () => publishedKeys(domain),
      (keys) => domainPart(view, domain, keys, byKey, coverageByHost()),
    );
    append(readiness, part.readiness);
    append(counts, part.counts);
    append(verdicts, part.verdicts);
    append(problems, part.findings);
  }

  // Static hosts outside every domain form a group of their own.
  const standalone = view.hosts.filter((h) => h.domains.length === 0);
  if (standalone.length > 0 && view.domains.length === 0) {
    for (const { product } of today) {
      if (!standalone.some((h) => isWorking(h, product))) {
        problems.push(noWorkingHost('configured', product, standalone, {}));
      }
    }
  }
  if (view.hostsCut > 0) {
    problems.push(
      finding('hosts_truncated', {
        message: `${view.hostsCut} KMS hosts over limits.hosts_total are not probed`,
      }),
    );
  }

  parts.done?.();
  for (const part of hostParts) append(problems, part.findings);
  const status = problems.reduce<Severity>((s, p) => worst(s, p.severity), 'ok');
  const domainStatus = statusByDomain(view, problems, verdicts, byKey);
  return { status, problems, verdicts, domainStatus, readiness, coverage, counts };
}

/**
 * Worst severity per configured domain: its own findings, those of the hosts it publishes,
 * and its product verdicts (a domain where a product has no working host is critical even
 * without a finding of its own). `check` calls it again over its own count findings.
 */
export function statusByDomain(
  view: StatusView,
  problems: readonly { severity: Severity; domain?: string; host?: string }[],
  verdicts: readonly DomainProductVerdict[],
  /** The view's hosts by hostKey, if the caller has them already. */
  hostsByKey?: ReadonlyMap<string, ViewHost>,
): Map<string, Severity> {
  const status = new Map<string, Severity>(view.domains.map((d) => [d.domain, 'ok']));
  const raise = (domain: string, severity: Severity) => {
    const now = status.get(domain);
    if (now !== undefined) status.set(domain, worst(now, severity));
  };
  const byKey = hostsByKey ?? new Map(view.hosts.map((h) => [hostKey(h), h]));
  for (const p of problems) {
    if (p.domain !== undefined) raise(p.domain, p.severity);
    else if (p.host !== undefined)
      for (const d of byKey.get(p.host)?.domains ?? []) raise(d, p.severity);
  }
  for (const v of verdicts) raise(v.domain, v.status);
  return status;
}
