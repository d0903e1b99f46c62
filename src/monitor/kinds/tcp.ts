/**
 * The TCP kind: can a client connect to the host? Every address is tried each round (a
 * client falls back from one to the next); the host is up if any address accepts.
 */
import { noAddressTcpResult, probeTcp, type TcpProbeResult } from '../../kms/client/index.js';
import { hostHistoryEntry, type HostProbeKind } from './kind.js';
import { addressOf, noAddressMessage } from './no-address.js';

export const tcpKind: HostProbeKind<TcpProbeResult> = {
  name: 'tcp',
  schedule: 'round',
  addresses: 'every',
  needsAddress: false,
  perProduct: false,
  realProbe: () => async (target, options) => {
    const address = addressOf(target);
    if (address === null) return noAddressTcpResult(target, noAddressMessage(target));
    return probeTcp(
      { host: target.host, port: target.port, address },
      { timeoutMs: options.timeoutMs, signal: options.signal },
    );
  },
  record(host, probed) {
    // A failed connect may not report where it went; the address is what was probed.
    const results = probed.map(({ address, result }) =>
      result.address === null && address !== null ? { ...result, address } : result,
    );
    const chosen = results.find((r) => r.up) ?? (results[0] as TcpProbeResult);
    host.tcp = chosen;
    host.addresses = results;
    return {
      probes: results.map((r) =>
        r.error ? { host: r.host, port: String(r.port), reason: r.error.reason } : null,
      ),
      history: [hostHistoryEntry('tcp', host, chosen.address, chosen, chosen.up)],
    };
  },
};
