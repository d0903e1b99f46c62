/**
 * Resolver addresses: an IP literal and a port. Labels use the `ip:port` form with IPv6
 * in brackets (`[::1]:53`), the same text a user passes to `--resolver`.
 */
import { isIP } from 'node:net';

export const DNS_PORT = 53;

export interface ResolverAddress {
  address: string;
  port: number;
}

/** `127.0.0.1:53`, `[::1]:5353`. Used as the `resolver` label of results and metrics. */
export function resolverLabel(resolver: ResolverAddress): string {
  return isIP(resolver.address) === 6
    ? `[${resolver.address}]:${resolver.port}`
    : `${resolver.address}:${resolver.port}`;
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
    if (isIP(address) !== 6) {
      throw new Error(
        `invalid resolver ${JSON.stringify(text)}: brackets must hold an IPv6 address`,
      );
    }
    const port = bracketed[2] === undefined ? defaultPort : parsePort(bracketed[2], text);
    return { address, port };
  }
  if (isIP(whole) !== 0) return { address: whole, port: defaultPort };
  const colon = whole.lastIndexOf(':');
  if (colon > 0 && isIP(whole.slice(0, colon)) === 4) {
    return { address: whole.slice(0, colon), port: parsePort(whole.slice(colon + 1), text) };
  }
  throw new Error(
    `invalid resolver ${JSON.stringify(text)}: expected IP[:PORT], with IPv6 as [::1]:5353`,
  );
}
