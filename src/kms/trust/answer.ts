/** What a trust check needs of one KMS exchange: a subset of the probe result. */
import type { KmsProductResult } from '../client/result.js';

export type ObservedAnswer = Pick<
  KmsProductResult,
  'success' | 'activeClients' | 'epid' | 'hwid'
> & {
  error: Pick<NonNullable<KmsProductResult['error']>, 'reason' | 'code'> | null;
};

/** `count 50, ePID …` or the failure, for evidence lines. */
export function describeAnswer(answer: ObservedAnswer): string {
  if (answer.success)
    return `answered with count ${answer.activeClients ?? '?'} and ePID ${answer.epid ?? '?'}`;
  const code = answer.error?.code ? ` ${answer.error.code}` : '';
  return `failed: ${answer.error?.reason ?? 'unknown'}${code}`;
}
