/**
 * Flags shared by `serve` and `check` (targets and configuration) and by every command
 * that logs. Flags override the configuration file: `--domain` and `--host` replace the
 * file's lists when given.
 */
import type { Config } from '../config/schema.js';
import { configSchema } from '../config/schema.js';
import { defaultConfig, loadConfigFile } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../log/logger.js';
import { oneOf, type OptionSpec } from './parse.js';

export const targetOptions = {
  'config.file': { type: 'string' },
  domain: { type: 'string', multiple: true },
  host: { type: 'string', multiple: true },
  'dns.resolv-conf': { type: 'string' },
} as const satisfies OptionSpec;

export const logOptions = {
  'log.level': { type: 'string' },
  'log.format': { type: 'string' },
} as const satisfies OptionSpec;

export const TARGET_USAGE = `  --config.file=FILE        YAML configuration file (see deploy/kms-monitor.example.yml)
  --domain=DOMAIN           domain whose _vlmcs._tcp SRV records to watch (repeatable;
                            replaces the file's domains)
  --host=HOST[:PORT]        KMS host to probe whether or not DNS publishes it (repeatable;
                            replaces the file's hosts; default port 1688)
  --dns.resolv-conf=FILE    system resolver configuration: nameservers used when no
                            resolvers are configured, search domains when no domains
                            are (default /etc/resolv.conf)`;

export const LOG_USAGE = `  --log.level=LEVEL         debug, info, warn or error (default info)
  --log.format=FORMAT       logfmt or json (default logfmt)`;

export interface TargetFlags {
  'config.file'?: string;
  'dns.resolv-conf'?: string;
  domain?: string[];
  host?: string[];
}

/**
 * Loads the configuration file (or the defaults) and applies the flags on top. The
 * overrides go through the schema too, so a bad `--host` is reported like a bad file.
 */
export async function loadConfigWithFlags(
  flags: TargetFlags,
  extra: (config: Config) => Config = (c) => c,
): Promise<Config> {
  const base = flags['config.file'] ? await loadConfigFile(flags['config.file']) : defaultConfig();
  const overrides: Record<string, unknown> = {};
  if (flags.domain?.length) overrides.domains = flags.domain;
  if (flags.host?.length) overrides.hosts = flags.host;
  if (Object.keys(overrides).length === 0) return extra(base);
  const checked = configSchema.shape.domains.safeParse(overrides.domains ?? []);
  if (!checked.success) {
    throw new ConfigError(checked.error.issues[0]?.message ?? 'invalid', '--domain');
  }
  const hosts = configSchema.shape.hosts.safeParse(overrides.hosts ?? []);
  if (!hosts.success) throw new ConfigError(hosts.error.issues[0]?.message ?? 'invalid', '--host');
  return extra({
    ...base,
    ...(flags.domain?.length ? { domains: checked.data } : {}),
    ...(flags.host?.length ? { hosts: hosts.data } : {}),
  });
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
