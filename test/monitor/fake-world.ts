/**
 * A scripted world for the poller's unit tests: SRV records per domain, hosts that are
 * down or count few clients, and probes that take time on a FakeClock. Its probers open
 * no socket; they record every call with the clock's time, and how many ran at once.
 */
import { Writable } from 'node:stream';
import type { SrvLookupResult } from '../../src/dns/index.js';
import type { KmsProductResult, TcpProbeResult } from '../../src/kms/client/result.js';
import { createLogger } from '../../src/log/logger.js';
import type { MonitorPlan, PlannedProduct } from '../../src/monitor/plan.js';
import { Poller, type Probers } from '../../src/monitor/poller.js';
import { MonitorState, type MonitorStateOptions } from '../../src/monitor/state.js';
import type { TrustProbeResult } from '../../src/monitor/kinds/trust.js';
import { FakeClock } from './fake-clock.js';

export const WINDOWS: PlannedProduct = { slug: 'windows', nPolicy: 25 };
export const OFFICE: PlannedProduct = { slug: 'office', nPolicy: 5 };

export function planOf(overrides: Partial<MonitorPlan> = {}): MonitorPlan {
  return {
    domains: [],
    staticHosts: [],
    products: [WINDOWS],
    intervalMs: 1000,
    kmsIntervalMs: 3000,
    timeoutMs: 500,
    concurrency: 4,
    recordsPerDomain: 100,
    hostsTotal: 100,
    ...overrides,
  };
}

export function domainsOf(...names: string[]): MonitorPlan['domains'] {
  return names.map((domain) => ({ domain, resolvers: [], expectedHosts: [] }));
}

interface Call {
  at: number;
  host: string;
  address: string | null;
}

export class FakeWorld {
  /** Host names published per domain (port 1688). */
  readonly records = new Map<string, string[]>();
  /** Hosts whose connect is refused. */
  readonly down = new Set<string>();
  /** Hosts that answer the trust kind's controls, as an emulator does. */
  readonly emulators = new Set<string>();
  /** Products each host refuses with 0xC004F042 (answers, but not this product). */
  readonly refusals = new Map<string, Set<string>>();
  /** Active clients each host counts (default 50). */
  readonly counts = new Map<string, number>();
  /** How long each probe takes on the clock. */
  readonly delays = { discover: 0, tcp: 0, kms: 0 };
  /** Per-host delays that replace `delays` for that host's probes of a kind. */
  readonly hostDelays = new Map<string, { tcp?: number; kms?: number }>();
  readonly calls = {
    discover: [] as number[],
    tcp: [] as Call[],
    kms: [] as Call[],
    trust: [] as Call[],
  };
  inFlight = 0;
  maxInFlight = 0;
  private readonly addressOf = new Map<string, string>();

  constructor(readonly clock: FakeClock) {}

  /** A stable loopback address per host name. */
  address(host: string): string {
    let a = this.addressOf.get(host);
    if (!a) this.addressOf.set(host, (a = `127.0.0.${this.addressOf.size + 1}`));
    return a;
  }

  /** Probes in flight between `enter` and `leave`; the time they take is the clock's. */
  private async busy<T>(ms: number, signal: AbortSignal, work: () => T): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (ms > 0) await this.clock.wait(ms, signal);
      return work();
    } finally {
      this.inFlight--;
    }
  }

  private lookup(domain: string): SrvLookupResult {
    const hosts = this.records.get(domain) ?? [];
    return {
      domain,
      resolver: '127.0.0.53:53',
      success: true,
      rcode: 'NOERROR',
      ttl: 60,
      records: hosts.map((host, i) => ({
        host,
        port: 1688,
        priority: 0,
        weight: 10 + i,
        ttl: 60,
        addresses: [this.address(host)],
        addressError: null,
      })),
      serviceUnavailable: false,
      truncatedRecords: 0,
      transport: 'udp',
      durationSeconds: this.delays.discover / 1000,
      error: null,
      failedResolvers: [],
    };
  }

  private tcp(host: string, port: number, address: string | null): TcpProbeResult {
    // As the real probe: a target without an address is never connected to by name.
    const error =
      address === null
        ? { reason: 'no_address' as const, code: null, message: `${host} has no address` }
        : this.down.has(host)
          ? { reason: 'connect_refused' as const, code: null, message: 'refused' }
          : null;
    return {
      host,
      port,
      address,
      up: error === null,
      durationSeconds: this.delays.tcp / 1000,
      timestamp: new Date(this.clock.now()).toISOString(),
      error,
    };
  }

  private kms(
    host: string,
    port: number,
    address: string | null,
    products: readonly PlannedProduct[],
  ): KmsProductResult[] {
    const down = this.down.has(host);
    const answers = products.map((p): KmsProductResult => ({
      host,
      port,
      address,
      product: p.slug,
      success: !down,
      protocol: down ? null : 6,
      // A Windows Server 2022 host key on its own build, one key ID per host: a genuine-looking ePID.
      epid: down
        ? null
        : `03612-04573-${this.address(host).split('.')[3]!.padStart(3, '0')}-000001-03-1033-20348.0000-0012025`,
      hwid: down ? null : `HW-${host}`,
      hostBuild: down ? null : 20348,
      keyInstallDate: null,
      activeClients: down ? null : (this.counts.get(host) ?? 50),
      threshold: p.nPolicy,
      activationIntervalMinutes: down ? null : 120,
      renewalIntervalMinutes: down ? null : 10080,
      durationSeconds: this.delays.kms / 1000,
      phases: {},
      timestamp: new Date(this.clock.now()).toISOString(),
      error: down ? { reason: 'connect_refused', code: null, message: 'refused' } : null,
    }));
    return answers.map((r) => this.refusedOrNot(host, r));
  }

  /** The answer as scripted, or the host's refusal of the product (see `refusals`). */
  private refusedOrNot(host: string, r: KmsProductResult): KmsProductResult {
    if (r.error !== null || !this.refusals.get(host)?.has(r.product)) return r;
    return {
      ...r,
      success: false,
      activeClients: null,
      error: { reason: 'kms_error', code: '0xC004F042', message: 'refused' },
    };
  }

  probers(): Probers<PlannedProduct> {
    return {
      discover: (domains, { signal }) => {
        this.calls.discover.push(this.clock.now());
        return this.busy(this.delays.discover, signal, () =>
          domains.map((d) => this.lookup(d.domain)),
        );
      },
      tcp: (target, { signal }) => {
        const address = target.addresses[0] ?? null;
        this.calls.tcp.push({ at: this.clock.now(), host: target.host, address });
        return this.busy(this.delayOf('tcp', target.host), signal, () =>
          this.tcp(target.host, target.port, address),
        );
      },
      kms: (target, { products, signal }) => {
        const address = target.addresses[0] ?? null;
        this.calls.kms.push({ at: this.clock.now(), host: target.host, address });
        return this.busy(this.delayOf('kms', target.host), signal, () =>
          this.kms(target.host, target.port, address, products),
        );
      },
      trust: (target, { products, signal }) => {
        const address = target.addresses[0] ?? null;
        this.calls.trust.push({ at: this.clock.now(), host: target.host, address });
        return this.busy(0, signal, () => this.trust(target.host, target.port, products));
      },
    };
  }

  private delayOf(kind: 'tcp' | 'kms', host: string): number {
    return this.hostDelays.get(host)?.[kind] ?? this.delays[kind];
  }

  /**
   * The trust kind's controls: refused with 0xC004F042 as a genuine host does, or answered
   * with a count by a host in `emulators`.
   */
  private trust(host: string, port: number, products: readonly PlannedProduct[]): TrustProbeResult {
    const control = (slug: string): KmsProductResult => {
      const [result] = this.kms(host, port, this.address(host), [{ slug, nPolicy: 1 }]);
      return this.emulators.has(host)
        ? (result as KmsProductResult)
        : {
            ...(result as KmsProductResult),
            success: false,
            activeClients: null,
            error: { reason: 'kms_error', code: '0xC004F042', message: 'refused' },
          };
    };
    return {
      unknownId: control('trust:unknown-id'),
      retail: control('trust:retail'),
      echo: [],
      products: products.map((p) => ({
        slug: p.slug,
        name: p.slug,
        counter: 'windows' as const,
        builtIn: false,
        nPolicy: p.nPolicy,
        kmsActivatable: true,
      })),
      timestamp: new Date(this.clock.now()).toISOString(),
      durationSeconds: 0,
      error: this.down.has(host)
        ? { reason: 'connect_refused', code: null, message: 'refused' }
        : null,
    };
  }

  /** Hosts probed with `kind` at `at` (ms after the start), sorted. */
  probedAt(kind: 'tcp' | 'kms' | 'trust', at: number, start: number): string[] {
    return this.calls[kind]
      .filter((c) => c.at === start + at)
      .map((c) => c.host)
      .sort();
  }
}

/** The log lines a poller wrote, parsed. */
export function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { log: createLogger({ level: 'debug', format: 'json', destination }), lines };
}

/** A poller over a fake world, with everything a test looks at. */
export function fakeMonitor(
  plan: MonitorPlan,
  options: { state?: MonitorStateOptions; resolve?: Probers<PlannedProduct>['resolve'] } = {},
) {
  const clock = new FakeClock();
  const world = new FakeWorld(clock);
  const state = new MonitorState(options.state);
  const { log, lines } = capturedLogger();
  const probers = world.probers();
  if (options.resolve) probers.resolve = options.resolve;
  const poller = new Poller(state, plan, probers, log, clock);
  return { clock, world, state, poller, lines, start: clock.now() };
}
