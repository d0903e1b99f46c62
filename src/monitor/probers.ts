/**
 * The real probes behind the poller: SRV discovery and host addresses from src/dns, and
 * the real probe of every probe kind (./kinds/index.ts). The only place where the monitor
 * meets the protocol layers, which know nothing of it.
 */
import { discoverAll, resolveHostAddresses } from '../dns/index.js';
import type { KmsIdentity, KmsProductSpec } from '../kms/client/index.js';
import { realProbeFns } from './kinds/index.js';
import type { ProbeFns } from './kinds/index.js';
import type { Probers } from './poller.js';
import type { PlannedProduct } from './plan.js';

export function realProbers<P extends PlannedProduct & KmsProductSpec>(
  identity: () => KmsIdentity,
): Probers<P> & ProbeFns<P> {
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
    ...realProbeFns<P>({ identity }),
  };
}
