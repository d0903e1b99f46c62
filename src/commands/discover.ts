/**
 * `kms-monitor discover`: asks each resolver for `_vlmcs._tcp.<domain>` SRV records, as a
 * Windows or Office client in that domain would, and shows what came back — a readable
 * table (in the spirit of `nslookup -type=srv`) or the docs/design.md JSON with --json. A thin
 * wrapper over src/dns: every domain at every resolver, each failure by its name.
 */
import type { Command } from '../cli/command.js';
import { ExitCode } from '../cli/command.js';
import { UsageError, parseFlags } from '../cli/parse.js';
import { parseDuration } from '../config/duration.js';
import {
  DEFAULT_RESOLV_CONF,
  DEFAULT_TIMEOUT_MS,
  discoverAll,
  kmsSrvName,
  normalizeDomain,
  parseResolverAddress,
  readResolvConf,
  type ResolverAddress,
  type SrvLookupResult,
} from '../dns/index.js';

const USAGE = `Usage: kms-monitor discover [DOMAIN...] [flags]

Looks up the _vlmcs._tcp.DOMAIN SRV records Windows and Office clients use to find KMS
hosts, at every resolver separately, with the addresses of each host. Records are listed
in RFC 2782 order: priority ascending, then weight descending.

With no DOMAIN, the search/domain lines of /etc/resolv.conf are used (the DNS suffixes a
client on this machine has); with no --resolver, its nameserver lines.

Flags:
  --resolver=IP[:PORT]   resolver to ask (repeatable; IPv6 as [::1]:5353; default port 53)
  --timeout=DURATION     time allowed per domain and resolver, e.g. 500ms, 5s (default 5s)
  --json                 print a JSON array, one object per domain and resolver
  -h, --help             show this help

Exit status: 0 when every resolver answered for every domain (NOERROR or NXDOMAIN),
1 when any lookup failed, 2 for usage errors.`;

const options = {
  resolver: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export interface DiscoverIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Where default domains and resolvers come from; tests point it at a temporary file. */
  resolvConfPath: string;
}

const defaultIo: DiscoverIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  resolvConfPath: DEFAULT_RESOLV_CONF,
};

interface Plan {
  domains: string[];
  resolvers: ResolverAddress[];
  timeoutMs: number;
  json: boolean;
}

async function plan(argv: string[], io: DiscoverIo): Promise<Plan | 'help'> {
  const { values, positionals } = parseFlags(argv, options, { positionals: true });
  if (values.help) return 'help';
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    try {
      timeoutMs = parseDuration(values.timeout);
    } catch (error) {
      throw new UsageError(`--timeout: ${(error as Error).message}`);
    }
    if (timeoutMs <= 0 || timeoutMs > 300_000)
      throw new UsageError('--timeout must be between 1ms and 5m');
  }
  const resolvers = (values.resolver ?? []).map((text) => {
    try {
      return parseResolverAddress(text);
    } catch (error) {
      throw new UsageError(`--resolver: ${(error as Error).message}`);
    }
  });
  let domains = positionals.map((text) => {
    try {
      return normalizeDomain(text);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  });
  if (domains.length === 0 || resolvers.length === 0) {
    const conf = await readResolvConf(io.resolvConfPath).catch((error: Error) => {
      throw new UsageError(`cannot read ${io.resolvConfPath}: ${error.message}`);
    });
    if (domains.length === 0) {
      domains = conf.search;
      if (domains.length === 0) {
        throw new UsageError(
          `no DOMAIN given and ${io.resolvConfPath} has no search or domain line`,
        );
      }
    }
    if (resolvers.length === 0) {
      resolvers.push(...conf.nameservers);
      if (resolvers.length === 0) {
        throw new UsageError(`no --resolver given and ${io.resolvConfPath} has no nameserver line`);
      }
    }
  }
  return { domains: [...new Set(domains)], resolvers, timeoutMs, json: values.json ?? false };
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
  const name = kmsSrvName(result.domain);
  const took = `${Math.round(result.durationSeconds * 1000)} ms`;
  const head = `${name} via ${result.resolver}`;
  if (!result.success) {
    const rcode = result.rcode ? ` (${result.rcode})` : '';
    return `${head}: FAILED ${result.error?.reason ?? 'unknown'}${rcode}, ${took}\n  ${result.error?.message ?? ''}\n`;
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
    rows.push([String(r.priority), String(r.weight), String(r.port), r.host, addresses || '-']);
  }
  let text = `${head}: NOERROR, ${count}${ttl} (${result.transport?.toUpperCase()}), ${took}\n${table(rows, '  ')}\n`;
  if (result.truncatedRecords > 0) {
    text += `  … and ${result.truncatedRecords} more record(s) beyond the per-domain limit, not shown\n`;
  }
  return text;
}

export function createDiscoverCommand(io: DiscoverIo = defaultIo): Command {
  return {
    name: 'discover',
    summary: 'resolve _vlmcs._tcp SRV records of domains, as a client would',
    usage: USAGE,
    async run(argv) {
      let settings: Plan | 'help';
      try {
        settings = await plan(argv, io);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.stderr(`kms-monitor discover: ${error.message}\n`);
        return ExitCode.usage;
      }
      if (settings === 'help') {
        io.stdout(`${USAGE}\n`);
        return ExitCode.ok;
      }
      const results = await discoverAll(settings.domains, {
        resolvers: settings.resolvers,
        timeoutMs: settings.timeoutMs,
        mode: 'each',
      });
      if (settings.json) {
        io.stdout(`${JSON.stringify(results.map(resultToJson), null, 2)}\n`);
      } else {
        io.stdout(results.map(formatResult).join('\n'));
      }
      return results.every((r) => r.success) ? ExitCode.ok : ExitCode.failure;
    },
  };
}

export const discoverCommand: Command = createDiscoverCommand();
