/**
 * (4) One full monitor round at scale: 1,000 domains × 2 SRV targets × 3 products against
 * the lab — 1,000 SRV lookups, 2,000 TCP reachability probes and 6,000 KMS exchanges —
 * through the real poller (Poller.runRound with realProbers, MonitorState, the plan built
 * by parseConfig + planFromConfig). Wall time, CPU time of this process, peak RSS and
 * exchanges per second; the baseline is the same lookups and probes called directly on the
 * protocol layers (discoverAll, probeTcp, probeKms with the same concurrency, no poller and
 * no state; the trust kind's control connection too), so the ratio is what the monitor
 * machinery adds.
 *
 *   npm run bench -- round      node --import tsx bench/round.ts [--domains 1000] [--rounds 3]
 *
 * The zone server and the 8 lab KMS hosts (127.0.0.31-38, one port) run in a child process.
 *
 * Then the memory at estate scale, of the real product (bench/lib/serve-estate.ts):
 * `kms-monitor serve` (dist/cli.js, built first) at --estate-domains (default 1,000 and
 * 3,000) × 2 hosts × 3 products, --estate-rounds full KMS rounds each, /metrics and the
 * status page read after every round: peak RSS, RSS and V8 heap after GC, and the growth
 * per host as the slope between the two sizes, measured in the same run. With
 * --estate-interval S (serve's interval; 1, the default, runs rounds back to back) and
 * --estate-idle S (and --estate-kms-interval S: 600 is the default deployment's, a full
 * KMS sweep every 20th round), serve at the largest size is then left alone S seconds and its RSS
 * sampled, to see what V8 gives back by itself between rounds (S must fit in the interval
 * after a round: a round finishing in the watch marks it spoiled).
 */
import os from 'node:os';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { parseConfig } from '../src/config/load.js';
import { discoverAll, parseResolverAddress } from '../src/dns/index.js';
import { mapLimit } from '../src/util/map-limit.js';
import { probeKms, probeTcp, resolveIdentity } from '../src/kms/client/index.js';
import { labProductConfigs } from '../src/lab/index.js';
import { renderStateMetrics } from '../src/metrics/render.js';
import { planFromConfig } from '../src/monitor/plan-from-config.js';
import { Poller } from '../src/monitor/poller.js';
import { realProbers } from '../src/monitor/probers.js';
import { MonitorState } from '../src/monitor/state.js';
import { mergeTargets } from '../src/monitor/targets.js';
import { exchangeTimeouts } from '../src/monitor/kinds/exchange-timeouts.js';
import { trustSpecs } from '../src/monitor/kinds/trust.js';
import { commandFor, figure, median, type BenchReport } from './lib/figures.js';
import { startFleet } from './lib/lab-fleet.js';
import { benchMain } from './lib/main.js';
import { estateFigures } from './lib/estate-figures.js';

const BENCH = 'round';
const PRODUCTS = ['lab-windows', 'lab-windows-server', 'lab-office'];
const CMID = '6a1f2c3d-4b5e-4f60-8a7b-9c0d1e2f3a4b';

interface Measured {
  wallMs: number;
  cpuMs: number;
  exchanges: number;
  failures: number;
}

async function timed(
  work: () => Promise<{ exchanges: number; failures: number }>,
): Promise<Measured> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { exchanges, failures } = await work();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, exchanges, failures };
}

export interface RoundOptions {
  domains: number;
  rounds: number;
  /** Sizes of the estate memory runs (domains); an empty value (`--estate-domains 0`) skips them. */
  estateDomains: number[];
  estateRounds: number;
  /** serve's interval at estate scale, seconds (1: back to back; 30: as deployed by default). */
  estateInterval: number;
  /** serve's kms_interval at estate scale, seconds (0: the same as estateInterval). */
  estateKmsInterval: number;
  /** Seconds serve is watched idle after its last round at the largest size (0: not watched). */
  estateIdle: number;
}

export async function run(options: RoundOptions): Promise<BenchReport> {
  const productConfigs = labProductConfigs().filter((p) => PRODUCTS.includes(p.slug));
  const fleet = await startFleet({ domains: options.domains, perDomain: 2, hosts: 8 });
  const notes: string[] = [];
  const failures: string[] = [];
  const config = parseConfig(
    stringify({
      timeout: '5s',
      concurrency: 64,
      resolvers: [fleet.resolver],
      domains: fleet.domains,
      products: productConfigs,
      identity: { cmid: CMID, workstation: 'kms-monitor-bench' },
      limits: { hosts_total: 100_000 },
    }),
    'bench-round.yml',
  );
  const plan = await planFromConfig(config);
  const identity = resolveIdentity({ cmid: CMID, workstation: 'kms-monitor-bench' });
  const log = pino({ level: 'silent' });
  // Assigned in a closure: declared this way so the checker does not narrow it to null.
  let lastState = null as MonitorState | null;
  const phaseLines: string[] = [];

  // Phase timing: when each kind of probe first started and last finished in a round.
  const phases = { dns: [0, 0], tcp: [Infinity, 0], kms: [Infinity, 0] } as Record<
    'dns' | 'tcp' | 'kms',
    [number, number]
  >;
  const real = realProbers<(typeof plan.products)[number]>(() => identity);
  const timedProbers: typeof real = {
    // The trust kind's controls are a second connection per host per sweep: timed with the rest.
    trust: real.trust,
    discover: async (domains, opts) => {
      phases.dns[0] = performance.now();
      const out = await real.discover(domains, opts);
      phases.dns[1] = performance.now();
      return out;
    },
    tcp: async (target, opts) => {
      phases.tcp[0] = Math.min(phases.tcp[0], performance.now());
      const out = await real.tcp(target, opts);
      phases.tcp[1] = performance.now();
      return out;
    },
    kms: async (target, opts) => {
      phases.kms[0] = Math.min(phases.kms[0], performance.now());
      const out = await real.kms(target, opts);
      phases.kms[1] = performance.now();
      return out;
    },
  };
  const phaseText = (): string =>
    (['dns', 'tcp', 'kms'] as const)
      .map((k) => `${k} ${((phases[k][1] - phases[k][0]) / 1000).toFixed(2)} s`)
      .join(', ');

  const monitorRound = async (): Promise<{ exchanges: number; failures: number }> => {
    const state = new MonitorState();
    phases.tcp = [Infinity, 0];
    phases.kms = [Infinity, 0];
    const poller = new Poller(state, plan, timedProbers, log);
    await poller.runRound({ forceKms: true });
    let exchanges = 0;
    let bad = 0;
    for (const host of state.hosts.values()) {
      if (!host.tcp?.up) bad++;
      for (const r of host.products.values()) {
        exchanges++;
        if (!r.success) bad++;
      }
    }
    lastState = state;
    phaseLines.push(phaseText());
    return { exchanges, failures: bad };
  };

  const bareLines: string[] = [];
  const bare = async (): Promise<{ exchanges: number; failures: number }> => {
    const t0 = performance.now();
    const resolver = parseResolverAddress(fleet.resolver);
    const lookups = await discoverAll(fleet.domains, {
      resolvers: [resolver],
      timeoutMs: plan.timeoutMs,
      concurrency: plan.concurrency,
    });
    const tDns = performance.now();
    const { targets } = mergeTargets(lookups, [], 100_000);
    let bad = 0;
    let exchanges = 0;
    const where = (t: (typeof targets)[number]) => ({
      host: t.host,
      port: t.port,
      ...(t.addresses[0] ? { address: t.addresses[0] } : {}),
    });
    await mapLimit(targets, plan.concurrency, async (t) => {
      if (!(await probeTcp(where(t), { timeoutMs: plan.timeoutMs })).up) bad++;
    });
    const tTcp = performance.now();
    const t = plan.timeoutMs;
    await mapLimit(targets, plan.concurrency, async (target) => {
      const results = await probeKms(where(target), plan.products, {
        identity,
        timeouts: {
          connectMs: t,
          bindMs: t,
          requestMs: t,
          overallMs: t * (2 + 2 * plan.products.length),
        },
      });
      for (const r of results) {
        exchanges++;
        if (!r.success) bad++;
      }
    });
    // The trust kind's controls, as the monitor sends them: a second connection per host
    // each sweep (src/monitor/kinds/trust.ts). Refusals are what they ask for, so no
    // answer counts as a failure here; their CPU is noted apart.
    const tKms = performance.now();
    const trustCpu0 = process.cpuUsage();
    const { specs } = trustSpecs(identity.cmid, plan.products, plan.trust);
    await mapLimit(targets, plan.concurrency, async (target) => {
      await probeKms(where(target), specs, {
        identity,
        timeouts: exchangeTimeouts(plan.timeoutMs, specs.length),
      });
    });
    const trustCpu = process.cpuUsage(trustCpu0);
    bareLines.push(
      `dns ${((tDns - t0) / 1000).toFixed(2)} s, tcp ${((tTcp - tDns) / 1000).toFixed(2)} s, kms ${(
        (tKms - tTcp) /
        1000
      ).toFixed(2)} s, trust ${((performance.now() - tKms) / 1000).toFixed(2)} s ` +
        `(${((trustCpu.user + trustCpu.system) / 1e6).toFixed(2)} s CPU)`,
    );
    return { exchanges, failures: bad };
  };

  const rounds: Measured[] = [];
  const bases: Measured[] = [];
  const rssBefore = process.memoryUsage().rss;
  let labCpu: number;
  try {
    // Warm-up on a tenth of the fleet's domains is not possible without another plan, so
    // the first full round is the warm-up and is not counted.
    const warm = await timed(monitorRound);
    notes.push(`warm-up round: ${(warm.wallMs / 1000).toFixed(2)} s wall`);
    const labCpu0 = await fleet.lab.cpuSeconds();
    for (let i = 0; i < options.rounds; i++) {
      rounds.push(await timed(monitorRound));
      bases.push(await timed(bare));
    }
    labCpu = (await fleet.lab.cpuSeconds()) - labCpu0;
  } finally {
    await fleet.lab.stop();
  }
  const peakRss = process.resourceUsage().maxRSS * 1024;
  for (const [what, list] of [
    ['monitor round', rounds],
    ['bare protocol calls', bases],
  ] as const) {
    for (const m of list) {
      if (m.failures > 0) failures.push(`${what}: ${m.failures} failed probes`);
      if (m.exchanges !== fleet.targets * PRODUCTS.length)
        failures.push(
          `${what}: ${m.exchanges} exchanges, expected ${fleet.targets * PRODUCTS.length}`,
        );
    }
  }

  // The same state, rendered once: /metrics for a real 2,000-host state.
  if (lastState) {
    const t0 = performance.now();
    const text = renderStateMetrics(lastState, plan.products);
    notes.push(
      `/metrics of this state (${lastState.hosts.size} hosts): ${(performance.now() - t0).toFixed(1)} ms, ${text.length} bytes`,
    );
  }

  const wall = median(rounds.map((m) => m.wallMs));
  const cpu = median(rounds.map((m) => m.cpuMs));
  const baseWall = median(bases.map((m) => m.wallMs));
  const baseCpu = median(bases.map((m) => m.cpuMs));
  const exchanges = fleet.targets * PRODUCTS.length;
  const command = commandFor(BENCH);
  const what = `${options.domains} domains × 2 hosts × 3 products`;
  const baseName = 'the same lookups and probes on the protocol layers, no poller/state';
  const figures = [
    figure({
      id: `${BENCH}.wall`,
      bench: BENCH,
      name: `full round wall time (${what}: ${exchanges} KMS exchanges, ${fleet.targets} TCP probes, ${options.domains} SRV lookups)`,
      value: wall / 1000,
      unit: 's',
      better: 'lower',
      baseline: { name: baseName, value: baseWall / 1000, unit: 's' },
      ...(options.domains === 1000
        ? { goal: { text: 'a 6,000-exchange round in under 5 s', met: wall < 5000 } }
        : {}),
      command,
    }),
    figure({
      id: `${BENCH}.cpu`,
      bench: BENCH,
      name: 'full round CPU time of the monitor process',
      value: cpu / 1000,
      unit: 's',
      better: 'lower',
      baseline: { name: baseName, value: baseCpu / 1000, unit: 's' },
      command,
    }),
    figure({
      id: `${BENCH}.rate`,
      bench: BENCH,
      name: 'KMS exchanges per second in a full round',
      value: exchanges / (wall / 1000),
      unit: '/s',
      better: 'higher',
      baseline: { name: baseName, value: exchanges / (baseWall / 1000), unit: '/s' },
      command,
    }),
    figure({
      id: `${BENCH}.rss`,
      bench: BENCH,
      name: 'peak RSS of the monitor process over the rounds',
      value: peakRss / 2 ** 20,
      unit: 'MiB',
      better: 'lower',
      baseline: { name: 'RSS before the first round', value: rssBefore / 2 ** 20, unit: 'MiB' },
      // The bench's own process under tsx, a new state every round: not the product's
      // memory. The goal is judged on `serve` itself (bench/lib/estate-figures.ts).
      note: 'this bench process (tsx loader, a new state per round), not kms-monitor serve',
      command,
    }),
  ];
  notes.push(`phases of the monitor rounds (warm-up first): ${phaseLines.join('; ')}`);
  notes.push(`phases of the bare calls: ${bareLines.join('; ')}`);
  notes.push(
    `lab process CPU (zone server + 8 hosts, both kinds of rounds): ${labCpu.toFixed(1)} s; ` +
      `rounds: ${rounds.map((m) => (m.wallMs / 1000).toFixed(2)).join(', ')} s; bare: ${bases
        .map((m) => (m.wallMs / 1000).toFixed(2))
        .join(', ')} s; load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  if (options.estateDomains.some((n) => n > 0)) {
    const estate = await estateFigures({
      bench: BENCH,
      command,
      domains: options.estateDomains.filter((n) => n > 0),
      rounds: options.estateRounds,
      intervalSeconds: options.estateInterval,
      kmsIntervalSeconds: options.estateKmsInterval,
      idleSeconds: options.estateIdle,
      products: productConfigs,
      identity: { cmid: CMID, workstation: 'kms-monitor-bench' },
    });
    figures.push(...estate.figures);
    notes.push(...estate.notes);
    failures.push(...estate.failures);
  }
  return { bench: BENCH, figures, notes, failures };
}

await benchMain(
  import.meta.url,
  {
    domains: 1000,
    rounds: 3,
    estateDomains: [1000, 3000],
    estateRounds: 2,
    estateInterval: 1,
    estateKmsInterval: 0,
    estateIdle: 0,
  },
  run,
);
