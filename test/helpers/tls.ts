/**
 * A throwaway PKI made with the openssl command line: a CA, a server certificate for
 * 127.0.0.1 and a client certificate signed by the CA, plus a certificate from an
 * unrelated CA to prove that strangers are refused. A second server certificate (a
 * renewal) and an RSA one serve the reload and cipher-suite tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  strangerCert: string;
  strangerKey: string;
  /** Another certificate for 127.0.0.1 from the same CA, with its own key: a renewal. */
  renewedCert: string;
  renewedKey: string;
  /** A server certificate with an RSA key (the others are P-256). */
  rsaCert: string;
  rsaKey: string;
  read(file: string): Buffer;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
    ],
    dir,
  );
}

function makeLeaf(dir: string, name: string, ca: string, ext: string, rsa = false): void {
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(
    [
      'req',
      '-newkey',
      ...(rsa ? ['rsa:2048'] : ['ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1']),
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name}`,
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.crt`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ],
    dir,
  );
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'kms-pki-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  makeLeaf(dir, 'server', 'ca', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  makeLeaf(dir, 'client', 'ca', 'extendedKeyUsage=clientAuth\n');
  makeLeaf(dir, 'stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
  const serverExt = 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n';
  makeLeaf(dir, 'renewed', 'ca', serverExt);
  makeLeaf(dir, 'rsa-server', 'ca', serverExt, true);
  const p = (f: string) => join(dir, f);
  return {
    dir,
    caCert: p('ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    strangerCert: p('stranger.crt'),
    strangerKey: p('stranger.key'),
    renewedCert: p('renewed.crt'),
    renewedKey: p('renewed.key'),
    rsaCert: p('rsa-server.crt'),
    rsaKey: p('rsa-server.key'),
    read: (file) => readFileSync(file),
  };
}
