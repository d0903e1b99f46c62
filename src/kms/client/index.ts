/**
 * The KMS client: probeKms (the full exchange for several products over one connection),
 * probeTcp (reachability only) and the monitor's identity. Knows nothing of metrics or HTTP.
 */
export { probeKms } from './probe.js';
export { probeTcp } from './tcp-probe.js';
export { noAddressResults, noAddressTcpResult } from './no-address.js';
export {
  KMS_MONITOR_CMID_NAMESPACE,
  MAX_WORKSTATION_LENGTH,
  IdentityError,
  defaultCmid,
  defaultWorkstation,
  parseCmid,
  parseWorkstation,
  resolveIdentity,
  uuidV5,
} from './identity.js';
export type { IdentityOverrides, KmsIdentity } from './identity.js';
export { DEFAULT_KMS_TIMEOUTS } from './options.js';
export type {
  BindStyle,
  KmsProbeOptions,
  KmsTimeouts,
  ProbeTarget,
  TcpProbeOptions,
} from './options.js';
export type { KmsProductSpec } from './product-spec.js';
export { HRESULT_PROTOCOL_NOT_SUPPORTED, protocolsToTry } from './fallback.js';
export { CONNECT_FAILURE_REASONS, KMS_FAILURE_REASONS } from './result.js';
export type {
  KmsError,
  KmsFailureReason,
  KmsProductResult,
  PhaseDurations,
  TcpProbeResult,
} from './result.js';
