/**
 * `npm run bench [-- NAME...]`: runs the benchmarks (docs/performance.md), each in a fresh Node
 * process (so one's RSS, handles and JIT state never colour another's), prints one table
 * and merges the figures into bench/results.json with the machine, date and load of the
 * run. NAME is one or more of: startup kms-probe kms-codec dns tcp round metrics auth-attack soak
 * history status-page-estate fuzz (default: all).
 * Extra `--key value` arguments after the names go to every benchmark selected.
 *
 * Every figure carries its baseline measured in the same run, the ratio and the command
 * that reproduces it; any failure (failed probe, leak, counter mismatch, fuzz finding,
 * crash) is listed and makes the exit code 1. Whole run: about 12 minutes on 2 cores.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, machine, table, type BenchReport, type Figure } from './lib/figures.js';
import { BENCHES, type BenchName, type StoredResults } from './lib/results.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const RESULTS = join(HERE, 'results.json');

/** Cases per property in the fuzz run: at least 100,000 per decoder (a goal in docs/performance.md). */
const FUZZ_RUNS = Number(process.env['FUZZ_RUNS'] ?? 100_000);
/**
 * The fuzz run: the property tests of test/fuzz/ plus the decoder fuzzers the KMS and RPC
 * authors wrote (reused, not duplicated), all with FUZZ_RUNS cases per property.
 */
const FUZZ_FILES = [
  'test/fuzz/dns-decoder.test.ts',
  'test/fuzz/dns-client.test.ts',
  'test/fuzz/config.test.ts',
  'test/fuzz/http.test.ts',
  'test/kms/messages/fuzz.test.ts',
  'test/kms/rpc/fuzz.test.ts',
];

function runScript(name: Exclude<BenchName, 'fuzz'>, extra: string[]): BenchReport {
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-'));
  const report = join(dir, 'report.json');
  // The soak and the history measure the heap after a collection, which needs --expose-gc.
  const flags = name === 'soak' || name === 'history' ? ['--expose-gc'] : [];
  const result = spawnSync(
    process.execPath,
    [...flags, '--import', 'tsx', join(HERE, `${name}.ts`), '--report', report, ...extra],
    { stdio: 'inherit' },
  );
  try {
    if (!existsSync(report)) {
      return {
        bench: name,
        figures: [],
        notes: [],
        failures: [`${name} crashed (exit ${result.status ?? result.signal})`],
      };
    }
    return JSON.parse(readFileSync(report, 'utf8')) as BenchReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one fuzz file to completion; output is buffered so parallel files do not interleave. */
function fuzzFile(
  file: string,
): Promise<{ file: string; status: number | null; output: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', file],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, FUZZ_RUNS: String(FUZZ_RUNS), NODE_ENV: 'test' },
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (status) =>
      resolve({ file, status, output, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

/** The fuzz files, two at a time (one per core): about 4 minutes at 100,000 cases. */
async function runFuzz(): Promise<BenchReport> {
  const figures: Figure[] = [];
  const failures: string[] = [];
  const notes: string[] = [];
  const queue = [...FUZZ_FILES];
  const results: Array<Awaited<ReturnType<typeof fuzzFile>>> = [];
  await Promise.all(
    [0, 1].map(async () => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        const r = await fuzzFile(file);
        process.stdout.write(r.output);
        results.push(r);
      }
    }),
  );
  for (const file of FUZZ_FILES) {
    const r = results.find((x) => x.file === file);
    if (!r) continue;
    const pass = Number(/ℹ pass (\d+)/.exec(r.output)?.[1] ?? 0);
    const fail = Number(/ℹ fail (\d+)/.exec(r.output)?.[1] ?? 0);
    const ok = r.status === 0 && fail === 0;
    if (!ok) failures.push(`${file}: ${fail} failing propert(ies), exit ${r.status}`);
    const id = file.replace(/^test\//, '').replace(/\.test\.ts$/, '');
    // The HTTP fuzz sends real requests: FUZZ_RUNS / 10 of them (not a decoder).
    const cases = file.includes('http') ? Math.round(FUZZ_RUNS / 10) : FUZZ_RUNS;
    figures.push(
      figure({
        id: `fuzz.${id}`,
        bench: 'fuzz',
        name: `fuzz ${id}: ${file.includes('http') ? 'HTTP requests' : 'cases per decoder'} (${pass} properties passed, ${r.seconds.toFixed(0)} s)`,
        value: cases,
        unit: 'cases',
        better: 'higher',
        baseline: file.includes('http')
          ? null
          : { name: 'cases required per decoder', value: 100_000, unit: 'cases' },
        goal: { text: 'nothing but typed errors, no crash, no 5xx', met: ok },
        command: `FUZZ_RUNS=${FUZZ_RUNS} node --import tsx --test ${file}  (all: npm run bench -- fuzz)`,
      }),
    );
    notes.push(`${file}: ${pass} passed, ${fail} failed in ${r.seconds.toFixed(1)} s`);
  }
  return { bench: 'fuzz', figures, notes, failures };
}

function load(): StoredResults | null {
  try {
    return JSON.parse(readFileSync(RESULTS, 'utf8')) as StoredResults;
  } catch {
    return null;
  }
}

const args = process.argv.slice(2);
const names = args.filter((a) => (BENCHES as readonly string[]).includes(a)) as BenchName[];
const unknown = args.filter(
  (a, i) =>
    !a.startsWith('--') && !(args[i - 1] ?? '').startsWith('--') && !names.includes(a as BenchName),
);
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
  process.exit(2);
}
const extra = args.filter((a) => !names.includes(a as BenchName));
const selected = names.length > 0 ? names : [...BENCHES];

const stored = load();
const run: StoredResults = {
  machine: machine(),
  benches: { ...(stored?.benches ?? {}) },
  figures: [...(stored?.figures ?? [])],
};
const reports: BenchReport[] = [];
for (const name of selected) {
  console.log(`\n=== ${name} ===`);
  const at = machine();
  const started = performance.now();
  const report = name === 'fuzz' ? await runFuzz() : runScript(name, extra);
  reports.push(report);
  run.benches[name] = {
    machine: at,
    notes: report.notes,
    failures: report.failures,
    seconds: Math.round((performance.now() - started) / 1000),
  };
  // Replace this benchmark's figures, keep the others' from earlier runs.
  run.figures = [...run.figures.filter((f) => f.bench !== name), ...report.figures];
  writeFileSync(RESULTS, `${JSON.stringify(run, null, 2)}\n`);
}

console.log(
  `\n=== summary (${run.machine.cpus} × ${run.machine.model}, node ${run.machine.node}) ===\n`,
);
console.log(table(reports.flatMap((r) => r.figures)));
for (const r of reports) for (const n of r.notes) console.log(`${r.bench}: ${n}`);
const failures = reports.flatMap((r) => r.failures.map((f) => `${r.bench}: ${f}`));
for (const f of failures) console.log(`FAILURE ${f}`);
console.log(`\nwritten: ${RESULTS}`);
if (failures.length > 0) process.exitCode = 1;
