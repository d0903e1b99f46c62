/** The history the monitor keeps itself: see ./estate-history.ts. */
export {
  DEFAULT_RETENTION_MS,
  EstateHistory,
  MAX_SAMPLES_PER_RING,
  ringCapacity,
  type HistorySettings,
} from './estate-history.js';
export { isRefusal, productPhase, PRODUCT_PHASES, type ProductPhase } from './outcome.js';
export { MAX_TRANSITIONS } from './reachability-log.js';
export { BYTES_PER_SAMPLE, MAX_STORED_COUNT } from './sample-ring.js';
export type { HostHistoryView, ProductHistoryView, ReachabilityHistoryView } from './view.js';
