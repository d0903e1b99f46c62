/**
 * Reads the system resolver configuration the way glibc's stub resolver does, which is
 * what decides the DNS suffixes and servers a client on this machine uses. Where the
 * default file does not exist (Windows), the DNS servers come from the operating system
 * through Node's own resolver list (dns.getServers(), read by c-ares from the system
 * configuration; no query is sent), and there are no search domains.
 */
import { getServers } from 'node:dns';
import { FileReadError, readBoundedTextFile } from '../util/read-bounded-file.js';
import { parseResolverAddress, resolverLabel, type ResolverAddress } from './resolver-address.js';
import { normalizeDomain } from './names.js';

export interface ResolvConf {
  nameservers: ResolverAddress[];
  /** The default domains: the last `search` or `domain` line (glibc: the last one wins). */
  search: string[];
  /** Where these came from, for messages: the file's path, or the operating system. */
  source?: string;
  /** The default file that did not exist, when the operating system's list stood in. */
  missingFile?: string;
  /** What the admin should be told then (to be logged). */
  note?: string;
}

/** resolv.conf is a few lines; 64 KiB leaves room for any generated one. */
export const MAX_RESOLV_CONF_BYTES = 64 * 1024;

export interface ReadResolvConfOptions {
  /** The file read when no path is given (tests point it at a temporary path). */
  defaultPath?: string;
  /** The operating system's DNS servers (default dns.getServers()); tests inject a list. */
  systemServers?: () => string[];
}

export const DEFAULT_RESOLV_CONF = '/etc/resolv.conf';

/**
 * Parses resolv.conf text. Lines that cannot be used (bad addresses, unknown keywords) are
 * skipped, as glibc does: a resolver file with one odd line still configures the rest.
 * Beyond glibc, a nameserver may carry a port (`127.0.0.1:5353`, `[::1]:5353`), as some
 * generated files (systemd-resolved, containers) write them.
 */
export function parseResolvConf(text: string): ResolvConf {
  const nameservers: ResolverAddress[] = [];
  let search: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/[#;].*$/, '').trim();
    const [keyword, ...args] = line.split(/\s+/);
    if (keyword === 'nameserver' && args[0] !== undefined) {
      // A zone index (fe80::1%eth0) cannot be sent to in a portable way; skip such lines.
      if (args[0].includes('%')) continue;
      try {
        nameservers.push(parseResolverAddress(args[0]));
      } catch {
        // Not an IP literal: glibc ignores it too.
      }
    } else if (keyword === 'search' || keyword === 'domain') {
      search = [];
      for (const arg of keyword === 'domain' ? args.slice(0, 1) : args) {
        try {
          const domain = normalizeDomain(arg);
          if (!search.includes(domain)) search.push(domain);
        } catch {
          // A suffix that is not a valid name cannot be searched.
        }
      }
    }
  }
  return { nameservers, search };
}

/**
 * `dns.getServers()` entries (`8.8.8.8`, `2001:db8::53`, `[2001:db8::53]:5353`,
 * `10.0.0.1:5353`) as resolver addresses; entries with a zone index are skipped, as in
 * resolv.conf.
 */
export function parseSystemServers(servers: readonly string[]): ResolverAddress[] {
  const out: ResolverAddress[] = [];
  for (const server of servers) {
    if (server.includes('%')) continue;
    try {
      out.push(parseResolverAddress(server));
    } catch {
      // Not something a stub resolver could send to.
    }
  }
  return out;
}

/**
 * Reads and parses resolv.conf, through the bounded reader (a regular file of at most
 * 64 KiB: a FIFO or a device is refused, not read). A `path` given by the admin
 * (`--dns.resolv-conf`) must exist: a missing one is a FileReadError naming it. Without a
 * path the default file is read, and where it does not exist the operating system's DNS
 * servers are used instead, with no search domains (`note` says so).
 */
export async function readResolvConf(
  path?: string,
  options: ReadResolvConfOptions = {},
): Promise<ResolvConf> {
  const file = path ?? options.defaultPath ?? DEFAULT_RESOLV_CONF;
  let text: string;
  try {
    text = await readBoundedTextFile(file, 'resolv.conf file', MAX_RESOLV_CONF_BYTES);
  } catch (error) {
    if (path !== undefined || !(error instanceof FileReadError) || error.problem !== 'not_found') {
      throw error;
    }
    const nameservers = parseSystemServers((options.systemServers ?? getServers)());
    const listed = nameservers.map((n) => resolverLabel(n)).join(', ') || 'none';
    return {
      nameservers,
      search: [],
      missingFile: file,
      source: `the operating system's DNS servers (dns.getServers(); ${file} does not exist)`,
      note:
        `${file} does not exist: using the DNS servers the operating system reports ` +
        `(dns.getServers(): ${listed}). Search domains are not available this way: ` +
        'list the domains to watch under domains: in the configuration.',
    };
  }
  return { ...parseResolvConf(text), source: file };
}
