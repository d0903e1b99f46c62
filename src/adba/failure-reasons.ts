/**
 * The named reasons a forest read fails with, and the phases of a read: apart from
 * failure.ts, which classifies ldapts' errors, so that the metrics and the configuration
 * can name them without loading the LDAP client (adba/read-lazily.ts).
 */
export type AdbaFailureReason = 'connect' | 'tls' | 'bind' | 'timeout' | 'not_found' | 'protocol';

export const ADBA_FAILURE_REASONS: readonly AdbaFailureReason[] = [
  'connect',
  'tls',
  'bind',
  'timeout',
  'not_found',
  'protocol',
];

/** Where the read was when it failed. */
export type AdbaPhase = 'connect' | 'tls' | 'bind' | 'rootdse' | 'search';
