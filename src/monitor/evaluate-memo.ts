/**
 * Parts of the evaluation kept from one evaluation to the next while what they read is
 * the same (evaluate.ts EvaluationParts). Every probe result bumps the state's
 * generation, so a scrape in the middle of a round used to evaluate the whole estate
 * again (~0.5 s at 10,000 hosts) for one host's new result; with this, one host's result
 * recomputes that host's part and the parts of the domains that publish it.
 *
 * "The same" is object identity of the results the state holds: the state replaces a
 * result, a host's target or a domain's lookups with a new object and never edits one in
 * place (state.ts, kinds/), so an unchanged reference is an unchanged input. The view is
 * built anew per evaluation; its hosts and domains hold those references.
 *
 * A domain with migrations (replaces:) reads every host of the estate: it is computed
 * every time. Products are compared by value; any change drops everything.
 */
import type { DomainPart, EvaluationParts, HostPart } from './evaluate.js';
import type { StatusView } from './status-view.js';

type ViewHost = StatusView['hosts'][number];
type ViewDomain = StatusView['domains'][number];

interface KeptHost {
  inputs: ViewHost;
  part: HostPart;
}

interface KeptDomain {
  inputs: ViewDomain;
  /** The host keys its records name (the same while its records are). */
  keys: readonly string[];
  /** The parts of the published hosts it was computed from, in order. */
  hosts: readonly (HostPart | undefined)[];
  part: DomainPart;
}

function sameHost(a: ViewHost, b: ViewHost): boolean {
  if (
    a.host !== b.host ||
    a.port !== b.port ||
    a.domains !== b.domains ||
    a.static !== b.static ||
    a.addresses !== b.addresses ||
    a.addressError !== b.addressError ||
    a.tcp !== b.tcp ||
    a.reachability !== b.reachability ||
    a.trust !== b.trust ||
    a.products.length !== b.products.length
  ) {
    return false;
  }
  for (let i = 0; i < a.products.length; i++) if (a.products[i] !== b.products[i]) return false;
  return true;
}

function sameDomain(a: ViewDomain, b: ViewDomain): boolean {
  if (
    a.domain !== b.domain ||
    a.resolversDisagree !== b.resolversDisagree ||
    a.missingExpectedHosts !== b.missingExpectedHosts ||
    a.authorization !== b.authorization ||
    a.replaces !== b.replaces ||
    a.resolvers.length !== b.resolvers.length
  ) {
    return false;
  }
  for (let i = 0; i < a.resolvers.length; i++) {
    const r = a.resolvers[i]!;
    const s = b.resolvers[i]!;
    if (
      r.resolver !== s.resolver ||
      r.success !== s.success ||
      r.rcode !== s.rcode ||
      r.ttl !== s.ttl ||
      r.durationSeconds !== s.durationSeconds ||
      r.serviceUnavailable !== s.serviceUnavailable ||
      r.truncatedRecords !== s.truncatedRecords ||
      r.records !== s.records ||
      r.error !== s.error
    ) {
      return false;
    }
  }
  return true;
}

/** The parts of one state's evaluations; one memo per state (evaluation-of.ts). */
export class EvaluationMemo {
  private products = '';
  private hosts = new Map<string, KeptHost>();
  private domains = new Map<string, KeptDomain>();

  /** The parts for an evaluation of `view`; what this one does not ask for is forgotten. */
  parts(view: StatusView): EvaluationParts {
    const products = JSON.stringify(view.products);
    const keep = products === this.products;
    this.products = products;
    const hosts = keep ? this.hosts : new Map<string, KeptHost>();
    const domains = keep ? this.domains : new Map<string, KeptDomain>();
    const current = new Map<string, KeptHost>();
    const currentDomains = new Map<string, KeptDomain>();
    this.hosts = current;
    this.domains = currentDomains;
    return {
      host(key, host, compute) {
        const kept = hosts.get(key);
        const entry =
          kept !== undefined && sameHost(kept.inputs, host)
            ? kept
            : { inputs: host, part: compute() };
        current.set(key, entry);
        return entry.part;
      },
      domain(domain, keysOf, compute) {
        const kept = domains.get(domain.domain);
        const same =
          kept !== undefined && domain.replaces === undefined && sameDomain(kept.inputs, domain);
        const keys = same ? kept.keys : keysOf();
        const now = keys.map((k) => current.get(k)?.part);
        if (same && kept.hosts.length === now.length && kept.hosts.every((p, i) => p === now[i])) {
          currentDomains.set(domain.domain, kept);
          return kept.part;
        }
        const entry = { inputs: domain, keys, hosts: now, part: compute(keys) };
        currentDomains.set(domain.domain, entry);
        return entry.part;
      },
    };
  }
}
