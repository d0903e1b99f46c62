/**
 * Active Directory-Based Activation: an optional, read-only LDAP collector of a forest's
 * activation objects (docs/adba.md), and the pure functions that judge them.
 */
export {
  ADBA_FOREST_KEYS,
  AdbaConfigError,
  DEFAULT_ADBA_TIMEOUT_MS,
  validateAdbaForest,
} from './config.js';
export type { AdbaForestConfig, AdbaForestInput, PasswordSource } from './config.js';
export { decodeActivationObject, parseGeneralizedTime } from './decode.js';
export type { AdbaObject, CsvlkPid } from './decode.js';
export { mapKmsId } from './kms-ids.js';
export type { KmsIdMapping } from './kms-ids.js';
export { forgerySigns } from './forged.js';
export type { ForgeryEvidence, ForgerySign } from './forged.js';
export { diffRounds } from './diff.js';
export type { AdbaObjectChange, AdbaRoundDiff } from './diff.js';
export { ADBA_FAILURE_REASONS } from './failure-reasons.js';
export type { AdbaFailureReason, AdbaPhase } from './failure-reasons.js';
export { readForestLazily } from './read-lazily.js';
export type {
  AdbaLogger,
  AdbaReadFailure,
  AdbaReadResult,
  AdbaReadSuccess,
  ReadForestOptions,
} from './collector.js';
export { ACTIVATION_OBJECTS_RDNS, ACTIVATION_OBJECT_CLASS, ATTR } from './schema.js';
