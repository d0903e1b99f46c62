/**
 * Parts of the evaluation kept from one evaluation to the next while what they read is
 * the same (evaluate.ts EvaluationParts). Every probe result bumps the state's
 * generation, so a scrape in the middle of a round used to evaluate the whole estate
 * again (~0.5 s at 10,000 hosts) for one host's new result; with this, one host's result
 * recomputes that host's part and the parts of the domains that publish it.
 *
 * "The same" is equal content, not identity: the state replaces every result each round
 * and discovery makes new targets and lookups every round, so identity would recompute the
 * whole estate at every round's end (slower than evaluate() alone: the comparisons and two
 * generations of parts alive). Fields the evaluation never reads (the timings) are skipped
 * (evaluate-inputs.ts), so a round that only moved the timings keeps every part. The view is built anew per
 * evaluation; its hosts and domains hold the state's objects.
 *
 * A domain with migrations (replaces:) reads every host of the estate: it is computed
 * every time. Products are compared by value; any change drops everything.
 */
import type { DomainPart, EvaluationParts, HostPart } from './evaluate.js';
import type { StatusView } from './status-view.js';
import { sameDomainInputs, sameHostInputs } from './evaluate-inputs.js';

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
        let entry = hosts.get(key);
        // An equal host keeps its part and holds the new objects: the next comparison
        // starts from identity, and the old ones can go.
        if (entry !== undefined && sameHostInputs(entry.inputs, host)) entry.inputs = host;
        else entry = { inputs: host, part: compute() };
        current.set(key, entry);
        return entry.part;
      },
      domain(domain, keysOf, compute) {
        const kept = domains.get(domain.domain);
        if (
          kept !== undefined &&
          domain.replaces === undefined &&
          sameDomainInputs(kept.inputs, domain) &&
          kept.keys.every((k, i) => current.get(k)?.part === kept.hosts[i])
        ) {
          kept.inputs = domain;
          currentDomains.set(domain.domain, kept);
          return kept.part;
        }
        const keys = keysOf();
        const now = keys.map((k) => current.get(k)?.part);
        const entry = { inputs: domain, keys, hosts: now, part: compute(keys) };
        currentDomains.set(domain.domain, entry);
        return entry.part;
      },
    };
  }
}
