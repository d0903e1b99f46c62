/**
 * Certificates and keys named by the web configuration, read through the bounded reader
 * and checked before any listener uses them: each file must hold what its key says (PEM
 * certificates, one unencrypted PEM private key), and the key must belong to the
 * certificate. Problems come back as short sentences naming the file, never OpenSSL text.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readBoundedFile } from '../util/read-bounded-file.js';

export class TlsMaterialError extends Error {
  override readonly name = 'TlsMaterialError';
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

async function read(path: string): Promise<Buffer> {
  try {
    return await readBoundedFile(path, 'file');
  } catch (err) {
    throw new TlsMaterialError((err as Error).message);
  }
}

function notPem(path: string, bytes: Buffer, what: string): TlsMaterialError {
  // A DER file starts with an ASN.1 SEQUENCE; say how to convert it.
  const der =
    bytes[0] === 0x30 ? ' (it looks like DER: convert it with `openssl x509 -inform der`)' : '';
  return new TlsMaterialError(`${path} contains no PEM ${what}${der}`);
}

/** Every certificate of a PEM file (a leaf and its chain, or a CA bundle). */
export async function readCertificates(
  path: string,
): Promise<{ pem: Buffer; certificates: X509Certificate[] }> {
  const pem = await read(path);
  const blocks = pem.toString('latin1').match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw notPem(path, pem, 'certificate (-----BEGIN CERTIFICATE-----)');
  const certificates = blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new TlsMaterialError(`${path}: certificate ${i + 1} is not a valid X.509 certificate`);
    }
  });
  return { pem, certificates };
}

export async function readPrivateKey(path: string): Promise<{ pem: Buffer; key: KeyObject }> {
  const pem = await read(path);
  try {
    return { pem, key: createPrivateKey({ key: pem, format: 'pem' }) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MISSING_PASSPHRASE' || /ENCRYPTED/.test(pem.toString('latin1'))) {
      throw new TlsMaterialError(
        `${path} holds an encrypted private key; kms-monitor needs it unencrypted (\`openssl pkey -in F -out F.plain\`)`,
      );
    }
    throw notPem(path, pem, 'private key (-----BEGIN PRIVATE KEY-----)');
  }
}

/** 'rsa' or 'ecdsa': which TLS 1.2 suites can use the certificate's key. */
export function keyKind(certificate: X509Certificate): 'rsa' | 'ecdsa' | 'other' {
  const type = certificate.publicKey.asymmetricKeyType;
  if (type === 'rsa' || type === 'rsa-pss') return 'rsa';
  if (type === 'ec' || type === 'ed25519' || type === 'ed448') return 'ecdsa';
  return 'other';
}

/** The key must be the private half of the first (leaf) certificate's public key. */
export function checkKeyPair(
  certificate: X509Certificate,
  key: KeyObject,
  certPath: string,
  keyPath: string,
): void {
  let matches: boolean;
  try {
    matches = certificate.checkPrivateKey(key);
  } catch {
    // A key of another type (RSA key, EC certificate) throws instead of answering false.
    matches = false;
  }
  if (!matches) {
    throw new TlsMaterialError(
      `the private key in ${keyPath} does not match the certificate in ${certPath}`,
    );
  }
}
