/**
 * Resolver addresses: an IP literal and a port. Labels use the `ip:port` form with IPv6
 * in brackets (`[::1]:53`), the same text a user passes to `--resolver`.
 */
import { ipFamily } from '../util/ip-family.js';
import { hostKey } from '../util/host-port.js';

export const DNS_PORT = 53;

export interface ResolverAddress {
  address: string;
  port: number;
}

/** `127.0.0.1:53`, `[::1]:5353`. Used as the `resolver` label of results and metrics. */
export function resolverLabel(resolver: ResolverAddress): string {
  return hostKey({ host: resolver.address, port: resolver.port });
}

/**
 * The one spelling of an IPv6 address (RFC 5952: lower case, zeros compressed), so that
 * `2001:DB8:0::53` and `2001:db8::53` are one resolver, one label and one series. A zone
 * index (`fe80::1%eth0`) is only lower-cased: URL parsing does not take it.
 */
export function canonicalIpv6(address: string): string {
  if (address.includes('%')) return address.toLowerCase();
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase();
  }
}

function parsePort(text: string, whole: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new Error(`invalid resolver ${JSON.stringify(whole)}: port must be 1-65535`);
  }
  return port;
}

/**
 * Parses `IP`, `IPv4:PORT`, `[IPv6]` or `[IPv6]:PORT`; a bare IPv6 literal means port 53.
 * Only IP literals: resolving a resolver's name would need a resolver. Throws an Error
 * whose message names the problem.
 */
export function parseResolverAddress(text: string, defaultPort = DNS_PORT): ResolverAddress {
  const whole = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(whole);
  if (bracketed) {
    const address = bracketed[1] ?? '';
    if (ipFamily(address) !== 6) {
      throw new Error(
        `invalid resolver ${JSON.stringify(text)}: brackets must hold an IPv6 address`,
      );
    }
    const port = bracketed[2] === undefined ? defaultPort : parsePort(bracketed[2], text);
    return { address: canonicalIpv6(address), port };
  }
  if (ipFamily(whole) === 6) return { address: canonicalIpv6(whole), port: defaultPort };
  if (ipFamily(whole) === 4) return { address: whole, port: defaultPort };
  const colon = whole.lastIndexOf(':');
  if (colon > 0 && ipFamily(whole.slice(0, colon)) === 4) {
    return { address: whole.slice(0, colon), port: parsePort(whole.slice(colon + 1), text) };
  }
  throw new Error(
    `invalid resolver ${JSON.stringify(text)}: expected IP[:PORT], with IPv6 as [::1]:5353`,
  );
}
