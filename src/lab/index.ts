/**
 * The demo and test lab: a KMS host that answers only the lab's made-up products, on
 * loopback only, with client counting, knobs and fault modes.
 */
export { startLabKmsHost } from './kms-host.js';
export type { LabKmsHost } from './kms-host.js';
export type {
  LabKmsHostOptions,
  LabKmsHostSettings,
  LabDelays,
  LabHostConfig,
  PerApplication,
} from './host-config.js';
export {
  DEFAULT_LAB_EPIDS,
  DEFAULT_LAB_HWID,
  DEFAULT_IDLE_TIMEOUT_MS,
  LabConfigError,
} from './host-config.js';
export {
  LAB_PRODUCTS,
  LAB_COUNTERS,
  labProductConfigs,
  findLabProduct,
  labProduct,
  labCounterOf,
  labProductByKmsCountedId,
  resolveLabApplication,
} from './lab-products.js';
export { GENUINE_CLOCK_WINDOW_MINUTES, LAB_PERSONALITIES } from './personalities.js';
export type { LabPersonalityName } from './personalities.js';
export { LAB_FAULT_MODES, isLabFaultMode } from './faults.js';
export type { LabFault, LabFaultMode, LabFaultSpec } from './faults.js';
export { CmidTable, CMID_LIFETIME_MS, CMID_TABLE_HARD_LIMIT } from './cmid-table.js';
export { isLoopbackAddress, NonLoopbackAddressError, DEFAULT_LAB_ADDRESS } from './loopback.js';
export { freePort } from './free-port.js';
export type { LabHostStats } from './stats.js';
export {
  DEMO_CMID,
  DEMO_DRIFT_EVERY_MS,
  DEMO_LISTEN_ADDRESS,
  DEMO_WORKSTATION,
  startDemoLab,
} from './demo-lab.js';
export type { DemoLab, DemoLabDns, DemoLabHost, DemoLabOptions } from './demo-lab.js';
export { DEMO_PRODUCTS, DEMO_SCENARIOS } from './demo-scenarios.js';
