// The web configuration's TLS choices against real handshakes: `serve` (the built CLI) on
// loopback, Node's TLS client on the other end, certificates from a throwaway PKI.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { request, type RequestOptions } from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { startServer, type RunningServer } from '../helpers/cli.js';
import { makePki, type Pki } from '../helpers/tls.js';

let pki: Pki;
before(() => {
  pki = makePki();
});

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  cipher: string;
  fingerprint: string;
}

function get(url: string, options: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca: pki.read(pki.caCert), agent: false, timeout: 5_000, ...options },
      (res) => {
        const socket = res.socket as TLSSocket;
        const cipher = socket.getCipher().name;
        const fingerprint = socket.getPeerCertificate().fingerprint256;
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers, cipher, fingerprint }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function webConfig(name: string, yaml: string): string {
  const file = join(pki.dir, name);
  writeFileSync(file, yaml);
  return file;
}

async function withServe(file: string, fn: (server: RunningServer) => Promise<void>) {
  const server = await startServer('serve', [`--web.config.file=${file}`]);
  try {
    await fn(server);
  } finally {
    assert.equal(await server.stop(), 0);
  }
}

const fingerprintOf = (file: string) => new X509Certificate(pki.read(file)).fingerprint256;
const TLS = 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n';

test('VerifyClientCertIfGiven: no certificate or a CA-signed one get in, a stranger is refused in the handshake', async () => {
  const file = webConfig(
    'verify-if-given.yml',
    `${TLS}  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n`,
  );
  await withServe(file, async (server) => {
    assert.equal((await get(`${server.url}/-/healthy`)).status, 200, 'no certificate');
    const signed = await get(`${server.url}/-/healthy`, {
      cert: pki.read(pki.clientCert),
      key: pki.read(pki.clientKey),
    });
    assert.equal(signed.status, 200, 'a certificate from client_ca_file');
    await assert.rejects(
      get(`${server.url}/-/healthy`, {
        cert: pki.read(pki.strangerCert),
        key: pki.read(pki.strangerKey),
      }),
      /socket hang up|ECONNRESET|alert/,
      'a certificate from another CA',
    );
  });
});

test('RequireAnyClientCert: a connection without a certificate is refused', async () => {
  const file = webConfig('require-any.yml', `${TLS}  client_auth_type: RequireAnyClientCert\n`);
  await withServe(file, async (server) => {
    await assert.rejects(get(`${server.url}/-/healthy`), /socket hang up|ECONNRESET|alert/);
    const any = await get(`${server.url}/-/healthy`, {
      cert: pki.read(pki.strangerCert),
      key: pki.read(pki.strangerKey),
    });
    assert.equal(any.status, 200, 'any certificate will do, as the name says');
  });
});

test('TLS 1.2 without cipher_suites: only forward-secret ECDHE suites (an RSA-key-exchange client is refused)', async () => {
  const file = webConfig(
    'rsa.yml',
    'tls_server_config:\n  cert_file: rsa-server.crt\n  key_file: rsa-server.key\n',
  );
  await withServe(file, async (server) => {
    const url = `${server.url}/-/healthy`;
    const ecdhe = await get(url, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
    assert.equal(ecdhe.cipher, 'ECDHE-RSA-AES128-GCM-SHA256');
    for (const ciphers of ['AES128-GCM-SHA256', 'AES256-SHA', 'DHE-RSA-AES128-GCM-SHA256']) {
      await assert.rejects(
        get(url, { maxVersion: 'TLSv1.2', ciphers }),
        /handshake failure|no shared cipher|alert|ECONNRESET/,
        `${ciphers} must not be negotiated`,
      );
    }
  });
});

test('cipher_suites in server order (prefer_server_cipher_suites), or in the client order when false', async () => {
  const suites =
    '  max_version: TLS12\n  cipher_suites:\n    - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\n    - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n';
  const clientOrder = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384';
  await withServe(webConfig('order.yml', `${TLS}${suites}`), async (server) => {
    const url = `${server.url}/-/healthy`;
    assert.equal(
      (await get(url, { ciphers: clientOrder })).cipher,
      'ECDHE-ECDSA-AES256-GCM-SHA384',
    );
    await assert.rejects(
      get(url, { ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305' }),
      /handshake failure|no shared cipher|alert|ECONNRESET/,
      'a suite not listed',
    );
  });
  await withServe(
    webConfig('client-order.yml', `${TLS}${suites}  prefer_server_cipher_suites: false\n`),
    async (server) => {
      const answer = await get(`${server.url}/-/healthy`, { ciphers: clientOrder });
      assert.equal(answer.cipher, 'ECDHE-ECDSA-AES128-GCM-SHA256');
    },
  );
});

test('curve_preferences limits the ECDHE curves', async () => {
  const file = webConfig('curves.yml', `${TLS}  curve_preferences: [CurveP384]\n`);
  await withServe(file, async (server) => {
    const url = `${server.url}/-/healthy`;
    assert.equal((await get(url, { ecdhCurve: 'P-384' })).status, 200);
    await assert.rejects(
      get(url, { ecdhCurve: 'P-256:X25519' }),
      /handshake failure|alert|ECONNRESET/,
      'a client without P-384',
    );
  });
});

test('http_server_config.headers go on every response; the status page keeps its own policy', async () => {
  const file = webConfig(
    'headers.yml',
    `${TLS}http_server_config:\n  headers:\n    X-Frame-Options: sameorigin\n    Strict-Transport-Security: max-age=600\n    Content-Security-Policy: "default-src 'self'"\n`,
  );
  await withServe(file, async (server) => {
    const metrics = await get(`${server.url}/metrics`);
    assert.equal(metrics.headers['x-frame-options'], 'sameorigin');
    assert.equal(metrics.headers['strict-transport-security'], 'max-age=600');
    assert.equal(metrics.headers['content-security-policy'], "default-src 'self'");
    const page = await get(`${server.url}/`);
    assert.equal(page.headers['strict-transport-security'], 'max-age=600');
    assert.match(String(page.headers['content-security-policy']), /^default-src 'none'; /);
    assert.equal(page.headers['x-frame-options'], 'DENY');
  });
});

test('reload re-reads the web configuration: a renewed certificate without restart; a broken file keeps the old one', async () => {
  const hash = (pw: string) => bcrypt.hashSync(pw, 4);
  const file = join(pki.dir, 'reload.yml');
  writeFileSync(file, `${TLS}basic_auth_users:\n  admin: '${hash('old')}'\n`);
  const auth = (pw: string) => ({
    Authorization: `Basic ${Buffer.from(`admin:${pw}`).toString('base64')}`,
  });
  await withServe(file, async (server) => {
    const url = `${server.url}/metrics`;
    assert.equal(
      (await get(url, { headers: auth('old') })).fingerprint,
      fingerprintOf(pki.serverCert),
    );

    writeFileSync(
      file,
      `tls_server_config:\n  cert_file: renewed.crt\n  key_file: renewed.key\nbasic_auth_users:\n  admin: '${hash('new')}'\n`,
    );
    const reload = await get(`${server.url}/-/reload`, { method: 'POST', headers: auth('old') });
    assert.equal(reload.status, 200, reload.body);
    const renewed = await get(url, { headers: auth('new') });
    assert.equal(renewed.status, 200);
    assert.equal(renewed.fingerprint, fingerprintOf(pki.renewedCert), 'the new certificate');
    assert.equal((await get(url, { headers: auth('old') })).status, 401, 'the old password');

    // A broken web configuration: the reload fails, says why, and nothing changes.
    writeFileSync(file, `tls_server_config:\n  cert_file: server.crt\n  key_file: client.key\n`);
    const bad = await get(`${server.url}/-/reload`, { method: 'POST', headers: auth('new') });
    assert.equal(bad.status, 500);
    assert.match(
      bad.body,
      /reload\.yml:3:\d+: tls_server_config\.key_file: the private key in .*client\.key does not match the certificate in .*server\.crt/,
    );
    const still = await get(url, { headers: auth('new') });
    assert.equal(still.fingerprint, fingerprintOf(pki.renewedCert));
    assert.match(still.body, /^kms_exporter_config_last_reload_successful 0$/m);
    assert.match(server.logs(), /configuration reload failed, keeping the previous configuration/);

    // SIGHUP reads it too; turning TLS off needs a restart and is refused.
    writeFileSync(file, `basic_auth_users:\n  admin: '${hash('new')}'\n`);
    server.child.kill('SIGHUP');
    await server.waitForLog('a reload cannot turn TLS off');
    assert.equal((await get(url, { headers: auth('new') })).status, 200, 'still HTTPS');
  });
});
