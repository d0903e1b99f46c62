/**
 * `host[:port]` parsing for static KMS hosts, resolvers and listen addresses. IPv6
 * literals take brackets when a port follows (`[2001:db8::1]:1688`); a bare IPv6
 * literal without brackets is accepted too and means "default port". Hosts come back in
 * their canonical form (names lower case without the trailing dot, IPv6 compressed), so
 * two spellings of one host are one target.
 */
import { ipFamily } from '../util/ip-family.js';
import { DnsNameError, checkDnsName } from '../dns/index.js';
import { canonicalIpv6 } from '../dns/index.js';
import type { HostPort } from '../util/host-port.js';

function parsePort(text: string, whole: string, min = 1): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < min || Number(text) > 65535) {
    throw new Error(`invalid port in ${JSON.stringify(whole)}: expected ${min}-65535`);
  }
  return Number(text);
}

/**
 * Splits `host[:port]`. `allowEmptyHost` is for listen addresses, where `:9688` means
 * every interface and port 0 means "any free port". Throws an Error whose message says what is wrong.
 */
export function parseHostPort(
  text: string,
  defaultPort: number,
  { allowEmptyHost = false } = {},
): HostPort {
  const whole = text;
  let host: string;
  let port = defaultPort;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? '';
    if (ipFamily(host) !== 6)
      throw new Error(`${JSON.stringify(whole)}: brackets must hold an IPv6 address`);
    if (bracketed[2] !== undefined) port = parsePort(bracketed[2], whole, allowEmptyHost ? 0 : 1);
    return { host: canonicalIpv6(host), port };
  }
  if (ipFamily(text) === 6) return { host: canonicalIpv6(text), port };
  const colon = text.lastIndexOf(':');
  if (colon >= 0) {
    host = text.slice(0, colon);
    port = parsePort(text.slice(colon + 1), whole, allowEmptyHost ? 0 : 1);
  } else {
    host = text;
  }
  if (host === '') {
    if (allowEmptyHost) return { host, port };
    throw new Error(`${JSON.stringify(whole)}: missing host`);
  }
  if (ipFamily(host) !== 0) return { host, port };
  try {
    return { host: checkDnsName(host, 'host name'), port };
  } catch (error) {
    const problem = error instanceof DnsNameError ? error.problem : String(error);
    throw new Error(`${JSON.stringify(whole)}: not a valid host name or IP address: ${problem}`, {
      cause: error,
    });
  }
}
