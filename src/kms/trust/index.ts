/** Authenticity checks of KMS hosts (docs/trust.md): pure functions over what probes saw. */
export * from './verdict.js';
export * from './answer.js';
export * from './emulator-identities.js';
export * from './refusals.js';
export * from './counts.js';
export * from './identity.js';
export * from './epid-consistency.js';
export * from './rpc-behaviour.js';
