/**
 * The target flags `serve`, `check` and `discover` share, named after the configuration
 * keys they replace (`--domain` → `domains`, `--host` → `hosts`, `--resolver` →
 * `resolvers`, `--product` → `products`, `--timeout` → `timeout`), and the logging flags.
 * A flag given replaces the file's key; the values go through the same schema as the file,
 * so a bad `--host` is reported like a bad `hosts` entry, naming the flag.
 */
import type { Config } from '../config/schema.js';
import { ConfigError } from '../config/errors.js';
import { DEFAULT_RESOLV_CONF, readResolvConf } from '../dns/index.js';
import type { ResolvConf } from '../dns/index.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../log/logger.js';
import { oneOf } from './parse.js';
import { loadConfigCached } from './cached-config.js';

export { LOG_USAGE, TARGET_USAGE, logOptions, targetOptions } from './flag-specs.js';

export type { TargetFlags } from './key-replacing-flags.js';
import { hasKeyReplacingFlags, type TargetFlags } from './key-replacing-flags.js';

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
  const base = await loadConfigCached(flags['config.file'] || undefined);
  // The schema library loads only for flags that replace keys (cached-config.ts: why).
  const withFlags = hasKeyReplacingFlags(flags)
    ? (await import('./apply-target-flags.js')).applyTargetFlags(base, flags)
    : base;
  const config = extra(withFlags);
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
