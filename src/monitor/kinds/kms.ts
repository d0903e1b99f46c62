/**
 * The KMS kind: the full exchange, one activation request per configured product, as a
 * client sends it. Each one is counted by the host, so it runs every kms_interval rather
 * than every round, except for hosts that have no answer yet for a configured product.
 */
import {
  CONNECT_FAILURE_REASONS,
  noAddressResults,
  probeKms,
  type KmsProductResult,
} from '../../kms/client/index.js';
import { exchangeTimeouts } from './exchange-timeouts.js';
import { hostHistoryEntry, KMS_EXCHANGE_PLACEMENT, type HostProbeKind } from './kind.js';
import { addressOf, noAddressMessage } from './no-address.js';

/** Failures that say the host was not reached, not what it answered. */
const UNREACHED: ReadonlySet<string> = new Set([...CONNECT_FAILURE_REASONS, 'no_address']);

export const kmsKind: HostProbeKind<KmsProductResult[]> = {
  name: 'kms',
  ...KMS_EXCHANGE_PLACEMENT,
  realProbe:
    (deps) =>
    async (target, { products, timeoutMs, signal }) => {
      const address = addressOf(target);
      if (address === null) return noAddressResults(target, products, noAddressMessage(target));
      return probeKms({ host: target.host, port: target.port, address }, products, {
        identity: deps.identity(),
        timeouts: exchangeTimeouts(timeoutMs, products.length),
        signal,
      });
    },
  // Also a host whose exchange failed because it could not be reached and which TCP reaches
  // again this round: its clients are served now, and waiting for the next sweep would
  // report the old failure for up to a kms_interval. The same CMID asks again, so the
  // host's count does not grow.
  pending: (host, plan) =>
    plan.products.some((p) => {
      const last = host.products.get(p.slug);
      if (last === undefined) return true;
      return host.tcp?.up === true && last.error !== null && UNREACHED.has(last.error.reason);
    }),
  record(host, probed) {
    const results = probed.flatMap((p) => p.result);
    for (const result of results) host.products.set(result.product, result);
    return {
      probes: results.map((r) =>
        r.error
          ? { host: r.host, port: String(r.port), product: r.product, reason: r.error.reason }
          : null,
      ),
      history: results.map((r) =>
        hostHistoryEntry(
          'kms',
          host,
          r.product,
          r,
          r.success,
          r.error ? `${r.error.code ? `${r.error.code} ` : ''}${r.error.message}` : null,
        ),
      ),
    };
  },
  retain(host, plan) {
    const slugs = new Set(plan.products.map((p) => p.slug));
    for (const slug of host.products.keys()) if (!slugs.has(slug)) host.products.delete(slug);
  },
  keepsFailure: (labels, plan) => plan.products.some((p) => p.slug === labels.product),
};
