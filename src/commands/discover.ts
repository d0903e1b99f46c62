/**
 * `kms-monitor discover`: asks each resolver for `_vlmcs._tcp.<domain>` SRV records, as a
 * Windows or Office client in that domain would, and shows what came back — a readable
 * table (in the spirit of `nslookup -type=srv`) or the docs/design.md JSON with --json. A thin
 * wrapper over src/dns: every domain at every resolver, each failure by its name.
 */
import type { Command } from '../cli/command.js';
import { UsageError, parseFlags } from '../cli/parse.js';
import { readSystemFor, targetOptions } from '../cli/common-flags.js';
import { applyTargetFlags } from '../cli/apply-target-flags.js';
import { escapeText } from '../cli/escape.js';
import { oneShotCommand, processIo, reportResults } from '../cli/one-shot-command.js';
import type { CommandIo } from '../cli/one-shot-command.js';
import { defaultConfig, loadConfigFile } from '../config/load.js';
import {
  DEFAULT_RESOLV_CONF,
  discoverAll,
  kmsSrvName,
  normalizeDomain,
  type DiscoverTarget,
  type SrvLookupResult,
} from '../dns/index.js';
import { planFromConfig } from '../monitor/plan-from-config.js';

const USAGE = `Usage: kms-monitor discover [DOMAIN...] [flags]

Looks up the _vlmcs._tcp.DOMAIN SRV records Windows and Office clients use to find KMS
hosts, at every resolver separately, with the addresses of each host. Records are listed
in RFC 2782 order: priority ascending, then weight descending.

Domains: the DOMAIN arguments and --domain flags, else the file's domains (with their own
resolvers), else the search/domain lines of the resolv.conf (the DNS suffixes a client on
this machine has). Resolvers: --resolver, else the file's, else its nameserver lines.

Flags:
  --config.file=FILE        look up the domains of this configuration, with its resolvers
  --domain=DOMAIN           domain to look up (repeatable; as a DOMAIN argument)
  --resolver=IP[:PORT]      resolver to ask (repeatable; IPv6 as [::1]:5353; default port 53)
  --dns.resolv-conf=FILE    where default domains and resolvers come from
                            (default /etc/resolv.conf)
  --timeout=DURATION        time allowed per domain and resolver, e.g. 500ms, 5s (default 5s)
  --json                    print a JSON array, one object per domain and resolver
  -h, --help                show this help

Exit status: 0 when every resolver answered for every domain (NOERROR or NXDOMAIN),
1 when any lookup failed, 2 for usage errors.`;

const {
  'config.file': configFile,
  domain,
  resolver,
  'dns.resolv-conf': resolvConf,
  timeout,
} = targetOptions;
const options = {
  'config.file': configFile,
  domain,
  resolver,
  'dns.resolv-conf': resolvConf,
  timeout,
  json: { type: 'boolean' },
} as const;

/** Target flags of serve and check that mean nothing to a lookup: said so, not "unknown". */
const NOT_FOR_DISCOVER: Record<string, string> = {
  '--host':
    "discover looks up SRV records only; probe a host with 'kms-monitor probe HOST' or 'kms-monitor check --host HOST'",
  '--product':
    "discover sends no KMS request; ask a host about a product with 'kms-monitor probe HOST --product SLUG'",
};

interface Plan {
  targets: DiscoverTarget[];
  timeoutMs: number;
  recordLimit: number;
  json: boolean;
}

function refuseOtherCommandsFlags(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === '--') break;
    const name = arg.split('=')[0] ?? arg;
    const why = NOT_FOR_DISCOVER[name];
    if (why !== undefined) throw new UsageError(`${name} is not a discover flag: ${why}`);
  }
}

/**
 * Flags → the configuration → the monitor's plan, so discover asks exactly the domains
 * and resolvers `serve` and `check` would ask with the same flags and file.
 */
async function plan(argv: string[], io: CommandIo): Promise<Plan | 'help'> {
  refuseOtherCommandsFlags(argv);
  const { values, positionals } = parseFlags(argv, options, { positionals: true });
  if (values.help) return 'help';
  const domains = [
    ...positionals.map((text) => ({ text, from: '' })),
    ...(values.domain ?? []).map((text) => ({ text, from: '--domain: ' })),
  ].map(({ text, from }) => {
    try {
      return normalizeDomain(text);
    } catch (error) {
      throw new UsageError(`${from}${(error as Error).message}`);
    }
  });
  const resolvConfPath = values['dns.resolv-conf'] ?? io.resolvConfPath;
  const flags = {
    ...values,
    domain: [...new Set(domains)],
    ...(resolvConfPath === undefined ? {} : { 'dns.resolv-conf': resolvConfPath }),
  };
  const base = flags['config.file'] ? await loadConfigFile(flags['config.file']) : defaultConfig();
  const config = applyTargetFlags(base, flags);
  const system = await readSystemFor(config, flags);
  // What serve logs about the system fallback (e.g. no resolv.conf on Windows), said here too.
  const monitorPlan = await planFromConfig(
    config,
    async () => system,
    (note) => io.stderr(`kms-monitor discover: ${note}\n`),
  );
  if (monitorPlan.domains.length === 0) {
    throw new UsageError(
      `no DOMAIN given and ${system.source ?? resolvConfPath ?? DEFAULT_RESOLV_CONF} has no search or domain line`,
    );
  }
  return {
    targets: monitorPlan.domains.map((d) => ({ domain: d.domain, resolvers: d.resolvers })),
    timeoutMs: monitorPlan.timeoutMs,
    recordLimit: monitorPlan.recordsPerDomain,
    json: values.json ?? false,
  };
}

/** The docs/design.md object first, then the extra fields, in a fixed key order. */
export function resultToJson(result: SrvLookupResult): Record<string, unknown> {
  return {
    domain: result.domain,
    resolver: result.resolver,
    rcode: result.rcode,
    ttl: result.ttl,
    records: result.records.map((r) => ({
      host: r.host,
      port: r.port,
      priority: r.priority,
      weight: r.weight,
      addresses: r.addresses,
      ttl: r.ttl,
      addressError: r.addressError,
    })),
    error: result.error,
    success: result.success,
    serviceUnavailable: result.serviceUnavailable,
    truncatedRecords: result.truncatedRecords,
    transport: result.transport,
    durationSeconds: Number(result.durationSeconds.toFixed(6)),
  };
}

function table(rows: string[][], indent: string): string {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows
    .map(
      (row) =>
        indent +
        row
          .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
          .join('  '),
    )
    .join('\n');
}

/** One block per domain and resolver: a status line, then the records. */
export function formatResult(result: SrvLookupResult): string {
  // Names and messages come from the network: escaped (src/cli/escape.ts), never raw.
  const name = escapeText(kmsSrvName(result.domain));
  const took = `${Math.round(result.durationSeconds * 1000)} ms`;
  const head = `${name} via ${result.resolver}`;
  if (!result.success) {
    const rcode = result.rcode ? ` (${result.rcode})` : '';
    return `${head}: FAILED ${result.error?.reason ?? 'unknown'}${rcode}, ${took}\n  ${escapeText(result.error?.message ?? '')}\n`;
  }
  const ttl = result.ttl === null ? '' : `, ttl ${result.ttl}s`;
  if (result.rcode === 'NXDOMAIN') {
    return `${head}: NXDOMAIN${ttl}, ${took}\n  no KMS SRV record: ${name} does not exist\n`;
  }
  if (result.serviceUnavailable) {
    return `${head}: NOERROR${ttl}, ${took}\n  target "." — the domain states that KMS is not offered here\n`;
  }
  if (result.records.length === 0) {
    return `${head}: NOERROR${ttl}, ${took}\n  no KMS SRV record: ${name} exists but has no SRV data\n`;
  }
  const count = `${result.records.length} record${result.records.length === 1 ? '' : 's'}`;
  const rows = [['PRIORITY', 'WEIGHT', 'PORT', 'HOST', 'ADDRESSES']];
  for (const r of result.records) {
    let addresses = r.addresses.join(', ');
    if (r.addressError)
      addresses += `${addresses ? ' ' : ''}(${r.addressError.reason}: ${r.addressError.message})`;
    rows.push([
      String(r.priority),
      String(r.weight),
      String(r.port),
      escapeText(r.host),
      escapeText(addresses) || '-',
    ]);
  }
  let text = `${head}: NOERROR, ${count}${ttl} (${result.transport?.toUpperCase()}), ${took}\n${table(rows, '  ')}\n`;
  if (result.truncatedRecords > 0) {
    text += `  … and ${result.truncatedRecords} more record(s) beyond the per-domain limit, not shown\n`;
  }
  return text;
}

export function createDiscoverCommand(io: CommandIo = processIo): Command {
  return oneShotCommand(
    {
      name: 'discover',
      summary: 'resolve _vlmcs._tcp SRV records of domains, as a client would',
      usage: USAGE,
      options,
    },
    io,
    (argv) => plan(argv, io),
    async (settings) => {
      const results = await discoverAll(settings.targets, {
        resolvers: [],
        timeoutMs: settings.timeoutMs,
        recordLimit: settings.recordLimit,
        mode: 'each',
      });
      return reportResults(io, results, {
        json: settings.json,
        toJson: resultToJson,
        text: () => results.map(formatResult).join('\n'),
      });
    },
  );
}

export const discoverCommand: Command = createDiscoverCommand();
