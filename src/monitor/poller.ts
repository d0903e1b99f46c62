/**
 * The poller: every `interval` a round of DNS discovery, then the probe kinds of
 * ./kinds/index.ts over the hosts found, each host through the kinds in turn (TCP
 * reachability every round, the full KMS exchange every `kms_interval`). Rounds never
 * overlap: a slow round delays the next one and is counted as an overrun. Probes run here
 * and nowhere else; scrapes only read the state (docs/design.md principle 1). Time comes
 * from a PollerClock, so tests drive the schedule without waiting.
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { HostAddresses, ResolverAddress, SrvLookupResult } from '../dns/index.js';
import { mapLimit } from '../util/map-limit.js';
import { resolverLabel } from '../dns/index.js';
import type { HostProbeKind, ProbeFn } from './kinds/kind.js';
import {
  PROBE_KIND_NAMES,
  probeKind,
  type ProbeFns,
  type ProbeKindName,
  type ProbeResults,
} from './kinds/index.js';
import type { MonitorPlan, PlannedDomain, PlannedProduct } from './plan.js';
import type { MonitorState } from './state.js';
import { mergeTargets, type KmsTarget } from './targets.js';
import { evaluationOf } from './evaluation-of.js';
import { FindingLog } from './finding-log.js';

/**
 * The probes the poller runs: discovery, and one probe function per probe kind, by the
 * kind's name. The real ones (./probers.ts) wrap src/dns and src/kms; tests pass others.
 * A kind without a function here is not run (a test double answers only what it tests).
 */
export interface Probers<P extends PlannedProduct> extends Partial<ProbeFns<P>> {
  discover(
    domains: readonly PlannedDomain[],
    options: { timeoutMs: number; concurrency: number; recordLimit: number; signal: AbortSignal },
  ): Promise<SrvLookupResult[]>;
  /**
   * Addresses of a static host's name, from the given resolvers. Probers without it (test
   * doubles that open no socket) get address-less targets as they are.
   */
  resolve?(
    host: string,
    resolvers: readonly ResolverAddress[],
    options: { timeoutMs: number; signal: AbortSignal },
  ): Promise<HostAddresses>;
}

/** Addresses of one host probed at once; more are ignored (a host with dozens is hostile). */
export const MAX_ADDRESSES_PER_HOST = 8;

export interface RoundOptions {
  /** Run the KMS exchange in this round whether or not it is due. */
  forceKms?: boolean;
}

/** Up to this fraction of the interval is added at random to each wait, so that several
 *  monitor replicas do not probe the same hosts in lockstep. */
export const JITTER_FRACTION = 0.1;

/** Where the poller's time comes from. */
export interface PollerClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (stop). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** A number in [0, 1) for the jitter. */
  random(): number;
}

export const SYSTEM_CLOCK: PollerClock = {
  now: Date.now,
  random: Math.random,
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    }),
};

export class Poller<P extends PlannedProduct> {
  private plan: MonitorPlan<P>;
  private running = false;
  private stopController = Poller.stopSignalController();
  private loop: Promise<void> | null = null;
  private readonly warnedCuts = new Set<string>();
  private readonly findingLog: FindingLog;
  private readonly roundEndHooks: Array<() => void> = [];

  constructor(
    private readonly state: MonitorState,
    plan: MonitorPlan<P>,
    private readonly probers: Probers<P>,
    private readonly log: Logger,
    private readonly clock: PollerClock = SYSTEM_CLOCK,
  ) {
    this.plan = plan;
    this.findingLog = new FindingLog(log, state.events);
  }

  /** Every probe in flight listens on this one signal; there are `concurrency` of them. */
  private static stopSignalController(): AbortController {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  }

  /**
   * Takes effect at the next round; the round in progress finishes with the old plan.
   * Products and hosts new to the plan get their KMS exchange in that next round.
   */
  updatePlan(plan: MonitorPlan<P>): void {
    this.plan = plan;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopController = Poller.stopSignalController();
    this.loop = this.runLoop();
  }

  /** Aborts the probes in flight and waits for the loop to end. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopController.abort();
    await this.loop;
    this.loop = null;
  }

  private async runLoop(): Promise<void> {
    while (this.running) {
      const started = this.clock.now();
      await this.guardedRound();
      if (!this.running) break;
      const elapsed = this.clock.now() - started;
      const interval = this.plan.intervalMs;
      if (elapsed > interval) {
        this.state.recordOverrun();
        this.log.warn(
          { elapsedSeconds: elapsed / 1000, intervalSeconds: interval / 1000 },
          'round took longer than the interval; the next round starts late',
        );
      }
      const jitter = this.clock.random() * interval * JITTER_FRACTION;
      await this.clock.sleep(Math.max(0, interval - elapsed) + jitter, this.stopController.signal);
    }
  }

  /**
   * The probes report every failure as a result and never throw; what can still throw is a
   * bug in the monitor's own code. Polling must survive it: a stopped loop would leave the
   * last results on /metrics and the page as if they were current. The round that failed
   * does not count as finished, so KmsMonitorNotPolling fires if every round fails.
   */
  private async guardedRound(): Promise<void> {
    try {
      await this.runRound();
    } catch (err) {
      this.log.error(
        { err },
        'round failed (a bug in kms-monitor); the next round runs as planned',
      );
    }
  }

  /**
   * Runs `hook` at the end of every round that was not aborted, after the round's
   * evaluation: where work that follows the state (the /metrics body) is best done once.
   */
  onRoundEnd(hook: () => void): void {
    this.roundEndHooks.push(hook);
  }

  /** One round: discovery, targets, then every probe kind that is due. */
  async runRound(options: RoundOptions = {}): Promise<void> {
    const plan = this.plan;
    const signal = this.stopController.signal;
    const started = this.clock.now();
    const lookups = await this.probers.discover(plan.domains, {
      timeoutMs: plan.timeoutMs,
      concurrency: plan.concurrency,
      recordLimit: plan.recordsPerDomain,
      signal,
    });
    const at = new Date(this.clock.now()).toISOString();
    for (const lookup of lookups) {
      this.state.recordLookup(lookup, at);
      if (lookup.truncatedRecords > 0) {
        this.warnOnce(
          `records:${lookup.domain}:${lookup.resolver}`,
          { domain: lookup.domain, resolver: lookup.resolver, cut: lookup.truncatedRecords },
          'more SRV records than limits.records_per_domain; the rest are counted, not probed',
        );
      }
    }
    const { targets, cut } = mergeTargets(lookups, plan.staticHosts, plan.hostsTotal);
    if (cut > 0) {
      this.warnOnce(
        'hosts',
        { cut, limit: plan.hostsTotal },
        'more KMS hosts than limits.hosts_total; the rest are not probed',
      );
    }
    this.state.applyDiscovery({ lookups, targets, hostsCut: cut, domains: plan.domains });
    this.state.retainPlan(plan);

    await this.resolveStaticHosts(targets, plan, signal);
    const lastKms = this.state.poll.lastKmsSweepTimestamp;
    const kmsDue =
      options.forceKms || lastKms === null || started - lastKms * 1000 >= plan.kmsIntervalMs;
    await this.probeTargets(targets, plan, kmsDue, signal);
    const finished = this.clock.now();
    this.state.recordRoundEnd(started, finished, kmsDue && !signal.aborted, !signal.aborted);
    if (!signal.aborted) {
      this.findingLog.update(evaluationOf(this.state, plan.products), finished);
      for (const hook of this.roundEndHooks) hook();
    }
    this.log.debug(
      { targets: targets.length, kms: kmsDue, seconds: (finished - started) / 1000 },
      'round finished',
    );
  }

  /**
   * Static hosts given by name and published by no domain are resolved by the configured
   * resolvers (the global ones, else those of resolv.conf), never by the operating system.
   */
  private async resolveStaticHosts(
    targets: KmsTarget[],
    plan: MonitorPlan<P>,
    signal: AbortSignal,
  ): Promise<void> {
    const resolve = this.probers.resolve?.bind(this.probers);
    if (!resolve) return;
    const resolvers = plan.hostResolvers ?? [
      ...new Map(
        plan.domains.flatMap((d) => d.resolvers).map((r) => [resolverLabel(r), r]),
      ).values(),
    ];
    const unresolved = targets.filter((t) => t.addresses.length === 0 && t.domains.length === 0);
    await mapLimit(unresolved, plan.concurrency, async (target) => {
      if (signal.aborted) return;
      if (resolvers.length === 0) {
        target.addressError = {
          reason: 'no_address',
          message: `no resolver is configured to resolve ${target.host}`,
        };
        return;
      }
      const found = await resolve(target.host, resolvers, { timeoutMs: plan.timeoutMs, signal });
      target.addresses = found.addresses;
      target.addressError = found.error;
    });
  }

  /**
   * Every due probe kind over the round's targets. A host runs its kinds one after the
   * other in registry order (a kind reads what the one before it recorded for that host:
   * the KMS exchange goes to the address that answered TCP, trust waits for an answer),
   * but hosts do not wait for each other between kinds: a round lasts as long as its
   * slowest host's chain, not the sum of each kind's slowest host, and `concurrency`
   * bounds the hosts in flight.
   */
  private async probeTargets(
    targets: readonly KmsTarget[],
    plan: MonitorPlan<P>,
    sweepDue: boolean,
    signal: AbortSignal,
  ): Promise<void> {
    const kinds = PROBE_KIND_NAMES.flatMap((name) => {
      const run = this.kindRun(name, plan, sweepDue, signal);
      return run ? [run] : [];
    });
    if (kinds.length === 0) return;
    await mapLimit(targets, plan.concurrency, async (target) => {
      for (const run of kinds) {
        if (signal.aborted) return;
        await run(target);
      }
    });
  }

  /**
   * One probe kind's run for one host, probing it when the kind is due for it; null when
   * the kind does not run this round at all.
   */
  private kindRun<N extends ProbeKindName>(
    name: N,
    plan: MonitorPlan<P>,
    sweepDue: boolean,
    signal: AbortSignal,
  ): ((target: KmsTarget) => Promise<void>) | null {
    const probe = this.probers[name] as ProbeFn<P, ProbeResults[N]> | undefined;
    const kind = probeKind(name);
    if (!probe || (kind.perProduct && plan.products.length === 0)) return null;
    const due = (target: KmsTarget): boolean => {
      // Probers that cannot resolve (test doubles that open no socket) get them as they are.
      if (kind.needsAddress && target.addresses.length === 0 && this.probers.resolve) {
        return false;
      }
      if (kind.schedule === 'round' || sweepDue) return true;
      // Between sweeps, hosts that have just appeared (new records, a record back in DNS,
      // a reload) are probed at once rather than up to a kms_interval later.
      const host = this.state.hosts.get(target.key);
      return host !== undefined && kind.pending?.(host, plan) === true;
    };
    const options = {
      products: plan.products,
      timeoutMs: plan.timeoutMs,
      signal,
      ...(plan.trust ? { trust: plan.trust } : {}),
    };
    return async (target) => {
      if (!due(target)) return;
      try {
        const probed = await Promise.all(
          this.addressesFor(kind, target).map(async (address) => ({
            address,
            result: await probe(
              address === null ? target : { ...target, addresses: [address] },
              options,
            ),
          })),
        );
        this.state.recordProbes(name, target.key, probed);
      } catch (err) {
        // One host's bug must not cost the other hosts their results (see guardedRound).
        this.log.error(
          { err, kind: name, host: target.key },
          'probe failed (a bug in kms-monitor); the host keeps its last result',
        );
      }
    };
  }

  /**
   * Where a kind probes a target: every address (capped), or the first that answered TCP
   * this round, as a client's would. A target without an address is probed once as it
   * is, and its probe reports why (a named failure, no socket).
   */
  private addressesFor(kind: HostProbeKind<unknown>, target: KmsTarget): Array<string | null> {
    if (target.addresses.length === 0) return [null];
    if (kind.addresses === 'every') return target.addresses.slice(0, MAX_ADDRESSES_PER_HOST);
    const up = this.state.hosts.get(target.key)?.addresses.find((a) => a.up)?.address;
    return [up ?? (target.addresses[0] as string)];
  }

  private warnOnce(key: string, fields: Record<string, unknown>, message: string): void {
    if (this.warnedCuts.has(key)) return;
    this.warnedCuts.add(key);
    this.log.warn(fields, message);
  }
}
