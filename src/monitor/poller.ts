/**
 * The poller: every `interval` a round of DNS discovery and TCP reachability, and every
 * `kms_interval` the full KMS exchange inside that round. Rounds never overlap: a slow
 * round delays the next one and is counted as an overrun. Probes run here and nowhere
 * else; scrapes only read the state (docs/design.md principle 1).
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { HostAddresses, ResolverAddress, SrvLookupResult } from '../dns/index.js';
import { mapLimit } from '../dns/concurrency.js';
import { resolverLabel } from '../dns/resolver-address.js';
import type { KmsProductResult, TcpProbeResult } from '../kms/client/result.js';
import type { MonitorPlan, PlannedDomain, PlannedProduct } from './plan.js';
import type { MonitorState } from './state.js';
import { mergeTargets, type KmsTarget } from './targets.js';
import { evaluationOf } from './evaluation-of.js';
import { FindingLog } from './finding-log.js';

/** The probes the poller runs; the real ones wrap src/dns and src/kms, tests may pass others. */
export interface Probers<P extends PlannedProduct> {
  discover(
    domains: readonly PlannedDomain[],
    options: { timeoutMs: number; concurrency: number; recordLimit: number; signal: AbortSignal },
  ): Promise<SrvLookupResult[]>;
  tcp(
    target: KmsTarget,
    options: { timeoutMs: number; signal: AbortSignal },
  ): Promise<TcpProbeResult>;
  kms(
    target: KmsTarget,
    products: readonly P[],
    options: { timeoutMs: number; signal: AbortSignal },
  ): Promise<KmsProductResult[]>;
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
const JITTER_FRACTION = 0.1;

export class Poller<P extends PlannedProduct> {
  private plan: MonitorPlan<P>;
  private running = false;
  private stopController = Poller.stopSignalController();
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly warnedCuts = new Set<string>();
  private readonly findingLog: FindingLog;

  constructor(
    private readonly state: MonitorState,
    plan: MonitorPlan<P>,
    private readonly probers: Probers<P>,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.plan = plan;
    this.findingLog = new FindingLog(log);
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
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  private async runLoop(): Promise<void> {
    while (this.running) {
      const started = this.now();
      await this.runRound();
      if (!this.running) break;
      const elapsed = this.now() - started;
      const interval = this.plan.intervalMs;
      if (elapsed > interval) {
        this.state.recordOverrun();
        this.log.warn(
          { elapsedSeconds: elapsed / 1000, intervalSeconds: interval / 1000 },
          'round took longer than the interval; the next round starts late',
        );
      }
      const jitter = Math.random() * interval * JITTER_FRACTION;
      await this.sleep(Math.max(0, interval - elapsed) + jitter);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** One round: discovery, targets, TCP reachability, and the KMS exchange when due. */
  async runRound(options: RoundOptions = {}): Promise<void> {
    const plan = this.plan;
    const signal = this.stopController.signal;
    const started = this.now();
    const lookups = await this.probers.discover(plan.domains, {
      timeoutMs: plan.timeoutMs,
      concurrency: plan.concurrency,
      recordLimit: plan.recordsPerDomain,
      signal,
    });
    const at = new Date(this.now()).toISOString();
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
    const expected = new Map(plan.domains.map((d) => [d.domain, d.expectedHosts]));
    this.state.applyDiscovery(lookups, targets, expected, cut);
    this.state.retainProducts(new Set(plan.products.map((p) => p.slug)));

    await this.resolveStaticHosts(targets, plan, signal);
    await mapLimit(targets, plan.concurrency, async (target) => {
      if (signal.aborted) return;
      this.state.recordReachability(target.key, await this.probeAddresses(target, plan, signal));
    });

    const lastKms = this.state.poll.lastKmsSweepTimestamp;
    const kmsDue =
      options.forceKms || lastKms === null || started - lastKms * 1000 >= plan.kmsIntervalMs;
    // Between sweeps, hosts that have just appeared (new records, a record back in DNS, a
    // reload) get their KMS exchange at once rather than up to a kms_interval later.
    const probeable = targets.filter((t) => t.addresses.length > 0 || !this.probers.resolve);
    const kmsTargets = kmsDue
      ? probeable
      : probeable.filter((t) => {
          const known = this.state.hosts.get(t.key)?.products;
          return plan.products.some((p) => !known?.has(p.slug));
        });
    if (kmsTargets.length > 0 && plan.products.length > 0 && !signal.aborted) {
      await mapLimit(kmsTargets, plan.concurrency, async (target) => {
        if (signal.aborted) return;
        const results = await this.probers.kms(this.kmsAddressOf(target), plan.products, {
          timeoutMs: plan.timeoutMs,
          signal,
        });
        for (const result of results) this.state.recordKms(target.key, result);
      });
    }
    const finished = this.now();
    this.state.recordRoundEnd(started, finished, kmsDue && !signal.aborted, !signal.aborted);
    if (!signal.aborted) this.findingLog.update(evaluationOf(this.state, plan.products));
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
   * TCP reachability of every address of a target, as a client falls back from one to the
   * next: one result per address; none when the target has no address (named failure).
   */
  private async probeAddresses(
    target: KmsTarget,
    plan: MonitorPlan<P>,
    signal: AbortSignal,
  ): Promise<TcpProbeResult[]> {
    const options = { timeoutMs: plan.timeoutMs, signal };
    if (target.addresses.length === 0) {
      if (!this.probers.resolve) return [await this.probers.tcp(target, options)];
      return [
        {
          host: target.host,
          port: target.port,
          address: null,
          up: false,
          durationSeconds: 0,
          timestamp: new Date(this.now()).toISOString(),
          error: {
            reason: 'no_address',
            code: null,
            message:
              target.addressError?.message ??
              `${target.host} has no address at the configured resolvers`,
          },
        },
      ];
    }
    const addresses = target.addresses.slice(0, MAX_ADDRESSES_PER_HOST);
    return Promise.all(
      addresses.map(async (address) => {
        const result = await this.probers.tcp({ ...target, addresses: [address] }, options);
        // A failed connect may not report where it went; the address is what was probed.
        return result.address === null ? { ...result, address } : result;
      }),
    );
  }

  /** The KMS exchange goes to the first address that answered TCP this round, as a client's would. */
  private kmsAddressOf(target: KmsTarget): KmsTarget {
    if (target.addresses.length <= 1) return target;
    const up = this.state.hosts.get(target.key)?.addresses.find((a) => a.up)?.address;
    return { ...target, addresses: [up ?? (target.addresses[0] as string)] };
  }

  private warnOnce(key: string, fields: Record<string, unknown>, message: string): void {
    if (this.warnedCuts.has(key)) return;
    this.warnedCuts.add(key);
    this.log.warn(fields, message);
  }
}
