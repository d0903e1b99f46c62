/**
 * What the lab's emulator switches change in an answer (docs/trust.md, "The checks"): which
 * unknown IDs an emulator would answer, the count it reports, the ePID it sends. Kept apart
 * from kms-answer.ts so the genuine path reads without them.
 */
import { randomInt } from 'node:crypto';
import { counterForApplicationId, listProducts } from '../kms/products/index.js';
import type { CounterName } from '../kms/products/index.js';
import { withEpidSerial } from './host-config.js';
import type { LabHostConfig } from './host-config.js';

/**
 * Every Microsoft KMS counted ID the product table knows, retail ones included: the lab
 * refuses these even when it plays an emulator that answers everything (docs/design.md
 * principle 4: the lab never activates a real product).
 */
const REAL_KMS_COUNTED_IDS: ReadonlySet<string> = new Set(
  listProducts().map((p) => p.kmsCountedId.toLowerCase()),
);

export function isRealKmsCountedId(kmsCountedId: string): boolean {
  return REAL_KMS_COUNTED_IDS.has(kmsCountedId.toLowerCase());
}

/**
 * The table an emulator counts an unknown ID in: the request's application's, or
 * Windows' for an application ID no host knows (vlmcsd and py-kms fall back to Windows).
 */
export function emulatedCounter(applicationId: string): CounterName {
  return counterForApplicationId(applicationId) ?? 'windows';
}

/** The count to report: the table's, or 2 × the request's N when the host echoes it. */
export function reportedCount(config: LabHostConfig, tableCount: number, nPolicy: number): number {
  return config.echoCount ? 2 * nPolicy : tableCount;
}

/** The ePID to send: the configured one, or with a fresh random serial per answer. */
export function answeredEpid(
  config: LabHostConfig,
  counter: CounterName,
  productSlug?: string,
): string {
  const epid =
    (productSlug === undefined ? undefined : config.productEpid.get(productSlug)) ??
    config.epid[counter];
  if (!config.epidPerRequest) return epid;
  return withEpidSerial(epid, () => String(randomInt(0, 1_000_000)).padStart(6, '0'));
}
