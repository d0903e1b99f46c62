/**
 * Reads the system resolver configuration the way glibc's stub resolver does, which is
 * what decides the DNS suffixes and servers a client on this machine uses.
 */
import { readFile } from 'node:fs/promises';
import { parseResolverAddress, type ResolverAddress } from './resolver-address.js';
import { normalizeDomain } from './names.js';

export interface ResolvConf {
  nameservers: ResolverAddress[];
  /** The default domains: the last `search` or `domain` line (glibc: the last one wins). */
  search: string[];
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

/** Reads and parses a resolv.conf file; a missing file reads as empty, like glibc. */
export async function readResolvConf(path: string = DEFAULT_RESOLV_CONF): Promise<ResolvConf> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { nameservers: [], search: [] };
    throw error;
  }
  return parseResolvConf(text);
}
