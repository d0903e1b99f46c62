/**
 * The configuration schema. It is the single source of truth: the YAML file is validated
 * against it, the TypeScript types of the loaded configuration are inferred from it, and
 * it is where every value is parsed, once: durations become milliseconds, hosts and
 * resolvers their address objects, names their canonical form (lower case, no trailing
 * dot, IDNs in punycode, IPv6 compressed) and product entries the product objects. What
 * comes out is what the plan uses as it is; two spellings of one domain, resolver or host
 * are one value, refused as a duplicate instead of becoming two series.
 */
import { z } from 'zod';
import { formatDuration, parseDuration } from './duration.js';
import { parseHostPort } from './address.js';
import { guid, productList } from './products.js';
import { checkDnsName, normalizeDomain } from '../dns/index.js';
import { parseResolverAddress, resolverLabel } from '../dns/index.js';
import { hostKey } from '../util/host-port.js';
import { uniqueBy } from './unique.js';
import { adbaForestList } from './adba.js';
import { KMS_PORT, MAX_TIMEOUT_MS } from './limits.js';
import {
  allowedHosts,
  checkPinsAllowed,
  pinnedIdentities,
  trustSettings,
} from './authorization.js';

export { KMS_PORT, MAX_TIMEOUT_MS };

/**
 * The longest delay setTimeout holds (2^31 − 1 ms, about 24.8 days): Node runs a longer
 * one after 1 ms instead, which would turn `interval: 30d` into a busy loop.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A string turned into a value by `parse`, whose Error message is the issue. */
const parsed = <T>(parse: (text: string) => T) =>
  z.string().transform((text, ctx): T => {
    try {
      return parse(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });

const duration = (min: number, max: number) =>
  parsed((text) => {
    const ms = parseDuration(text);
    if (ms < min) throw new Error(`must be at least ${formatDuration(min)}, got ${text}`);
    if (ms > max) {
      const why = max === MAX_TIMER_MS ? ' (the longest timer Node.js can set)' : '';
      throw new Error(`must be at most ${formatDuration(max)}${why}, got ${text}`);
    }
    return ms;
  });

/**
 * `ip[:port]` of a DNS resolver; port 53 unless given. Parsed by the DNS layer's own
 * parser into the address it sends to, so nothing the schema accepts is refused later.
 */
const resolver = parsed((text) => parseResolverAddress(text));
const resolverList = z.array(resolver).superRefine(uniqueBy(resolverLabel, 'resolver'));

/** `host[:port]` of a KMS host; port 1688 unless given. */
const kmsHost = parsed((text) => {
  try {
    return parseHostPort(text, KMS_PORT);
  } catch (err) {
    throw new Error(`host ${(err as Error).message}`, { cause: err });
  }
});

/** A domain (see checkDnsName); a leading `_vlmcs._tcp.` is dropped. */
const domainName = parsed(normalizeDomain);
const hostName = parsed((text) => checkDnsName(text, 'host name'));

const domainObject = z
  .strictObject({
    name: domainName,
    /** Resolvers asked for this domain instead of the global ones (split-horizon DNS). */
    resolvers: resolverList.min(1).optional(),
    /** Host names that must be published in this domain's SRV set; a missing one is reported. */
    expected_hosts: z
      .array(hostName)
      .superRefine(uniqueBy((h) => h, 'expected host'))
      .optional(),
    /** Host names or addresses that may be published here; any other is `host_not_allowed`. */
    allowed_hosts: allowedHosts.optional(),
    /** Host → the ePIDs / HWIDs it must answer with; another is `host_identity_changed`. */
    pinned_hosts: pinnedIdentities.optional(),
    /**
     * Migrations: `{new host: old host}`, the old one replaced by the new (docs/coverage.md
     * §8). Once the new host works, the old one still published (or answering) is reported.
     */
    replaces: z.record(hostName, hostName).optional(),
  })
  .superRefine(checkPinsAllowed);

/** A domain alone or with its settings; held as the object either way. */
const domainEntry = z.union([
  domainName.transform((name): z.output<typeof domainObject> => ({ name })),
  domainObject,
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
    .superRefine(uniqueBy((d) => d.name, 'domain'))
    .default([]),
  /** KMS hosts probed whether or not DNS publishes them. */
  hosts: z.array(kmsHost).superRefine(uniqueBy(hostKey, 'host')).default([]),
  /** Products probed on every host: built-in slugs or custom definitions. Empty means the default set. */
  products: productList,
  identity: z
    .strictObject({
      /** The client machine ID the monitor presents; default derived from the host name. */
      cmid: guid.optional(),
      /** Workstation name sent in requests and logged by the host (event 12290). */
      workstation: z.string().min(1).max(63).optional(),
    })
    .default({}),
  /** The authenticity checks' optional requests (docs/trust.md). */
  trust: trustSettings,
  limits: z
    .strictObject({
      /** SRV records kept per domain and resolver; the rest is counted, not probed. */
      records_per_domain: z.number().int().min(1).max(10_000).default(100),
      /** KMS hosts probed in total; protects Prometheus from a hostile or broken zone. */
      hosts_total: z.number().int().min(1).max(100_000).default(1_000),
    })
    .default({ records_per_domain: 100, hosts_total: 1_000 }),
  /**
   * Forests whose Active Directory-Based Activation objects are read over LDAP (read-only,
   * docs/adba.md); empty: no ADBA collector.
   */
  adba: adbaForestList.default([]),
  /** How often each forest's activation objects are listed: they change rarely. */
  adba_interval: duration(10_000, MAX_TIMER_MS).default(3_600_000),
  history: z
    .strictObject({
      /**
       * How long the status page and API keep each host's history (README, "History");
       * its memory grows with retention / kms_interval.
       */
      retention: duration(3_600_000, 31 * 86_400_000).default(7 * 86_400_000),
    })
    .default({ retention: 7 * 86_400_000 }),
  web: z
    .strictObject({
      /** `[host]:port` to serve /metrics, the status page and the API on. */
      listen_address: z.string().default(':9688'),
    })
    .default({ listen_address: ':9688' }),
});

/** The configuration as written in YAML. */
export type ConfigInput = z.input<typeof configSchema>;
/** The configuration after validation and defaults: parsed values, ready for the plan. */
export type Config = z.output<typeof configSchema>;
export type DomainConfig = z.output<typeof domainEntry>;
