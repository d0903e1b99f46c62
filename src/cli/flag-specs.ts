/**
 * The flag specifications and help text of the target and logging flags (common-flags.ts
 * applies them). Kept apart, without imports, so a command that only declares these flags
 * (probe) loads neither the configuration schema nor the logger (docs/performance.md).
 */
import type { OptionSpec } from './parse.js';

export const targetOptions = {
  'config.file': { type: 'string' },
  domain: { type: 'string', multiple: true },
  host: { type: 'string', multiple: true },
  resolver: { type: 'string', multiple: true },
  product: { type: 'string', multiple: true },
  'dns.resolv-conf': { type: 'string' },
  timeout: { type: 'string' },
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
  --resolver=IP[:PORT]      DNS resolver to ask (repeatable; IPv6 as [::1]:5353; replaces
                            the file's resolvers; default port 53)
  --product=SLUG            product to ask every host about (repeatable; replaces the
                            file's products): built-in, the file's custom ones, lab-*
  --dns.resolv-conf=FILE    system resolver configuration: nameservers used when no
                            resolvers are configured, search domains when no domains
                            are (default /etc/resolv.conf)
  --timeout=DURATION        timeout of one SRV lookup, one TCP connect and each KMS
                            phase, e.g. 2s (replaces the file's timeout; default 5s)`;

export const LOG_USAGE = `  --log.level=LEVEL         debug, info, warn or error (default info)
  --log.format=FORMAT       logfmt or json (default logfmt)`;
