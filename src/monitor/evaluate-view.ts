/**
 * The status view evaluationOf() evaluates, with the view of every host and domain kept
 * from the previous one while its state is the same: a result mid-round makes one new
 * host view, and the evaluation memo (evaluate-memo.ts) then knows every other host and
 * domain unchanged by identity alone, without comparing their contents (at 10,000 hosts,
 * building 10,000 view objects and comparing them field by field was most of the
 * evaluation after one result).
 *
 * A host's view is kept while the host's version (MonitorState bumps it for every change
 * it makes to the host) and the objects the view holds are the same; a domain's while its
 * DomainState object is (discovery replaces them, nothing changes one in place). The
 * rest of the view (products, poll, ADBA) is small and built anew every time, as
 * buildStatusView() builds it.
 */
import type { PlannedProduct } from './plan.js';
import type { DomainState, HostState, MonitorState } from './state.js';
import { buildStatusView, domainView, hostView, type StatusView } from './status-view.js';

type ViewHost = StatusView['hosts'][number];
type ViewDomain = StatusView['domains'][number];

interface KeptHostView {
  version: number;
  target: HostState['target'];
  tcp: HostState['tcp'];
  addresses: HostState['addresses'];
  trust: HostState['trust'];
  view: ViewHost;
  /** The pass that last asked for it: entries of earlier passes left the state. */
  pass: number;
}

interface KeptDomainView {
  state: DomainState;
  view: ViewDomain;
  pass: number;
}

/**
 * The views of one state's evaluations; one per state (evaluation-of.ts). The maps are
 * updated in place: building two maps of 10,000 entries per evaluation cost more than
 * the one host that changed.
 */
export class EvaluationViews {
  private readonly hosts = new Map<string, KeptHostView>();
  private readonly domains = new Map<string, KeptDomainView>();
  private pass = 0;

  /** The view of `state` without history, as buildStatusView(state, products, { historyLimit: 0 }) gives. */
  view(state: MonitorState, products: readonly PlannedProduct[]): StatusView {
    const pass = ++this.pass;
    const view = buildStatusView(state, products, {
      historyLimit: 0,
      hostView: (h) => {
        const kept = this.hosts.get(h.target.key);
        if (kept === undefined) {
          const { version, target, tcp, addresses, trust } = h;
          const view = hostView(h);
          this.hosts.set(target.key, { version, target, tcp, addresses, trust, view, pass });
          return view;
        }
        if (
          kept.version !== h.version ||
          kept.target !== h.target ||
          kept.tcp !== h.tcp ||
          kept.addresses !== h.addresses ||
          kept.trust !== h.trust
        ) {
          kept.version = h.version;
          kept.target = h.target;
          kept.tcp = h.tcp;
          kept.addresses = h.addresses;
          kept.trust = h.trust;
          kept.view = hostView(h);
        }
        kept.pass = pass;
        return kept.view;
      },
      domainView: (d) => {
        const kept = this.domains.get(d.domain);
        if (kept === undefined) {
          const view = domainView(d);
          this.domains.set(d.domain, { state: d, view, pass });
          return view;
        }
        if (kept.state !== d) {
          kept.state = d;
          kept.view = domainView(d);
        }
        kept.pass = pass;
        return kept.view;
      },
    });
    // What this view did not ask for (hosts and domains that left) is forgotten.
    forgetOlder(this.hosts, state.hosts.size, pass);
    forgetOlder(this.domains, state.domains.size, pass);
    return view;
  }
}

/** Drops the entries not seen in `pass`, if there are any (more entries than `current`). */
function forgetOlder(kept: Map<string, { pass: number }>, current: number, pass: number): void {
  if (kept.size === current) return;
  for (const [key, entry] of kept) if (entry.pass !== pass) kept.delete(key);
}
