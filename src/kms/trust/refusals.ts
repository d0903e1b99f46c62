/**
 * Requests a genuine host must refuse, each with one HRESULT: a KMS counted ID no host key
 * covers and a retail product (0xC004F042), a request dated 5 hours off (0xC004F06C). An
 * answer is proof that what answers is not a genuine KMS host; a refusal adds nobody to the
 * host's count, so the controls are safe to send every sweep.
 */
import { formatHresult, HRESULT } from '../hresult.js';
import { describeAnswer, type ObservedAnswer } from './answer.js';
import { trustResult, type TrustCheckName, type TrustCheckResult } from './verdict.js';

export type RefusalCheck = Extract<
  TrustCheckName,
  'control_unknown_id' | 'control_retail' | 'clock_window'
>;

const EXPECTED: Record<RefusalCheck, { code: number; request: string }> = {
  control_unknown_id: {
    code: HRESULT.KEY_NOT_COVERED,
    request: 'a KMS counted ID no host key covers',
  },
  control_retail: { code: HRESULT.KEY_NOT_COVERED, request: 'a retail product' },
  clock_window: { code: HRESULT.INVALID_TIMESTAMP, request: 'a request dated 5 hours off' },
};

/** The verdict on a request the host must refuse; `answer` undefined when not sent. */
export function refusalCheck(
  check: RefusalCheck,
  answer: ObservedAnswer | undefined,
): TrustCheckResult {
  const { code, request } = EXPECTED[check];
  const expected = formatHresult(code);
  if (answer === undefined) return trustResult(check, 'not_run', `${request} was not sent`);
  if (answer.success) {
    return trustResult(
      check,
      'failed',
      `${request} was ${describeAnswer(answer)}: a genuine host refuses it with ${expected}`,
    );
  }
  if (answer.error?.reason !== 'kms_error' || answer.error.code === null) {
    // No answer at all (timeout, closed connection): nothing to judge.
    return trustResult(
      check,
      'not_run',
      `${request} got no KMS answer (${describeAnswer(answer)})`,
    );
  }
  if (answer.error.code.toUpperCase() === expected.toUpperCase()) {
    return trustResult(check, 'pass', `${request} was refused with ${expected}`);
  }
  return trustResult(
    check,
    'suspicious',
    `${request} was refused with ${answer.error.code}, where a genuine host sends ${expected}`,
  );
}
