/**
 * The real probes behind the poller: SRV discovery and host addresses from src/dns, TCP
 * reachability and the KMS exchange from src/kms/client. The only place where the monitor
 * meets the protocol layers, which know nothing of it.
 */
import { discoverAll, resolveHostAddresses } from '../dns/index.js';
import {
  noAddressResults,
  noAddressTcpResult,
  probeKms,
  probeTcp,
  type KmsIdentity,
  type KmsProductResult,
  type KmsProductSpec,
  type TcpProbeResult,
} from '../kms/client/index.js';
import type { Probers } from './poller.js';
import type { PlannedProduct } from './plan.js';
import type { KmsTarget } from './targets.js';

/**
 * Where to connect: the address the poller chose. A target without one is never handed
 * to the socket layer by name, because that would ask the operating system's resolver.
 */
function addressOf(target: KmsTarget): string | null {
  return target.addresses[0] ?? null;
}

function noAddressMessage(target: KmsTarget): string {
  return (
    target.addressError?.message ?? `${target.host} has no address at the configured resolvers`
  );
}

export function realProbers<P extends PlannedProduct & KmsProductSpec>(
  identity: () => KmsIdentity,
): Probers<P> {
  return {
    discover: (domains, options) =>
      discoverAll(
        domains.map((d) => ({ domain: d.domain, resolvers: d.resolvers })),
        {
          resolvers: [],
          mode: 'each',
          timeoutMs: options.timeoutMs,
          concurrency: options.concurrency,
          recordLimit: options.recordLimit,
          signal: options.signal,
        },
      ),
    resolve: (host, resolvers, options) =>
      resolveHostAddresses(host, {
        resolvers,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
      }),
    tcp: async (target, options): Promise<TcpProbeResult> => {
      const address = addressOf(target);
      if (address === null) return noAddressTcpResult(target, noAddressMessage(target));
      return probeTcp(
        { host: target.host, port: target.port, address },
        { timeoutMs: options.timeoutMs, signal: options.signal },
      );
    },
    kms: async (target, products, options): Promise<KmsProductResult[]> => {
      const address = addressOf(target);
      if (address === null) return noAddressResults(target, products, noAddressMessage(target));
      return probeKms({ host: target.host, port: target.port, address }, products, {
        identity: identity(),
        timeouts: {
          connectMs: options.timeoutMs,
          bindMs: options.timeoutMs,
          requestMs: options.timeoutMs,
          // Every phase may take its full timeout once, plus one fallback per product.
          overallMs: options.timeoutMs * (2 + 2 * products.length),
        },
        signal: options.signal,
      });
    },
  };
}
