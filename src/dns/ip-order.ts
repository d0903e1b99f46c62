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

function ipv6Text(address: string): string {
  // dns-packet prints canonical IPv6 text: expand "::" and pad every group. An embedded
  // IPv4 tail (::ffff:1.2.3.4) is rare in answers and simply sorts by its text.
  const [head = '', tail] = address.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = new Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.padStart(4, '0')).join(':');
}

function compare(a: Keyed, b: Keyed): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.family === 4) return a.value - b.value;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

export function sortAddresses(addresses: readonly string[]): string[] {
  if (addresses.length < 2) return [...addresses];
  const keyed = [...new Set(addresses)].map((address): Keyed => {
    const family = isIP(address);
    return family === 4
      ? { address, family, value: ipv4Value(address), text: '' }
      : { address, family, value: 0, text: ipv6Text(address) };
  });
  return keyed.sort(compare).map((entry) => entry.address);
}
