/**
 * Why a forest could not be read, as one named reason (the `reason` of adba_unreadable and
 * of the metrics) plus a message for the admin. The phase the read was in decides most of
 * it: a refused TCP connection is `connect`, a certificate problem `tls`, a refused bind
 * `bind`, a missing container `not_found`, silence past the timeout `timeout`, anything
 * else the server does wrong `protocol`.
 */
import { InvalidCredentialsError, NoSuchObjectError, ResultCodeError } from 'ldapts';
import type { AdbaFailureReason, AdbaPhase } from './failure-reasons.js';

export { ADBA_FAILURE_REASONS, type AdbaFailureReason, type AdbaPhase } from './failure-reasons.js';

export class AdbaReadError extends Error {
  override readonly name = 'AdbaReadError';
  constructor(
    readonly reason: AdbaFailureReason,
    message: string,
  ) {
    super(message);
  }
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'EPIPE',
]);

function isTlsError(err: Error & { code?: unknown }): boolean {
  // ldapts result errors carry a numeric LDAP result code here, Node errors a string.
  const code = typeof err.code === 'string' ? err.code : '';
  return (
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    code.includes('CERT') ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
    /certificate|SSL|TLS/i.test(err.message)
  );
}

/** `err` from phase `phase` as a named failure; the message never holds the password. */
export function classifyFailure(err: unknown, phase: AdbaPhase, timeoutMs: number): AdbaReadError {
  if (err instanceof AdbaReadError) return err;
  const e = (err instanceof Error ? err : new Error(String(err))) as Error & { code?: unknown };
  const nodeCode = typeof e.code === 'string' ? e.code : '';
  const detail = e.message.split('\n')[0] ?? '';
  if (/timed? ?out/i.test(detail)) {
    if (phase === 'connect')
      return new AdbaReadError('connect', `no TCP connection within ${timeoutMs} ms`);
    return new AdbaReadError('timeout', `no answer within ${timeoutMs} ms (${phase})`);
  }
  if (phase === 'connect' && (CONNECT_CODES.has(nodeCode) || !isTlsError(e))) {
    return new AdbaReadError('connect', `cannot connect: ${detail}`);
  }
  if (phase === 'tls' || isTlsError(e)) return new AdbaReadError('tls', `TLS failed: ${detail}`);
  if (phase === 'bind') {
    if (err instanceof InvalidCredentialsError) {
      return new AdbaReadError('bind', 'the directory refused the bind: invalid credentials (49)');
    }
    if (err instanceof ResultCodeError) {
      return new AdbaReadError('bind', `the directory refused the bind: ${detail} (${err.code})`);
    }
  }
  if (err instanceof NoSuchObjectError) {
    return new AdbaReadError('not_found', `the base does not exist (32): ${detail}`);
  }
  if (CONNECT_CODES.has(nodeCode)) {
    return new AdbaReadError('protocol', `the connection broke during ${phase}: ${detail}`);
  }
  if (err instanceof ResultCodeError) {
    return new AdbaReadError(
      'protocol',
      `the directory refused the ${phase}: ${detail} (${err.code})`,
    );
  }
  return new AdbaReadError('protocol', `${phase} failed: ${detail}`);
}
