/**
 * The target flags applied to a loaded configuration, each through its key's schema, so a
 * bad `--host` is reported like a bad `hosts` entry, naming the flag. Apart from
 * common-flags.ts because it needs the schema library (zod): a `check` or `coverage` run
 * without such flags loads neither it nor the YAML parser (./cached-config.ts).
 */
import type { z } from 'zod';
import type { Config } from '../config/schema.js';
import { configSchema } from '../config/schema.js';
import { ConfigError } from '../config/errors.js';
import { reportedIssue } from '../config/yaml-schema.js';
import { productsFor } from './product-flags.js';

export interface TargetFlags {
  'config.file'?: string;
  'dns.resolv-conf'?: string;
  domain?: string[];
  host?: string[];
  resolver?: string[];
  product?: string[];
  timeout?: string;
}

type SchemaResult<T> = z.ZodSafeParseResult<T>;

/** The parsed value, or a ConfigError naming the flag and the value it refuses. */
function checked<T>(result: SchemaResult<T>, flag: string, values: readonly unknown[]): T {
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const issue = first && reportedIssue(first);
  const at = typeof issue?.path[0] === 'number' ? issue.path[0] : 0;
  const message = issue?.message ?? 'invalid';
  const raw = values[at];
  // Most parsers name the value themselves ('host "x!" is not...'); the others get it added.
  const named = typeof raw !== 'string' || message.includes(raw);
  throw new ConfigError(named ? message : `${JSON.stringify(raw)}: ${message}`, flag);
}

/** Applies the target flags to a loaded configuration, each through its key's schema. */
export function applyTargetFlags(base: Config, flags: TargetFlags): Config {
  const config = { ...base };
  if (flags.domain?.length) {
    config.domains = checked(
      configSchema.shape.domains.safeParse(flags.domain),
      '--domain',
      flags.domain,
    );
  }
  if (flags.host?.length) {
    config.hosts = checked(configSchema.shape.hosts.safeParse(flags.host), '--host', flags.host);
  }
  if (flags.resolver?.length) {
    config.resolvers = checked(
      configSchema.shape.resolvers.safeParse(flags.resolver),
      '--resolver',
      flags.resolver,
    );
  }
  if (flags.product?.length) config.products = productsFor(flags.product, base.products);
  if (flags.timeout !== undefined) {
    config.timeout = checked(configSchema.shape.timeout.safeParse(flags.timeout), '--timeout', [
      flags.timeout,
    ]);
  }
  return config;
}
