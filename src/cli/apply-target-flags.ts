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
import {
  KEY_REPLACING_FLAGS,
  flagGiven,
  type KeyReplacingFlag,
  type TargetFlags,
} from './key-replacing-flags.js';

export type { TargetFlags } from './key-replacing-flags.js';

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

type Appliers = {
  [F in KeyReplacingFlag]: (
    value: NonNullable<TargetFlags[F]>,
    base: Config,
  ) => Config[(typeof KEY_REPLACING_FLAGS)[F]];
};

/** Each key-replacing flag's value through its key's schema; keyed by the one list. */
const APPLIERS: Appliers = {
  domain: (v) => checked(configSchema.shape.domains.safeParse(v), '--domain', v),
  host: (v) => checked(configSchema.shape.hosts.safeParse(v), '--host', v),
  resolver: (v) => checked(configSchema.shape.resolvers.safeParse(v), '--resolver', v),
  product: (v, base) => productsFor(v, base.products),
  timeout: (v) => checked(configSchema.shape.timeout.safeParse(v), '--timeout', [v]),
};

function applyOne<F extends KeyReplacingFlag>(
  config: Config,
  base: Config,
  flag: F,
  value: TargetFlags[F],
): void {
  if (!flagGiven(value)) return;
  const key: (typeof KEY_REPLACING_FLAGS)[F] = KEY_REPLACING_FLAGS[flag];
  (config as Record<string, unknown>)[key] = APPLIERS[flag](
    value as NonNullable<TargetFlags[F]>,
    base,
  );
}

/** Applies the target flags to a loaded configuration, each through its key's schema. */
export function applyTargetFlags(base: Config, flags: TargetFlags): Config {
  const config = { ...base };
  for (const flag of Object.keys(KEY_REPLACING_FLAGS) as KeyReplacingFlag[]) {
    applyOne(config, base, flag, flags[flag]);
  }
  return config;
}
