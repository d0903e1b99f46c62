/**
 * The results of a probe that could not start because the host name gave no address to
 * connect to. The caller resolves names (with its own DNS client, never the operating
 * system's); when that yields nothing, every product fails the same named way.
 */
import type { KmsProductSpec } from './product-spec.js';
import type { KmsProductResult, TcpProbeResult } from './result.js';

interface Target {
  host: string;
  port: number;
}

/** The TCP result: down, reason `no_address`, nothing sent. */
export function noAddressTcpResult(target: Target, message: string): TcpProbeResult {
  return {
    host: target.host,
    port: target.port,
    address: null,
    up: false,
    durationSeconds: 0,
    timestamp: new Date().toISOString(),
    error: { reason: 'no_address', code: null, message },
  };
}

/** A failed result for every product, reason `no_address`. */
export function noAddressResults(
  target: Target,
  products: readonly KmsProductSpec[],
  message: string,
): KmsProductResult[] {
  const { up: _up, ...failure } = noAddressTcpResult(target, message);
  return products.map((p) => ({
    ...failure,
    product: p.slug,
    success: false,
    protocol: null,
    epid: null,
    hwid: null,
    hostBuild: null,
    keyInstallDate: null,
    activeClients: null,
    threshold: p.nPolicy,
    activationIntervalMinutes: null,
    renewalIntervalMinutes: null,
    phases: {},
  }));
}
