/**
 * Where a probe connects: the address the poller chose. A target without one is never
 * handed to the socket layer by name, because that would ask the operating system's
 * resolver; the probe reports `no_address` instead, with the resolver's reason.
 */
import type { KmsTarget } from '../targets.js';

export function addressOf(target: KmsTarget): string | null {
  return target.addresses[0] ?? null;
}

export function noAddressMessage(target: KmsTarget): string {
  return (
    target.addressError?.message ?? `${target.host} has no address at the configured resolvers`
  );
}
