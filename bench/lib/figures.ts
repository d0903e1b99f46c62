/**
 * What every benchmark reports: figures, each next to a baseline measured in the same run
 * on the same machine, the ratio between them, and the command that reproduces it. The
 * runner (bench/run.ts) collects these from each benchmark's child process and writes
 * bench/results.json; a benchmark run on its own prints the same table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export interface Baseline {
  /** What the baseline is, e.g. "bare TCP connect+close to the same port". */
  name: string;
  value: number;
  unit: string;
}

export interface Figure {
  /** Stable key, e.g. `kms-probe.c1.p50`: results.json is merged by it. */
  id: string;
  /** The benchmark that produced it (`npm run bench -- <bench>`). */
  bench: string;
  name: string;
  value: number;
  unit: string;
  /** Whether a lower or a higher value is better (for the ratio's reading). */
  better: 'lower' | 'higher';
  baseline: Baseline | null;
  /** value / baseline.value (null without a baseline). */
  ratio: number | null;
  /** The goal (docs/performance.md) this figure is judged by, if any. */
  goal?: { text: string; met: boolean };
  command: string;
  note?: string;
}

export interface BenchReport {
  bench: string;
  figures: Figure[];
  /** Free text: load, failures, caveats; printed under the table and kept in results.json. */
  notes: string[];
  /** Any failure (probe failed, leak found, crash): makes `npm run bench` exit non-zero. */
  failures: string[];
}

export function figure(
  f: Omit<Figure, 'ratio' | 'baseline'> & { baseline?: Baseline | null },
): Figure {
  const baseline = f.baseline ?? null;
  const ratio = baseline && baseline.value !== 0 ? f.value / baseline.value : null;
  return { ...f, baseline, ratio };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export interface Machine {
  cpus: number;
  model: string;
  memoryBytes: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages when the run started: a busy machine slows everything. */
  loadavg: number[];
  date: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
    date: new Date().toISOString(),
  };
}

/** Number formatting for the table: 3 significant digits, integers kept whole. */
export function fmt(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  const abs = Math.abs(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  if (abs >= 1000) return Math.round(n).toLocaleString('en-US');
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

export function ratioText(f: Figure): string {
  if (f.ratio === null) return '–';
  if (f.ratio >= 10) return `×${f.ratio.toFixed(1)}`;
  return `×${f.ratio >= 0.1 ? f.ratio.toFixed(2) : f.ratio.toPrecision(2)}`;
}

/** A Markdown table of figures (the same text the runner prints and docs/performance.md quotes). */
export function table(figures: readonly Figure[]): string {
  const lines = [
    '| figure | value | baseline | baseline value | ratio | goal |',
    '|---|---:|---|---:|---:|---|',
  ];
  for (const f of figures) {
    const goal = f.goal ? `${f.goal.met ? 'met' : 'MISSED'}: ${f.goal.text}` : '';
    lines.push(
      `| ${f.name} | ${fmt(f.value)} ${f.unit} | ${f.baseline?.name ?? '–'} | ${
        f.baseline ? `${fmt(f.baseline.value)} ${f.baseline.unit}` : '–'
      } | ${ratioText(f)} | ${goal} |`,
    );
  }
  return lines.join('\n');
}

/**
 * The end of every benchmark's main: prints the table, and when the runner passed
 * `--report FILE`, writes the report there as JSON. Failures set the exit code.
 */
export function finish(report: BenchReport, reportFile: string | undefined): void {
  console.log(`\n${table(report.figures)}`);
  for (const note of report.notes) console.log(`note: ${note}`);
  for (const failure of report.failures) console.log(`FAILURE: ${failure}`);
  if (reportFile) writeFileSync(reportFile, JSON.stringify(report, null, 2));
  if (report.failures.length > 0) process.exitCode = 1;
}

/** `npm run bench -- <name>` and the direct command, for every figure's `command`. */
export function commandFor(bench: string, args = ''): string {
  return `npm run bench -- ${bench}${args ? ` ${args}` : ''}  (or: node --import tsx bench/${bench}.ts${args ? ` ${args}` : ''})`;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}
