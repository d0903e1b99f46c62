/**
 * Authorization of the hosts a domain publishes (docs/trust.md, "Authorization"): an SRV
 * target that is not in the domain's `allowed_hosts` is `host_not_allowed`, and a pinned host
 * that answers with another ePID or hardware ID than its pins is `host_identity_changed`.
 * The authenticity checks ask "is it a genuine KMS host?"; these ask "is it one of ours?" —
 * a genuine host someone set up by typing a KMS host key passes the former, not the latter.
 */
import type { DomainConfig } from '../config/schema.js';
import { tryParseEpid } from '../kms/epid.js';
import type { CounterName } from '../kms/products/index.js';
import { hostKey } from '../util/host-port.js';
import { finding, type Finding } from './findings.js';
import type { StatusView } from './status-view.js';

export interface HostPin {
  epids: readonly string[];
  hwids: readonly string[];
}

export interface DomainAuthorization {
  /** Host names and addresses that may be published; null: any. */
  allowedHosts: readonly string[] | null;
  /** Host name or address → the identity it must answer with. */
  pins: Readonly<Record<string, HostPin>>;
}

/** The domain's authorization as the plan holds it; null when it configures none. */
export function authorizationOf(domain: DomainConfig): DomainAuthorization | null {
  const { allowed_hosts: allowed, pinned_hosts: pinned } = domain;
  if (allowed === undefined && pinned === undefined) return null;
  return {
    allowedHosts: allowed ?? null,
    pins: Object.fromEntries(
      Object.entries(pinned ?? {}).map(([host, p]) => [
        host,
        { epids: p.expected_epids, hwids: p.expected_hwids },
      ]),
    ),
  };
}

type ViewDomain = StatusView['domains'][number];
type ViewHost = StatusView['hosts'][number];

interface Published {
  key: string;
  name: string;
  addresses: string[];
}

/** Every target the domain's resolvers publish, with every address any of them gave. */
function publishedTargets(domain: ViewDomain, hosts: ReadonlyMap<string, ViewHost>): Published[] {
  const byKey = new Map<string, Published>();
  for (const record of domain.resolvers.flatMap((r) => r.records)) {
    const key = hostKey(record);
    const entry = byKey.get(key) ?? { key, name: record.host, addresses: [] };
    entry.addresses.push(...record.addresses, ...(hosts.get(key)?.addresses ?? []));
    byKey.set(key, entry);
  }
  for (const entry of byKey.values()) entry.addresses = [...new Set(entry.addresses)];
  return [...byKey.values()];
}

/**
 * Allowed when its name is listed, or when it has addresses and every one is listed: an
 * address entry allows whatever name points at it, but a target with one listed and one
 * unlisted address is not allowed (clients may connect to either).
 */
function notAllowed(domain: string, target: Published, allowed: ReadonlySet<string>): Finding[] {
  if (allowed.has(target.name)) return [];
  const unlisted = target.addresses.filter((a) => !allowed.has(a));
  if (target.addresses.length > 0 && unlisted.length === 0) return [];
  const addresses =
    target.addresses.length === 0
      ? 'no address'
      : unlisted.length === target.addresses.length
        ? `address ${unlisted.join(', ')}`
        : `address ${unlisted.join(', ')} (of ${target.addresses.join(', ')})`;
  return [
    finding('host_not_allowed', {
      domain,
      host: target.key,
      message: `${target.key} is published in ${domain} but neither its name nor its ${addresses} is in allowed_hosts: a KMS host nobody planned answers its clients`,
    }),
  ];
}

const application = (epid: string): CounterName | null =>
  tryParseEpid(epid)?.csvlk?.application ?? null;

/**
 * The ePIDs seen that no pin accounts for. An answer is compared with the pins of its own
 * application only (a host has one host key per application), so pinning just the Windows
 * key leaves the host's Office ePID alone; an ePID or pin whose key the tables do not know
 * is compared with every pin.
 */
function unpinnedEpids(seen: readonly string[], pins: readonly string[]): string[] {
  if (pins.length === 0) return [];
  return seen.filter((epid) => {
    if (pins.includes(epid)) return false;
    const app = application(epid);
    return app === null || pins.some((p) => application(p) === app || application(p) === null);
  });
}

function identityChanged(
  domain: string,
  target: Published,
  host: ViewHost | undefined,
  pin: HostPin,
): Finding[] {
  const answers = (host?.products ?? []).filter((r) => r.success);
  const changes: string[] = [];
  const epids = [...new Set(answers.flatMap((r) => (r.epid === null ? [] : [r.epid])))];
  for (const epid of unpinnedEpids(epids, pin.epids)) {
    const products = answers.filter((r) => r.epid === epid).map((r) => r.product);
    changes.push(`ePID ${epid} (${products.join(', ')}) where ${pin.epids.join(' or ')} is pinned`);
  }
  const hwids = [...new Set(answers.flatMap((r) => (r.hwid === null ? [] : [r.hwid])))];
  if (pin.hwids.length > 0) {
    for (const hwid of hwids.filter((h) => !pin.hwids.includes(h.toUpperCase()))) {
      changes.push(`hardware ID ${hwid} where ${pin.hwids.join(' or ')} is pinned`);
    }
  }
  if (changes.length === 0) return [];
  return [
    finding('host_identity_changed', {
      domain,
      host: target.key,
      message: `${target.key} in ${domain} answers with ${changes.join('; ')}: another machine or a reinstalled host key answers under this name`,
    }),
  ];
}

/** The authorization findings of one domain, given the hosts of the state by key. */
export function authorizationFindings(
  domain: ViewDomain,
  hosts: ReadonlyMap<string, ViewHost>,
): Finding[] {
  const policy = domain.authorization;
  if (!policy) return [];
  const allowed = policy.allowedHosts === null ? null : new Set(policy.allowedHosts);
  const out: Finding[] = [];
  for (const target of publishedTargets(domain, hosts)) {
    if (allowed !== null) out.push(...notAllowed(domain.domain, target, allowed));
    const pin =
      policy.pins[target.name] ??
      target.addresses.map((a) => policy.pins[a]).find((p) => p !== undefined);
    if (pin) out.push(...identityChanged(domain.domain, target, hosts.get(target.key), pin));
  }
  return out;
}
