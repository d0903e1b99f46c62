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
  /** The evaluation that last asked for it: entries of earlier ones left the state. */
  pass: number;
}

interface KeptDomain {
  inputs: ViewDomain;
  /** The host keys its records name (the same while its records are). */
  keys: readonly string[];
  /** The parts of the published hosts it was computed from, in order. */
  hosts: readonly (HostPart | undefined)[];
  part: DomainPart;
  pass: number;
}

/**
 * The parts of one state's evaluations; one memo per state (evaluation-of.ts). The maps
 * are updated in place (two new maps of 10,000 entries per evaluation cost more than the
 * host that changed); what an evaluation does not ask for is forgotten after it.
 */
export class EvaluationMemo {
  private products = '';
  private readonly hosts = new Map<string, KeptHost>();
  private readonly domains = new Map<string, KeptDomain>();
  private pass = 0;

  /** The parts for an evaluation of `view`. */
  parts(view: StatusView): EvaluationParts {
    const products = JSON.stringify(view.products);
    if (products !== this.products) {
      this.hosts.clear();
      this.domains.clear();
    }
    this.products = products;
    const pass = ++this.pass;
    const { hosts, domains } = this;
    /** The part of host `key` in this evaluation; none for a host not in its view. */
    const partNow = (key: string): HostPart | undefined => {
      const entry = hosts.get(key);
      return entry?.pass === pass ? entry.part : undefined;
    };
    let hostsAsked = 0;
    let domainsAsked = 0;
    const forget = () => {
      // The last host is asked before any domain, the last domain last of all.
      if (hosts.size !== hostsAsked)
        for (const [key, entry] of hosts) if (entry.pass !== pass) hosts.delete(key);
      if (domains.size !== domainsAsked)
        for (const [key, entry] of domains) if (entry.pass !== pass) domains.delete(key);
    };
    return {
      host(key, host, compute) {
        hostsAsked++;
        const entry = hosts.get(key);
        if (entry === undefined) {
          const part = compute();
          hosts.set(key, { inputs: host, part, pass });
          return part;
        }
        // The same view object (evaluate-view.ts keeps it while the host is unchanged)
        // needs no comparison. An equal host keeps its part and holds the new objects: the
        // next comparison starts from identity, and the old ones can go.
        if (entry.inputs !== host && !sameHostInputs(entry.inputs, host)) entry.part = compute();
        entry.inputs = host;
        entry.pass = pass;
        return entry.part;
      },
      domain(domain, keysOf, compute) {
        domainsAsked++;
        const kept = domains.get(domain.domain);
        if (
          kept !== undefined &&
          domain.replaces === undefined &&
          (kept.inputs === domain || sameDomainInputs(kept.inputs, domain)) &&
          kept.keys.every((k, i) => partNow(k) === kept.hosts[i])
        ) {
          kept.inputs = domain;
          kept.pass = pass;
          return kept.part;
        }
        const keys = keysOf();
        const now = keys.map(partNow);
        const entry = { inputs: domain, keys, hosts: now, part: compute(keys), pass };
        domains.set(domain.domain, entry);
        return entry.part;
      },
      done: forget,
    };
  }
}
