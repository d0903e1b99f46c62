/**
 * The client-certificate policies OpenSSL does not enforce by itself in Node. With
 * `requestCert` and `rejectUnauthorized`, Node refuses a missing or unverified certificate
 * (RequireAndVerifyClientCert); the other policies run with `rejectUnauthorized: false`
 * and are decided here, as soon as the handshake is done and before the HTTP parser reads
 * a byte: RequireAnyClientCert needs some certificate, VerifyClientCertIfGiven refuses a
 * certificate that does not verify against client_ca_file. This is also how Node itself
 * refuses an unverified certificate: by closing the connection after the handshake.
 */
import type { TLSSocket } from 'node:tls';
import type { ClientAuthType } from './web-config.js';

/** Null when the connection may go on, else why it is closed (for the debug log). */
export function clientCertificateVerdict(socket: TLSSocket, policy: ClientAuthType): string | null {
  if (policy !== 'RequireAnyClientCert' && policy !== 'VerifyClientCertIfGiven') return null;
  const given = Boolean(socket.getPeerCertificate()?.raw);
  if (policy === 'RequireAnyClientCert') return given ? null : 'no client certificate';
  if (!given || socket.authorized) return null;
  return `client certificate refused: ${String(socket.authorizationError)}`;
}
