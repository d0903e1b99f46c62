/**
 * ProbeFailure: how every step of a probe reports a named failure (docs/design.md principle 5).
 * Steps throw it; the probe loop catches it and turns it into the result's `error`. Nothing
 * else may escape: unknown exceptions are wrapped by `asProbeFailure` so a bug shows up as a
 * named failure in one result instead of a rejected promise in the poller.
 */
import { KmsDecodeError } from '../errors.js';
import { describeHresult, formatHresult } from '../hresult.js';
import type { KmsError, KmsFailureReason } from './result.js';

export class ProbeFailure extends Error {
  override readonly name = 'ProbeFailure';
  constructor(
    readonly reason: KmsFailureReason,
    message: string,
    /** HRESULT or fault status as `0xC004F042`, where there is one. */
    readonly code: string | null = null,
  ) {
    super(message);
  }

  toKmsError(): KmsError {
    return { reason: this.reason, code: this.code, message: this.message };
  }
}

/** Codec errors already carry a reason from the named set (KmsDecodeReason ⊂ reasons). */
export function fromDecodeError(error: KmsDecodeError, what: string): ProbeFailure {
  return new ProbeFailure(error.reason, `${what}: ${error.message}`);
}

/** Anything thrown inside a probe step, as a named failure. */
export function asProbeFailure(error: unknown, what: string): ProbeFailure {
  if (error instanceof ProbeFailure) return error;
  if (error instanceof KmsDecodeError) return fromDecodeError(error, what);
  const text = error instanceof Error ? error.message : String(error);
  // Not a protocol outcome but a local problem (e.g. an invalid product GUID): still named.
  return new ProbeFailure('malformed', `${what}: ${text}`);
}

/** The host answered with an HRESULT instead of a payload: 'kms_error' with Microsoft's words. */
export function hresultFailure(hresult: number, protocol: number): ProbeFailure {
  const code = formatHresult(hresult);
  const info = describeHresult(hresult);
  const meaning = info
    ? `${info.name}: ${info.meaning}`
    : 'an error code the monitor does not know';
  return new ProbeFailure(
    'kms_error',
    `host refused the v${protocol} request with ${code} (${meaning})`,
    code,
  );
}
