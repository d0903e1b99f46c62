/**
 * Flag parsing for every subcommand, on node's util.parseArgs. Flags are Prometheus
 * style (`--web.listen-address=:9688` or `--web.listen-address :9688`); a wrong flag is a
 * UsageError (exit code 2) with a message that says which.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

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
    throw new UsageError((err as Error).message.replace(/\. To specify a positional.*$/s, ''));
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
