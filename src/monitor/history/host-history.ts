/**
 * Everything the history keeps of one host: its reachability log and one sample ring per
 * product. It is fed from the host's state after each of its results is recorded, and
 * takes a result only once (by identity: the state replaces a result object, never edits it).
 */
import type { KmsProductResult, TcpProbeResult } from '../../kms/client/index.js';
import type { HostState } from '../state.js';
import { outcomeCode, outcomeReason, productPhase, type ProductPhase } from './outcome.js';
import { ReachabilityLog } from './reachability-log.js';
import { SampleRing } from './sample-ring.js';
import type { HostHistoryView, ProductHistoryView } from './view.js';

class ProductHistory {
  readonly ring: SampleRing;
  latest: KmsProductResult | null = null;
  phase: ProductPhase = 'ok';
  phaseSince = 0;
  observedSince = 0;

  constructor(capacity: number) {
    this.ring = new SampleRing(capacity);
  }

  take(result: KmsProductResult): void {
    const parsed = Date.parse(result.timestamp);
    const at = Number.isNaN(parsed) ? (this.latest === null ? 0 : this.phaseSince) : parsed;
    const phase = productPhase(result);
    if (this.latest === null) {
      this.observedSince = at;
      this.phaseSince = at;
    } else if (phase !== this.phase) this.phaseSince = at;
    this.phase = phase;
    this.latest = result;
    this.ring.push({
      at,
      count: result.activeClients,
      latencySeconds: result.durationSeconds,
      outcome: outcomeCode(result),
    });
  }

  view(from: number, iso: (ms: number) => string): ProductHistoryView {
    const ring = this.ring;
    const first = ring.firstAtOrAfter(from);
    const n = ring.length - first;
    const at = new Array<number>(n);
    const count = new Array<number | null>(n);
    const latencySeconds = new Array<number>(n);
    const reason = new Array<string | null>(n);
    let answered = 0;
    for (let k = 0; k < n; k++) {
      const i = first + k;
      const outcome = ring.outcomeAt(i);
      if (outcome === 0) answered++;
      at[k] = ring.timeAt(i) / 1000;
      count[k] = ring.countAt(i);
      // Float32 in the ring: microseconds are all it holds that is true.
      latencySeconds[k] = Math.round(ring.latencyAt(i) * 1e6) / 1e6;
      reason[k] = outcomeReason(outcome);
    }
    return {
      product: this.latest?.product ?? '',
      threshold: this.latest?.threshold ?? 0,
      phase: this.phase,
      phaseSince: iso(this.phaseSince),
      refusedSince: this.phase === 'refused' ? iso(this.phaseSince) : null,
      observedSince: iso(this.observedSince),
      successRatio: at.length > 0 ? answered / at.length : null,
      samples: { at, count, latencySeconds, reason },
    };
  }
}

export class HostHistory {
  readonly reachability = new ReachabilityLog();
  readonly products = new Map<string, ProductHistory>();
  private lastTcp: TcpProbeResult | null = null;

  /**
   * Takes the host's results not seen yet; `capacity` is the size of a new ring, and
   * reachability older than `retentionMs` is forgotten (the state in force stays).
   */
  observe(host: HostState, capacity: number, retentionMs: number): void {
    const tcp = host.tcp;
    if (tcp !== null && tcp !== this.lastTcp) {
      this.lastTcp = tcp;
      const at = Date.parse(tcp.timestamp);
      if (!Number.isNaN(at)) {
        this.reachability.observe(at, tcp.up);
        this.reachability.prune(at - retentionMs);
      }
    }
    for (const [slug, result] of host.products) {
      let product = this.products.get(slug);
      if (product === undefined) this.products.set(slug, (product = new ProductHistory(capacity)));
      if (product.latest !== result) product.take(result);
    }
  }

  setCapacity(capacity: number): void {
    for (const p of this.products.values()) p.ring.setCapacity(capacity);
  }

  /** Drops products the plan no longer has. */
  retainProducts(keep: (slug: string) => boolean): void {
    for (const slug of this.products.keys()) if (!keep(slug)) this.products.delete(slug);
  }

  get byteLength(): number {
    let bytes = this.reachability.byteLength;
    for (const p of this.products.values()) bytes += p.ring.byteLength;
    return bytes;
  }

  view(now: number, windowMs: number, retentionMs: number): HostHistoryView {
    const from = now - windowMs;
    const iso = (ms: number) => new Date(ms).toISOString();
    const log = this.reachability;
    const since = log.since;
    const knownSince = log.knownSince;
    return {
      windowSeconds: windowMs / 1000,
      retentionSeconds: retentionMs / 1000,
      reachability: {
        up: log.up,
        since: since === null ? null : iso(since),
        firstSeen: log.firstSeen === null ? null : iso(log.firstSeen),
        downSince: since !== null && log.up === false ? iso(since) : null,
        uptime: log.uptime(from, now),
        knownSince: knownSince === null ? null : iso(knownSince),
        transitions: log.transitions(from).map((t) => ({ at: iso(t.at), up: t.up })),
      },
      products: [...this.products.values()]
        .filter((p) => p.latest !== null)
        .map((p) => p.view(from, iso)),
    };
  }
}
