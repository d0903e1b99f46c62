/**
 * The target flags `serve`, `check` and `discover` share, named after the configuration
 * keys they replace (`--domain` → `domains`, `--host` → `hosts`, `--resolver` →
 * `resolvers`, `--product` → `products`, `--timeout` → `timeout`), and the logging flags.
 * A flag given replaces the file's key; the values go through the same schema as the file,
 * so a bad `--host` is reported like a bad `hosts` entry, naming the flag.
 */
import type { z } from 'zod';
import type { Config } from '../config/schema.js';
import { configSchema } from '../config/schema.js';
import { defaultConfig, loadConfigFile } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { reportedIssue } from '../config/yaml-schema.js';
import { DEFAULT_RESOLV_CONF, readResolvConf } from '../dns/index.js';
import type { ResolvConf } from '../dns/index.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../log/logger.js';
import { oneOf } from './parse.js';
import { productsFor } from './product-flags.js';

export { LOG_USAGE, TARGET_USAGE, logOptions, targetOptions } from './flag-specs.js';

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

/**
 * Whether some domain will be asked at resolv.conf's nameservers (as planFromConfig
 * decides): one without resolvers of its own when no global ones are set, or, with no
 * domains configured, the search domains. Static hosts need none to be checked: an IP
 * needs no lookup and a name without a resolver is a named failure of that host.
 */
function needsSystemResolvers(config: Config, system: ResolvConf): boolean {
  if (config.resolvers.length > 0) return false;
  if (config.domains.length === 0) return system.search.length > 0;
  return config.domains.some((d) => !d.resolvers);
}

/**
 * Reads the resolv.conf the flags name and checks that it gives what the configuration
 * leaves to it, so the error names the file actually read and the flags that would help.
 */
export async function readSystemFor(config: Config, flags: TargetFlags): Promise<ResolvConf> {
  const given = flags['dns.resolv-conf'];
  const path = given ?? DEFAULT_RESOLV_CONF;
  let system: ResolvConf;
  try {
    // Without the flag the DNS layer's own default applies (the OS servers when the
    // default file is missing); a file named on the command line must exist.
    system = await readResolvConf(given);
  } catch (err) {
    const message = (err as Error).message;
    throw new ConfigError(
      message.includes(path) ? message : `cannot read ${path}: ${message}`,
      '--dns.resolv-conf',
    );
  }
  if (system.nameservers.length === 0 && needsSystemResolvers(config, system)) {
    throw new ConfigError(
      `no resolver to ask: give --resolver, set resolvers in the configuration file, or give ${path} a nameserver line`,
      'resolvers',
    );
  }
  return system;
}

/** The configuration with the flags applied, and the resolv.conf it may fall back on. */
export async function loadTargets(
  flags: TargetFlags,
  extra: (config: Config) => Config = (c) => c,
): Promise<{ config: Config; system: ResolvConf }> {
  const base = flags['config.file'] ? await loadConfigFile(flags['config.file']) : defaultConfig();
  const config = extra(applyTargetFlags(base, flags));
  return { config, system: await readSystemFor(config, flags) };
}

/**
 * Loads the configuration file (or the defaults), applies the flags on top and checks
 * that the resolv.conf fallback can fill what is left open.
 */
export async function loadConfigWithFlags(
  flags: TargetFlags,
  extra: (config: Config) => Config = (c) => c,
): Promise<Config> {
  return (await loadTargets(flags, extra)).config;
}

export function logSettings(flags: { 'log.level'?: string; 'log.format'?: string }): {
  level: LogLevel;
  format: LogFormat;
} {
  return {
    level: oneOf('log.level', flags['log.level'], LOG_LEVELS, 'info'),
    format: oneOf('log.format', flags['log.format'], LOG_FORMATS, 'logfmt'),
  };
}
