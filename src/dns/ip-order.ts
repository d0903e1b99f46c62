/**
 * A stable order for host addresses: IPv4 before IPv6, each by numeric value, duplicates
 * removed. Servers rotate address order between answers (round robin); sorting keeps the
 * output and comparisons (with dig, between resolvers) independent of that rotation.
 */
import { isIP } from 'node:net';

function ipv6Groups(address: string): number[] {
  // dns-packet prints canonical IPv6 text; an embedded IPv4 tail (::ffff:1.2.3.4) is rare
  // enough in answers that it is sorted by its text only.
  const [head = '', tail] = address.split('::');
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((g) => parseInt(g, 16) || 0);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [
    ...left,
    ...new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0),
    ...right,
  ];
}

function compareAddresses(a: string, b: string): number {
  const familyA = isIP(a);
  const familyB = isIP(b);
  if (familyA !== familyB) return familyA - familyB;
  const partsA = familyA === 4 ? a.split('.').map(Number) : ipv6Groups(a);
  const partsB = familyB === 4 ? b.split('.').map(Number) : ipv6Groups(b);
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const diff = (partsA[i] ?? 0) - (partsB[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortAddresses(addresses: Iterable<string>): string[] {
  return [...new Set(addresses)].sort(compareAddresses);
}
