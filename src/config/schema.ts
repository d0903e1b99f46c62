/**
 * The configuration schema. It is the single source of truth: the YAML file is validated
 * against it, and the TypeScript types of the loaded configuration are inferred from it.
 * Durations are written as `30s`, `10m`, `1h` in YAML and held as milliseconds. Names and
 * addresses come out canonical (lower case, no trailing dot, IPv6 compressed), so that two
 * spellings of one domain, resolver or host are recognised as one and refused as a
 * duplicate instead of becoming two series with different values.
 */
import { z } from 'zod';
import { formatDuration, parseDuration } from './duration.js';
import { formatHostPort, parseHostPort } from './address.js';
import { checkDnsName, normalizeDomain } from '../dns/names.js';
import { parseResolverAddress, resolverLabel } from '../dns/resolver-address.js';
import { uniqueBy } from './unique.js';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SLUG = /^[a-z0-9][a-z0-9.-]{0,62}$/;

/**
 * The longest delay setTimeout holds (2^31 − 1 ms, about 24.8 days): Node runs a longer
 * one after 1 ms instead, which would turn `interval: 30d` into a busy loop.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** The longest `timeout`; as `discover --timeout` allows. */
export const MAX_TIMEOUT_MS = 300_000;

const duration = (min: number, max: number) =>
  z.string().transform((text, ctx) => {
    try {
      const ms = parseDuration(text);
      if (ms < min) {
        ctx.addIssue({
          code: 'custom',
          message: `must be at least ${formatDuration(min)}, got ${text}`,
        });
        return z.NEVER;
      }
      if (ms > max) {
        const why = max === MAX_TIMER_MS ? ' (the longest timer Node.js can set)' : '';
        ctx.addIssue({
          code: 'custom',
          message: `must be at most ${formatDuration(max)}${why}, got ${text}`,
        });
        return z.NEVER;
      }
      return ms;
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });

/** A string turned into its canonical form by `canonical`, whose Error message is the issue. */
const canonicalString = (canonical: (text: string) => string) =>
  z.string().transform((text, ctx) => {
    try {
      return canonical(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });

/**
 * `ip[:port]` of a DNS resolver; port 53 unless given. Checked by the very parser the DNS
 * layer uses, so that nothing the schema accepts is refused later; held as its label
 * (`10.0.0.1:53`, `[2001:db8::53]:53`).
 */
const resolver = canonicalString((text) => resolverLabel(parseResolverAddress(text)));
const resolverList = z.array(resolver).superRefine(uniqueBy((r) => r, 'resolver'));

/** `host[:port]` of a KMS host; port 1688 unless given; held as `host:port`. */
const kmsHost = canonicalString((text) => {
  try {
    return formatHostPort(parseHostPort(text, 1688));
  } catch (err) {
    throw new Error(`host ${(err as Error).message}`, { cause: err });
  }
});

/** A domain (see checkDnsName); a leading `_vlmcs._tcp.` is dropped. */
const domainName = canonicalString(normalizeDomain);
const hostName = canonicalString((text) => checkDnsName(text, 'host name'));

const domainEntry = z.union([
  domainName,
  z.strictObject({
    name: domainName,
    /** Resolvers asked for this domain instead of the global ones (split-horizon DNS). */
    resolvers: resolverList.min(1).optional(),
    /** Host names that must be published in this domain's SRV set; a missing one is reported. */
    expected_hosts: z
      .array(hostName)
      .superRefine(uniqueBy((h) => h, 'expected host'))
      .optional(),
  }),
]);

const guid = z.string().regex(GUID, 'not a GUID (8-4-4-4-12 hex digits)');

/** A product the built-in table lacks: what to put in the KMS request for it. */
const customProduct = z.strictObject({
  slug: z.string().regex(SLUG, 'slug: lowercase letters, digits, dots and dashes'),
  name: z.string().min(1).max(100),
  application_id: guid,
  kms_counted_id: guid,
  sku_id: guid,
  n_policy: z.number().int().min(1).max(50),
  protocol: z.union([z.literal(4), z.literal(5), z.literal(6)]),
});

const productEntry = z.union([
  z.string().regex(SLUG, 'product slug: lowercase letters, digits, dots and dashes'),
  customProduct,
]);

export const configSchema = z.strictObject({
  /** DNS discovery and TCP reachability every `interval`. */
  interval: duration(1000, MAX_TIMER_MS).default(30_000),
  /** The full KMS exchange every `kms_interval`: each one is a real activation request. */
  kms_interval: duration(1000, MAX_TIMER_MS).default(600_000),
  /**
   * Timeout of one DNS lookup, one TCP probe and each KMS exchange phase. At most 5 minutes:
   * a probe's overall deadline is a multiple of it and must stay a valid timer.
   */
  timeout: duration(10, MAX_TIMEOUT_MS).default(5_000),
  /** How many probes run at once. */
  concurrency: z.number().int().min(1).max(4096).default(64),
  /** Global resolvers; empty means the nameservers of /etc/resolv.conf. */
  resolvers: resolverList.default([]),
  /** Domains whose `_vlmcs._tcp` SRV records are watched; empty means the resolv.conf search list. */
  domains: z
    .array(domainEntry)
    .superRefine(uniqueBy((d) => (typeof d === 'string' ? d : d.name), 'domain'))
    .default([]),
  /** KMS hosts probed whether or not DNS publishes them. */
  hosts: z
    .array(kmsHost)
    .superRefine(uniqueBy((h) => h, 'host'))
    .default([]),
  /** Products probed on every host: built-in slugs or custom definitions. Empty means the default set. */
  products: z.array(productEntry).default([]),
  identity: z
    .strictObject({
      /** The client machine ID the monitor presents; default derived from the host name. */
      cmid: guid.optional(),
      /** Workstation name sent in requests and logged by the host (event 12290). */
      workstation: z.string().min(1).max(63).optional(),
    })
    .default({}),
  limits: z
    .strictObject({
      /** SRV records kept per domain and resolver; the rest is counted, not probed. */
      records_per_domain: z.number().int().min(1).max(10_000).default(100),
      /** KMS hosts probed in total; protects Prometheus from a hostile or broken zone. */
      hosts_total: z.number().int().min(1).max(100_000).default(1_000),
    })
    .default({ records_per_domain: 100, hosts_total: 1_000 }),
  web: z
    .strictObject({
      /** `[host]:port` to serve /metrics, the status page and the API on. */
      listen_address: z.string().default(':9688'),
    })
    .default({ listen_address: ':9688' }),
});

/** The configuration as written in YAML. */
export type ConfigInput = z.input<typeof configSchema>;
/** The configuration after validation and defaults (durations in milliseconds). */
export type Config = z.output<typeof configSchema>;
export type CustomProductConfig = z.output<typeof customProduct>;
export type DomainConfig = z.output<typeof domainEntry>;
