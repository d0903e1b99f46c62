/**
 * Flag parsing for every subcommand, on node's util.parseArgs. Flags are Prometheus
 * style (`--web.listen-address=:9688` or `--web.listen-address :9688`); a wrong flag is a
 * UsageError (exit code 2, or 3 UNKNOWN for `check`) with a message that says which, and
 * an unknown flag gets the nearest known ones ("did you mean --product?").
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from './suggest.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** `--name` for every option of a spec, `--help` included: what a command accepts. */
export function flagNames(options: OptionSpec): string[] {
  return ['--help', ...Object.keys(options).map((name) => `--${name}`)];
}

export function parseFlags<O extends OptionSpec>(
  argv: string[],
  options: O,
  { positionals = false } = {},
) {
  try {
    return parseArgs({
      args: argv,
      options: { help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals: positionals,
      strict: true,
    });
  } catch (err) {
    const error = err as Error & { code?: string };
    if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']*)'/.exec(error.message)?.[1] ?? '';
      const name = flag.split('=')[0] ?? flag;
      throw new UsageError(`unknown flag ${name}${didYouMean(name, flagNames(options))}`);
    }
    if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const word = /'([^']*)'/.exec(error.message)?.[1] ?? '';
      throw new UsageError(
        `unexpected argument ${JSON.stringify(word)}: this command takes flags only`,
      );
    }
    // One line: `check` prints the message as its Nagios status line.
    throw new UsageError(
      error.message.replace(/\. To specify a positional.*$/s, '').replace(/\s*\n\s*/g, ' '),
    );
  }
}

/** Keeps only allowed values, for enum-like flags such as --log.format. */
export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    `--${flag} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`,
  );
}
