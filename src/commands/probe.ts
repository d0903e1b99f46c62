/**
 * `kms-monitor probe HOST[:PORT]`: one real KMS exchange per product against one host, as a
 * Windows or Office client would do it, and the host's answer in words (or the docs/design.md
 * JSON with --json). A thin wrapper over src/kms/client: the poller runs the same code.
 *
 * Products come from the built-in table and the lab's products (so `--product lab-windows`
 * works against `kms-monitor demo` or a test lab host). The probe registers this machine's
 * CMID on the host once (docs/design.md principle 2): running it again only refreshes that entry.
 *
 * A host NAME is resolved by kms-monitor's own DNS client (A and AAAA, src/dns/), at the
 * --resolver given or else the nameservers of resolv.conf — never silently by the
 * operating system's resolver, so the probe sees the address the monitor would.
 */
import type { Command } from '../cli/command.js';
import { UsageError, parseFlags } from '../cli/parse.js';
import { targetOptions } from '../cli/flag-specs.js';
import { oneShotCommand, processIo, reportResults } from '../cli/one-shot-command.js';
import type { CommandIo } from '../cli/one-shot-command.js';
import { knownProductSlugs, normalizeSlugs, unknownProductError } from '../cli/products.js';
import { parseHostPort } from '../config/address.js';
import { parseDuration } from '../config/duration.js';
import { KMS_PORT as KMS_DEFAULT_PORT, MAX_TIMEOUT_MS } from '../config/limits.js';
import {
  DEFAULT_RESOLV_CONF,
  parseResolverAddress,
  readResolvConf,
  resolverLabel,
  type ResolverAddress,
} from '../dns/index.js';
import { resolveHostAddresses } from '../dns/index.js';
import { ipFamily } from '../util/ip-family.js';
import {
  IdentityError,
  noAddressResults,
  parseCmid,
  parseWorkstation,
  probeKms,
  resolveIdentity,
} from '../kms/client/index.js';
import type {
  KmsIdentity,
  KmsProductResult,
  KmsProductSpec,
  KmsTimeouts,
} from '../kms/client/index.js';
import { defaultProductSlugs, findProduct } from '../kms/products/index.js';
import { isKmsProtocolVersion, type KmsProtocolVersion } from '../kms/protocol-version.js';
import { LAB_PRODUCTS, findLabProduct } from '../lab/lab-products.js';
import { formatProbeReport } from './probe-format.js';
import type { ProductLabel, Resolution } from './probe-format.js';

const DEFAULT_TIMEOUT_MS = 10_000;

const USAGE = `Usage: kms-monitor probe HOST[:PORT] [flags]

Sends a real KMS activation request for each product to one KMS host (default port ${KMS_DEFAULT_PORT})
and shows its answer: ePID (host OS build, host key install date), HWID, the client count
against the product's activation threshold, and the activation/renewal intervals. All
products go over one connection. Like every KMS client, the probe adds this machine's
client ID (CMID) to the host's count once; running it again only refreshes that entry.

Flags:
  --product=SLUG        product to ask about (repeatable; default: ${defaultProductSlugs.join(', ')});
                        built-in products and the lab's (${LAB_PRODUCTS.map((p) => p.slug).join(', ')})
  --protocol=4|5|6      send this protocol version for every product (no fallback);
                        default: each product's own version, lower ones after 0x8007000D
  --timeout=DURATION    give up after DURATION, name lookup and all products included
                        (default 10s)
  --resolver=IP[:PORT]  DNS resolver that resolves a HOST name (repeatable, each asked;
                        IPv6 as [::1]:5353); default: the nameservers of --dns.resolv-conf
  --dns.resolv-conf=FILE where the default resolvers come from (default /etc/resolv.conf)
  --cmid=GUID           client machine ID to send (default: derived from this host name)
  --workstation=NAME    workstation name the host logs (default: kms-monitor.<host name>)
  --json                print a JSON array, one object per product
  -h, --help            show this help

Exit status: 0 when every product was answered, 1 when any failed, 2 for usage errors.`;

const options = {
  product: targetOptions.product,
  protocol: { type: 'string' },
  timeout: targetOptions.timeout,
  resolver: targetOptions.resolver,
  'dns.resolv-conf': targetOptions['dns.resolv-conf'],
  cmid: { type: 'string' },
  workstation: { type: 'string' },
  json: { type: 'boolean' },
} as const;

interface Plan {
  target: { host: string; port: number };
  products: KmsProductSpec[];
  labels: Map<string, ProductLabel>;
  protocol: KmsProtocolVersion | undefined;
  timeouts: KmsTimeouts;
  identity: KmsIdentity;
  json: boolean;
  /** Set when the host is a name: who resolves it. */
  resolvers: ResolverAddress[] | null;
  timeoutMs: number;
}

type ResolvedProduct = KmsProductSpec & ProductLabel;

/** A built-in product, else a lab product, by slug. */
function resolveProduct(slug: string): ResolvedProduct | undefined {
  return findProduct(slug) ?? findLabProduct(slug);
}

function parseProducts(slugs: readonly string[]): ResolvedProduct[] {
  return normalizeSlugs(slugs).map((slug) => {
    const product = resolveProduct(slug);
    if (product === undefined) throw unknownProductError(slug, knownProductSlugs());
    return product;
  });
}

function parseResolvers(texts: readonly string[]): ResolverAddress[] {
  return texts.map((text) => {
    try {
      return parseResolverAddress(text);
    } catch (error) {
      throw new UsageError(`--resolver: ${(error as Error).message}`);
    }
  });
}

/** The resolvers for a host name: --resolver, else resolv.conf's nameservers, else an error. */
async function resolversFor(
  host: string,
  given: ResolverAddress[],
  file: string | undefined,
): Promise<ResolverAddress[]> {
  if (given.length > 0) return given;
  const path = file ?? DEFAULT_RESOLV_CONF;
  let nameservers: ResolverAddress[];
  try {
    // No file named: the DNS layer's default (the OS servers when the default file is missing).
    nameservers = (await readResolvConf(file)).nameservers;
  } catch (error) {
    const message = (error as Error).message;
    throw new UsageError(
      `--dns.resolv-conf: ${message.includes(path) ? message : `cannot read ${path}: ${message}`}`,
    );
  }
  if (nameservers.length === 0) {
    throw new UsageError(
      `no resolver for the host name ${JSON.stringify(host)}: give --resolver, or a nameserver line in ${path}`,
    );
  }
  return nameservers;
}

function parseProtocol(text: string | undefined): KmsProtocolVersion | undefined {
  if (text === undefined) return undefined;
  const version = /^\d$/.test(text) ? Number(text) : NaN;
  if (isKmsProtocolVersion(version)) return version;
  throw new UsageError(`--protocol must be 4, 5 or 6; got ${JSON.stringify(text)}`);
}

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  let value: number;
  try {
    value = parseDuration(text);
  } catch (error) {
    throw new UsageError(`--timeout: ${(error as Error).message}`);
  }
  if (value <= 0 || value > MAX_TIMEOUT_MS)
    throw new UsageError('--timeout must be between 1ms and 5m');
  return value;
}

/** Checks --cmid and --workstation, each error naming its flag. */
function parseIdentity(cmid: string | undefined, workstation: string | undefined): KmsIdentity {
  const checked = (flag: string, text: string | undefined, parse: (t: string) => string) => {
    if (text === undefined) return undefined;
    try {
      return parse(text);
    } catch (error) {
      if (error instanceof IdentityError) throw new UsageError(`--${flag}: ${error.message}`);
      throw error;
    }
  };
  return resolveIdentity({
    cmid: checked('cmid', cmid, parseCmid),
    workstation: checked('workstation', workstation, parseWorkstation),
  });
}

async function plan(argv: string[], io: CommandIo): Promise<Plan | 'help'> {
  const { values, positionals } = parseFlags(argv, options, { positionals: true });
  if (values.help) return 'help';
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'missing HOST[:PORT]'
        : `one HOST[:PORT] only; got ${positionals.join(' ')}`,
    );
  }
  let target: { host: string; port: number };
  try {
    target = parseHostPort(positionals[0] ?? '', KMS_DEFAULT_PORT);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const products = parseProducts(values.product ?? defaultProductSlugs);
  const identity = parseIdentity(values.cmid, values.workstation);
  const protocol = parseProtocol(values.protocol);
  // One knob for an interactive tool: every phase and the whole probe share the limit.
  const timeoutMs = parseTimeout(values.timeout);
  const given = parseResolvers(values.resolver ?? []);
  const resolvers =
    ipFamily(target.host) !== 0
      ? null
      : await resolversFor(target.host, given, values['dns.resolv-conf'] ?? io.resolvConfPath);
  return {
    target,
    products,
    labels: new Map(
      // With a forced version a lower protocol is no fallback, so no first version is given.
      products.map((p) => [
        p.slug,
        { slug: p.slug, name: p.name, protocol: protocol === undefined ? p.protocol : undefined },
      ]),
    ),
    protocol,
    timeouts: {
      connectMs: timeoutMs,
      bindMs: timeoutMs,
      requestMs: timeoutMs,
      overallMs: timeoutMs,
    },
    identity,
    json: values.json ?? false,
    resolvers,
    timeoutMs,
  };
}

/**
 * Resolves the host name with kms-monitor's DNS client, then runs the exchange against
 * the first address in connection order, within what is left of the one --timeout.
 */
async function runProbe(
  settings: Plan,
  signal: AbortSignal,
): Promise<{ results: KmsProductResult[]; resolution?: Resolution }> {
  const started = performance.now();
  let target: { host: string; port: number; address?: string } = settings.target;
  let resolution: Resolution | undefined;
  if (settings.resolvers !== null) {
    const found = await resolveHostAddresses(settings.target.host, {
      resolvers: settings.resolvers,
      timeoutMs: settings.timeoutMs,
      signal,
    });
    resolution = {
      resolvers: settings.resolvers.map(resolverLabel),
      addresses: found.addresses,
    };
    const first = found.addresses[0];
    if (first === undefined) {
      const why = found.error?.message ?? `${settings.target.host} has no A or AAAA record`;
      return {
        results: noAddressResults(settings.target, settings.products, why),
        resolution,
      };
    }
    target = { ...settings.target, address: first };
  }
  // The name lookup came out of the same budget; whole milliseconds keep messages readable.
  const left =
    resolution === undefined
      ? settings.timeoutMs
      : Math.max(1, Math.round(settings.timeoutMs - (performance.now() - started)));
  const results = await probeKms(target, settings.products, {
    identity: settings.identity,
    timeouts: { ...settings.timeouts, overallMs: left },
    protocol: settings.protocol,
    signal,
  });
  return resolution === undefined ? { results } : { results, resolution };
}

/** The docs/design.md object, in its key order, then the extra fields (phases, timestamp, association). */
export function probeResultToJson(r: KmsProductResult): Record<string, unknown> {
  return {
    host: r.host,
    port: r.port,
    address: r.address,
    product: r.product,
    success: r.success,
    protocol: r.protocol,
    epid: r.epid,
    hwid: r.hwid,
    hostBuild: r.hostBuild,
    keyInstallDate: r.keyInstallDate,
    activeClients: r.activeClients,
    threshold: r.threshold,
    activationIntervalMinutes: r.activationIntervalMinutes,
    renewalIntervalMinutes: r.renewalIntervalMinutes,
    durationSeconds: r.durationSeconds,
    error:
      r.error === null
        ? null
        : { reason: r.error.reason, code: r.error.code, message: r.error.message },
    phases: r.phases,
    timestamp: r.timestamp,
    association: r.association ?? null,
  };
}

export function createProbeCommand(io: CommandIo = processIo): Command {
  return oneShotCommand(
    {
      name: 'probe',
      summary: 'run a KMS exchange against one host and show its answer',
      usage: USAGE,
      options,
    },
    io,
    (argv) => plan(argv, io),
    async (settings) => {
      // Ctrl-C ends the exchange cleanly (socket closed) and still prints what is known.
      const controller = new AbortController();
      const onSigint = (): void => controller.abort();
      process.once('SIGINT', onSigint);
      let outcome: Awaited<ReturnType<typeof runProbe>>;
      try {
        outcome = await runProbe(settings, controller.signal);
      } finally {
        process.off('SIGINT', onSigint);
      }
      const { results, resolution } = outcome;
      return reportResults(io, results, {
        json: settings.json,
        toJson: probeResultToJson,
        text: () => formatProbeReport(settings.target, results, settings.labels, resolution),
      });
    },
  );
}

export const probeCommand: Command = createProbeCommand();
