/**
 * The lab only ever listens on loopback (docs/design.md principle 4): a lab KMS host answers
 * activation requests, so it must not be reachable from another machine. Checked before
 * any socket is created, on the literal address, so nothing is bound even briefly.
 */
import net from 'node:net';

export const DEFAULT_LAB_ADDRESS = '127.0.0.1';

export class NonLoopbackAddressError extends Error {
  override readonly name = 'NonLoopbackAddressError';
  constructor(readonly address: string) {
    super(
      `the lab listens on loopback only (127.0.0.0/8 or ::1); refusing ${JSON.stringify(address)}`,
    );
  }
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped 127.x (::ffff:127.x.y.z); false for names. */
export function isLoopbackAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return address.split('.')[0] === '127';
  if (family === 6) {
    const lower = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped?.[1] !== undefined) return isLoopbackAddress(mapped[1]);
    const list = new net.BlockList();
    list.addAddress('::1', 'ipv6');
    return list.check(lower, 'ipv6');
  }
  return false;
}

/**
 * The address to listen on: an explicit loopback IP, or 'localhost' mapped to 127.0.0.1
 * (no resolver involved, so /etc/hosts cannot send it elsewhere). Anything else throws.
 */
export function loopbackListenAddress(address: string | undefined): string {
  if (address === undefined || address === 'localhost') return DEFAULT_LAB_ADDRESS;
  if (!isLoopbackAddress(address)) throw new NonLoopbackAddressError(address);
  return address;
}
