/**
 * Judges a status view the way an on-call admin would, for `kms-monitor check` (Nagios /
 * Icinga plugin conventions) and the status page:
 * - CRITICAL: a domain where no host can activate a configured product (its clients get
 *   0xC004F074), or a failing SRV lookup;
 * - WARNING: a host down or failing while others still work, a count below the
 *   threshold, a domain published with a single host (no redundancy), resolvers that
 *   disagree, an expected host missing from DNS.
 */
import type { StatusView } from './status-view.js';

export type Severity = 'ok' | 'warning' | 'critical' | 'unknown';

export const EXIT_CODES: Record<Severity, number> = { ok: 0, warning: 1, critical: 2, unknown: 3 };

export interface Problem {
  severity: Exclude<Severity, 'ok'>;
  domain?: string;
  host?: string;
  product?: string;
  message: string;
}

export interface Evaluation {
  status: Severity;
  problems: Problem[];
  perfdata: string[];
}

const RANK: Record<Severity, number> = { ok: 0, warning: 1, unknown: 2, critical: 3 };

function worst(a: Severity, b: Severity): Severity {
  return RANK[b] > RANK[a] ? b : a;
}

function hostKey(h: { host: string; port: number }): string {
  return h.host.includes(':') ? `[${h.host}]:${h.port}` : `${h.host}:${h.port}`;
}

export function evaluate(view: StatusView): Evaluation {
  const problems: Problem[] = [];
  const perfdata: string[] = [];
  if (view.domains.length === 0 && view.hosts.length === 0) {
    return {
      status: 'unknown',
      problems: [{ severity: 'unknown', message: 'no domains and no hosts to check' }],
      perfdata,
    };
  }
  const byKey = new Map(view.hosts.map((h) => [hostKey(h), h]));
  const works = (key: string, product: string) =>
    byKey.get(key)?.products.find((p) => p.product === product)?.success === true;

  for (const domain of view.domains) {
    for (const r of domain.resolvers) {
      if (!r.success) {
        problems.push({
          severity: 'critical',
          domain: domain.domain,
          message: `SRV lookup of _vlmcs._tcp.${domain.domain} at ${r.resolver} failed: ${r.error?.reason ?? 'unknown'} (${r.error?.message ?? ''})`,
        });
      }
    }
    const hostKeys = new Set(
      domain.resolvers.flatMap((r) =>
        r.records.map((rec) => hostKey({ host: rec.host, port: rec.port })),
      ),
    );
    const answered = domain.resolvers.some((r) => r.success);
    if (answered && hostKeys.size === 0) {
      problems.push({
        severity: 'critical',
        domain: domain.domain,
        message: `no _vlmcs._tcp record in ${domain.domain}: clients there cannot find a KMS host (0xC004F074)`,
      });
    }
    if (hostKeys.size === 1) {
      problems.push({
        severity: 'warning',
        domain: domain.domain,
        message: `${domain.domain} publishes a single KMS host (${[...hostKeys][0]}): no redundancy`,
      });
    }
    if (domain.resolversDisagree) {
      problems.push({
        severity: 'warning',
        domain: domain.domain,
        message: `the resolvers of ${domain.domain} return different _vlmcs._tcp record sets`,
      });
    }
    for (const host of domain.missingExpectedHosts) {
      problems.push({
        severity: 'warning',
        domain: domain.domain,
        host,
        message: `${host} is expected in ${domain.domain} but not published`,
      });
    }
    if (hostKeys.size === 0) continue;
    for (const { product } of view.products) {
      if (![...hostKeys].some((key) => works(key, product))) {
        problems.push({
          severity: 'critical',
          domain: domain.domain,
          product,
          message: `no host in ${domain.domain} can activate ${product}: its clients get 0xC004F074`,
        });
      }
    }
  }

  // Static hosts outside every domain form a group of their own.
  const standalone = view.hosts.filter((h) => h.domains.length === 0);
  if (standalone.length > 0 && view.domains.length === 0) {
    for (const { product } of view.products) {
      if (!standalone.some((h) => works(hostKey(h), product))) {
        problems.push({
          severity: 'critical',
          product,
          message: `no configured host can activate ${product}`,
        });
      }
    }
  }

  for (const host of view.hosts) {
    const key = hostKey(host);
    if (host.tcp && !host.tcp.up) {
      problems.push({
        severity: 'warning',
        host: key,
        message: `${key} is down: ${host.tcp.error?.reason ?? 'unreachable'}${host.domains.length ? ` (published in ${host.domains.join(', ')}: stale SRV record?)` : ''}`,
      });
    }
    for (const p of host.products) {
      const label = `'${key} ${p.product}'`;
      if (p.success && p.activeClients !== null) {
        // No max: the count of an application is capped at twice the largest N any of its
        // clients sent, which this product's own N does not tell.
        perfdata.push(`${label}=${p.activeClients};${p.threshold}:;1:;0;`);
        if (p.activeClients < p.threshold) {
          problems.push({
            severity: 'warning',
            host: key,
            product: p.product,
            message: `${key} counts ${p.activeClients} clients for ${p.product}, below the threshold ${p.threshold}: its clients get 0xC004F038`,
          });
        }
      } else if (!p.success && host.tcp?.up !== false) {
        problems.push({
          severity: 'warning',
          host: key,
          product: p.product,
          message:
            `${key} failed ${p.product}: ${p.error?.reason ?? 'failed'}${p.error?.code ? ` ${p.error.code}` : ''} ${p.error?.message ?? ''}`.trim(),
        });
      }
    }
  }
  const status = problems.reduce<Severity>((s, p) => worst(s, p.severity), 'ok');
  return { status, problems, perfdata };
}
