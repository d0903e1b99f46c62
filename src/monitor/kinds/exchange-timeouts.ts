/** The timeouts of one KMS connection carrying `requests` requests, from the plan's timeout. */
import type { KmsProbeOptions } from '../../kms/client/index.js';

export function exchangeTimeouts(timeoutMs: number, requests: number): KmsProbeOptions['timeouts'] {
  return {
    connectMs: timeoutMs,
    bindMs: timeoutMs,
    requestMs: timeoutMs,
    // Every phase may take its full timeout once, plus one fallback per request.
    overallMs: timeoutMs * (2 + 2 * requests),
  };
}
