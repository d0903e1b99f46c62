/**
 * The command line every benchmark script shares: `--name value` options with defaults
 * (numbers, or comma-separated lists of numbers) plus `--report FILE` from bench/run.ts.
 * A script calls benchMain at top level; it runs only when the script is the entry point,
 * so the runner and tests can import a script's `run` without starting it.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { finish, type BenchReport } from './figures.js';

type OptionValue = number | number[];

/** maxSeconds → max-seconds: the flag spelling of an option key. */
function flagOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function parseNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`--${flag}: expected a number ≥ 0, got ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * When `moduleUrl` (the script's import.meta.url) is the process's entry point: parses
 * the options named by `defaults`, runs the benchmark and hands its report to finish().
 */
export async function benchMain<Options extends Record<string, OptionValue>>(
  moduleUrl: string,
  defaults: Options,
  run: (options: Options) => Promise<BenchReport>,
): Promise<void> {
  const entry = process.argv[1];
  if (entry === undefined || moduleUrl !== pathToFileURL(entry).href) return;
  const keys = Object.keys(defaults);
  const { values } = parseArgs({
    strict: true,
    options: {
      report: { type: 'string' },
      ...Object.fromEntries(
        keys.map((key) => [
          flagOf(key),
          { type: 'string' as const, default: String(defaults[key]) },
        ]),
      ),
    },
  });
  const given = values as Record<string, string | undefined>;
  const options: Record<string, OptionValue> = {};
  for (const key of keys) {
    const flag = flagOf(key);
    const text = given[flag] ?? '';
    options[key] = Array.isArray(defaults[key])
      ? text.split(',').map((part) => parseNumber(flag, part))
      : parseNumber(flag, text);
  }
  finish(await run(options as Options), given['report']);
}
