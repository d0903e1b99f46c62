/**
 * `net.isIP` without running its IPv6 regular expression where no IPv6 address can be.
 * The first match against that expression compiles it, which costs a one-shot command
 * 5–10 ms of CPU (docs/performance.md, CLI start-up); `host:port` and plain IPv4 texts,
 * the common inputs, never need it. Same answer as `net.isIP` for every string.
 */
import { isIPv4, isIPv6 } from 'node:net';

export function ipFamily(text: string): 0 | 4 | 6 {
  if (isIPv4(text)) return 4;
  // Every IPv6 text has two colons at least ("::"); `host:port` has one, a name none.
  const first = text.indexOf(':');
  return first !== -1 && text.includes(':', first + 1) && isIPv6(text) ? 6 : 0;
}
