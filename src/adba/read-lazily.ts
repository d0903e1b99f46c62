/**
 * readForest, loaded on its first call: the collector brings the LDAP client (ldapts) and
 * TLS, which cost a one-shot `check` tens of milliseconds of start-up and `serve` memory,
 * and most configurations have no forest to read.
 */
import type { AdbaForestConfig } from './config.js';
import type { AdbaReadResult, ReadForestOptions } from './collector.js';

export async function readForestLazily(
  forest: AdbaForestConfig,
  options: ReadForestOptions = {},
): Promise<AdbaReadResult> {
  const { readForest } = await import('./collector.js');
  return readForest(forest, options);
}
