/**
 * The round bench's memory figures at estate scale (issue 18's goal: ≤ 200 MiB at 3,000
 * domains × 2 hosts × 3 products, growth per host stated): `kms-monitor serve` measured at
 * each size by bench/lib/serve-estate.ts against one lab fleet of the largest size, the
 * largest judged by the goal, and the growth per KMS host as the slope between the
 * smallest and the largest size of the same run (so what every process has — Node, the
 * code, the web server — cancels out).
 */
import os from 'node:os';
import { figure, type BenchReport, type Figure } from './figures.js';
import { startFleet } from './lab-fleet.js';
import { builtCli, serveEstate, type EstateMemory, type IdleWatch } from './serve-estate.js';
import { deployedRuntime } from './deployed-runtime.js';

const MiB = 2 ** 20;
const GOAL_BYTES = 200 * MiB;
const HOSTS_PER_DOMAIN = 2;
/** What a deployment reads all the time: Prometheus scrapes, a browser on the status page. */
const READS = ['metrics', 'page'] as const;

export interface EstateRun {
  bench: string;
  command: string;
  /** Sizes in domains, e.g. [1000, 3000]. */
  domains: number[];
  rounds: number;
  products: unknown[];
  identity: { cmid: string; workstation: string };
  /** serve's `interval`/`kms_interval`, seconds (1: rounds back to back). */
  intervalSeconds: number;
  /** serve's `kms_interval`, seconds (0: the same as `intervalSeconds`). */
  kmsIntervalSeconds: number;
  /** Seconds serve is watched idle after the last reads, at the largest size only (0: not). */
  idleSeconds: number;
}

function load(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

const mib = (bytes: number | undefined) => ((bytes ?? 0) / MiB).toFixed(1);

/**
 * The resident memory after GC by kind: V8's spaces (committed / used), the anonymous
 * memory outside V8's committed heap (malloc arenas, Buffers, code, thread stacks) and the
 * file-backed part (the node binary and libraries, shared with every Node process).
 */
function breakdown(m: EstateMemory): string {
  const spaces = Object.entries(m.spaces)
    .filter(([, s]) => s.size >= MiB)
    .map(([name, s]) => `${name.replace(/_space$/, '')} ${mib(s.physical)}/${mib(s.used)}`)
    .join(', ');
  const anon = m.smaps['Anonymous'] ?? m.anonRss;
  return (
    `V8 spaces (resident/used MiB) ${spaces}; anonymous ${mib(anon)} MiB of which outside ` +
    `V8's committed heap ${mib(anon - m.heapTotal)} (external ${mib(m.external)}), ` +
    `file-backed ${mib(m.rss - anon)} MiB; after a memory-reducing GC (the kind V8 runs ` +
    `when serve idles between rounds: an estimate) RSS ${mib(m.settled.rss)} MiB, V8 heap committed ` +
    `${mib(m.settled.heapTotal)} MiB`
  );
}

/** When and how far the RSS fell by itself while serve idled (V8's memory reducer). */
function idleNote(idle: IdleWatch): string {
  const drops = idle.rss
    .map((rss, i) => ({ at: i + 1, by: (idle.rss[i - 1] ?? rss) - rss }))
    .filter((d) => d.by >= 4 * MiB)
    .map((d) => `−${mib(d.by)} MiB at ${d.at} s`);
  return (
    `left idle ${idle.seconds} s after the reads (nothing forced${idle.spoiled ? '; SPOILED: a round finished meanwhile' : ''}): ` +
    `RSS ${mib(idle.rss[0])} → ${mib(idle.rss[idle.rss.length - 1])} MiB (lowest ${mib(Math.min(...idle.rss))}), ` +
    `drops ${drops.join(', ') || 'none'}; serve CPU ${idle.cpuSeconds.toFixed(2)} s meanwhile`
  );
}

export async function estateFigures(run: EstateRun): Promise<Omit<BenchReport, 'bench'>> {
  const notes: string[] = [];
  const failures: string[] = [];
  const sizes = [...new Set(run.domains)].sort((a, b) => a - b);
  const { cli, failure } = builtCli();
  if (failure) return { figures: [], notes, failures: [failure] };
  const largest = sizes[sizes.length - 1] ?? 0;
  const fleet = await startFleet({ domains: largest, perDomain: HOSTS_PER_DOMAIN, hosts: 8 });
  const measured: EstateMemory[] = [];
  const deployed = deployedRuntime();
  notes.push(
    `serve started as deploy/systemd/kms-monitor.service starts it: environment ${Object.entries(
      deployed.env,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}; node flags ${deployed.nodeFlags.join(' ') || 'none'}`,
  );
  try {
    for (const domains of sizes) {
      const m = await serveEstate({
        cli,
        fleet,
        domains,
        rounds: run.rounds,
        products: run.products,
        identity: run.identity,
        reads: READS,
        timeoutMs: 15 * 60_000,
        intervalSeconds: run.intervalSeconds,
        ...(run.kmsIntervalSeconds > 0 ? { kmsIntervalSeconds: run.kmsIntervalSeconds } : {}),
        idleSeconds: domains === largest ? run.idleSeconds : 0,
      });
      measured.push(m);
      notes.push(
        `serve at ${domains} domains: rounds ${m.roundSeconds.map((s) => s.toFixed(1)).join(', ')} s, ` +
          `serve CPU ${m.cpuSeconds.toFixed(1)} s from start to the last read; ` +
          `peak ${(m.peakRss / MiB).toFixed(1)} MiB, after GC RSS ${(m.rss / MiB).toFixed(1)} MiB ` +
          `(anonymous ${(m.anonRss / MiB).toFixed(1)}), heap used ${(m.heapUsed / MiB).toFixed(1)} ` +
          `of ${(m.heapTotal / MiB).toFixed(1)} MiB, external ${(m.external / MiB).toFixed(1)} MiB ` +
          `(array buffers ${(m.arrayBuffers / MiB).toFixed(1)}); /metrics ${m.responses.metricsGzip} B gzip; load ${load()}`,
      );
      notes.push(`serve at ${domains} domains, where the RSS is: ${breakdown(m)}`);
      if (m.idle) notes.push(`serve at ${domains} domains, ${idleNote(m.idle)}`);
    }
  } catch (error) {
    failures.push(
      `serve at estate scale: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await fleet.lab.stop();
  }
  const big = measured[measured.length - 1];
  const small = measured[0];
  if (big === undefined || small === undefined) return { figures: [], notes, failures };
  const figures: Figure[] = [];
  const what = (m: EstateMemory) =>
    `kms-monitor serve at ${m.domains} domains × ${HOSTS_PER_DOMAIN} hosts × ${run.products.length} products (${m.rounds} full rounds, /metrics and status page read after each)`;
  const goal = (value: number) =>
    big.domains >= 3000
      ? {
          goal: {
            text: '≤ 200 MiB at 3,000 domains × 2 hosts × 3 products',
            met: value <= GOAL_BYTES,
          },
        }
      : {};
  const sizeFigure = (
    id: string,
    label: string,
    pick: (m: EstateMemory) => number,
    judged: boolean,
  ): Figure =>
    figure({
      id: `${run.bench}.estate.${id}`,
      bench: run.bench,
      name: `${what(big)}: ${label}`,
      value: pick(big) / MiB,
      unit: 'MiB',
      better: 'lower',
      baseline:
        big === small
          ? null
          : { name: `the same at ${small.domains} domains`, value: pick(small) / MiB, unit: 'MiB' },
      ...(judged ? goal(pick(big)) : {}),
      command: run.command,
    });
  figures.push(
    sizeFigure('peak-rss', 'peak RSS', (m) => m.peakRss, true),
    sizeFigure('rss', 'RSS after the rounds, after GC', (m) => m.rss, true),
    sizeFigure('heap', 'V8 heap used after GC', (m) => m.heapUsed, false),
  );
  // Beside the after-GC row, never instead of it: what serve settles at by itself between
  // rounds. Not judged: a scrape or a round can come before V8 settles, and the figure
  // depends on V8's own timing (docs/deployment.md, "Sizing: memory").
  const idle = big.idle;
  if (idle && !idle.spoiled) {
    figures.push(
      figure({
        id: `${run.bench}.estate.idle-rss`,
        bench: run.bench,
        name: `${what(big)}: RSS after ${idle.seconds} s idle after the reads, nothing forced (interval ${run.intervalSeconds} s, kms_interval ${run.kmsIntervalSeconds || run.intervalSeconds} s)`,
        value: (idle.rss[idle.rss.length - 1] ?? 0) / MiB,
        unit: 'MiB',
        better: 'lower',
        baseline: { name: 'RSS after the rounds, after GC', value: big.rss / MiB, unit: 'MiB' },
        command: run.command,
      }),
    );
  }
  if (big !== small) {
    const hosts = (big.domains - small.domains) * HOSTS_PER_DOMAIN;
    const slope = (a: number, b: number) => (b - a) / hosts / 1024;
    const span = `${small.domains} → ${big.domains} domains, ${hosts} hosts`;
    figures.push(
      figure({
        id: `${run.bench}.estate.rss-per-host`,
        bench: run.bench,
        name: `kms-monitor serve: RSS (after GC) growth per KMS host (${run.products.length} products), slope ${span}`,
        value: slope(small.rss, big.rss),
        unit: 'KiB',
        better: 'lower',
        baseline: {
          name: 'V8 heap used growth per host, same slope',
          value: slope(small.heapUsed, big.heapUsed),
          unit: 'KiB',
        },
        command: run.command,
      }),
      figure({
        id: `${run.bench}.estate.peak-per-host`,
        bench: run.bench,
        name: `kms-monitor serve: peak RSS growth per KMS host, slope ${span}`,
        value: slope(small.peakRss, big.peakRss),
        unit: 'KiB',
        better: 'lower',
        baseline: null,
        command: run.command,
      }),
    );
  }
  return { figures, notes, failures };
}
