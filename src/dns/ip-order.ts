/**
 * A stable order for host addresses: IPv4 before IPv6, each by numeric value, duplicates
 * removed. Servers rotate address order between answers (round robin); sorting keeps the
 * output and comparisons (with dig, between resolvers) independent of that rotation.
 */
import { isIP } from 'node:net';

interface Keyed {
  address: string;
  family: number;
  /** IPv4: the 32-bit value. */
  value: number;
  /** IPv6: eight zero-padded groups, which sort as text in numeric order. */
  text: string;
}

function ipv4Value(address: string): number {
  let value = 0;
  for (const part of address.split('.')) value = value * 256 + Number(part);
  return value;
}

/** Eight zero-padded groups, which sort as text in numeric order. */
function ipv6Text(address: string): string {
  // dns-packet's and record-data.ts's IPv6 text: expand "::" and pad every group. An
  // embedded IPv4 tail (::ffff:1.2.3.4) is rare in answers and simply sorts by its text.
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = new Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.padStart(4, '0')).join(':');
}

function compare(a: Keyed, b: Keyed): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.family === 4) return a.value - b.value;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

function keyed(address: string): Keyed {
  const family = isIP(address);
  return family === 4
    ? { address, family, value: ipv4Value(address), text: '' }
    : { address, family, value: 0, text: ipv6Text(address) };
}

export function sortAddresses(addresses: readonly string[]): string[] {
  if (addresses.length < 2) return [...addresses];
  // The usual target has one IPv4 and one IPv6 address: in order already when the IPv4
  // (no colon) comes first, reversed otherwise; no parsing needed to tell.
  if (addresses.length === 2) {
    const [a = '', b = ''] = addresses;
    const aV6 = a.includes(':');
    if (aV6 !== b.includes(':')) return aV6 ? [b, a] : [a, b];
  }
  return [...new Set(addresses)]
    .map(keyed)
    .sort(compare)
    .map((entry) => entry.address);
}
