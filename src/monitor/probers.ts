/**
 * The real probes behind the poller: SRV discovery from src/dns, TCP reachability and the
 * KMS exchange from src/kms/client. The only place where the monitor meets the protocol
 * layers, which know nothing of it.
 */
import { discoverAll } from '../dns/index.js';
import { probeKms, probeTcp, type KmsIdentity, type KmsProductSpec } from '../kms/client/index.js';
import type { Probers } from './poller.js';
import type { PlannedProduct } from './plan.js';
import type { KmsTarget } from './targets.js';

function probeTarget(target: KmsTarget) {
  // Connect to what the domain's own resolver said the host is, as a client there would;
  // a static host (no SRV answer) is resolved by the system at connect time.
  const address = target.addresses[0];
  return { host: target.host, port: target.port, ...(address ? { address } : {}) };
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
    tcp: (target, options) =>
      probeTcp(probeTarget(target), { timeoutMs: options.timeoutMs, signal: options.signal }),
    kms: (target, products, options) =>
      probeKms(probeTarget(target), products, {
        identity: identity(),
        timeouts: {
          connectMs: options.timeoutMs,
          bindMs: options.timeoutMs,
          requestMs: options.timeoutMs,
          // Every phase may take its full timeout once, plus one fallback per product.
          overallMs: options.timeoutMs * (2 + 2 * products.length),
        },
        signal: options.signal,
      }),
  };
}
