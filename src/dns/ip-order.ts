/**
 * A stable order for host addresses: IPv4 before IPv6, each by numeric value, duplicates
 * removed. Servers rotate address order between answers (round robin); sorting keeps the
 * output and comparisons (with dig, between resolvers) independent of that rotation.
 */
import { isIP } from 'node:net';

/** A sort key: family, then the address as fixed-width numbers. */
function sortKey(address: string): string {
  if (isIP(address) === 4) {
    return `4:${address
      .split('.')
      .map((n) => n.padStart(3, '0'))
      .join('.')}`;
  }
  // dns-packet prints canonical IPv6 text: expand "::" and pad every group. An embedded
  // IPv4 tail (::ffff:1.2.3.4) is rare in answers and simply sorts by its text.
  const [head = '', tail] = address.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = new Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return `6:${[...left, ...zeros, ...right].map((g) => g.padStart(4, '0')).join(':')}`;
}

export function sortAddresses(addresses: Iterable<string>): string[] {
  const unique = [...new Set(addresses)];
  if (unique.length < 2) return unique;
  return unique
    .map((address) => ({ address, key: sortKey(address) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((entry) => entry.address);
}
