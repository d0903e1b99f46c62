/**
 * What one KMS exchange of a product came to, as one byte of a history ring: 0 for an
 * answer, else 1 + the failure reason's index in KMS_FAILURE_REASONS (the one list of
 * reasons, src/kms/client/result.ts). Reading a ring back gives the reason's name again.
 */
import {
  CONNECT_FAILURE_REASONS,
  KMS_FAILURE_REASONS,
  type KmsError,
  type KmsFailureReason,
  type KmsProductResult,
} from '../../kms/client/index.js';

export const OUTCOME_SUCCESS = 0;

export function outcomeCode(result: Pick<KmsProductResult, 'success' | 'error'>): number {
  if (result.success) return OUTCOME_SUCCESS;
  const index = KMS_FAILURE_REASONS.indexOf(result.error?.reason as KmsFailureReason);
  // A failure without a reason is not made by the client; it is kept as a failure anyway.
  return index < 0 ? 255 : index + 1;
}

/** The failure reason of an outcome byte; null for an answer. */
export function outcomeReason(code: number): KmsFailureReason | 'unknown' | null {
  if (code === OUTCOME_SUCCESS) return null;
  return KMS_FAILURE_REASONS[code - 1] ?? 'unknown';
}

/**
 * The kind of state a product is in on a host, for "since" times: a run of one kind is
 * one period, whatever the samples inside it say in detail.
 * - `ok`: answered with a count of at least N; `below`: answered, count below N;
 * - `refused`: the host answered with an error code (0xC004F042 and the like) — the
 *   finding product_refused of src/monitor/evaluate.ts;
 * - `unreached`: the host's port could not be reached; `failed`: any other failure.
 */
export type ProductPhase = 'ok' | 'below' | 'refused' | 'unreached' | 'failed';

/**
 * The host refused the product: it answered, with an HRESULT. The one definition: the
 * finding product_refused (../evaluate.ts) and the history's `refused` phase use it.
 */
export function isRefusal(error: Pick<KmsError, 'reason' | 'code'> | null): boolean {
  return error !== null && error.reason === 'kms_error' && error.code !== null;
}

export function productPhase(
  result: Pick<KmsProductResult, 'success' | 'error' | 'activeClients' | 'threshold'>,
): ProductPhase {
  if (result.success) {
    return result.activeClients !== null && result.activeClients < result.threshold
      ? 'below'
      : 'ok';
  }
  if (isRefusal(result.error)) return 'refused';
  if (result.error && CONNECT_FAILURE_REASONS.has(result.error.reason)) return 'unreached';
  return 'failed';
}

export const PRODUCT_PHASES: readonly ProductPhase[] = [
  'ok',
  'below',
  'refused',
  'unreached',
  'failed',
];
