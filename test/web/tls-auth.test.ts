import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { startServer, runCli } from '../helpers/cli.js';
import { makePki, type Pki } from '../helpers/tls.js';

let pki: Pki;
before(() => {
  pki = makePki();
});

interface Answer {
  status: number;
  body: string;
}

function get(url: string, options: RequestOptions = {}): Promise<Answer> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { ...options, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const basic = (user: string, password: string) => ({
  Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

test('basic auth: right password 200, wrong password or none 401, over real TLS', async () => {
  const file = join(pki.dir, 'web-auth.yml');
  // htpasswd and Prometheus' docs write $2y$ hashes; they must work too.
  const hash = bcrypt.hashSync('s3cret', 4).replace(/^\$2b\$/, '$2y$');
  writeFileSync(
    file,
    `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  admin: '${hash}'\n`,
  );
  const server = await startServer('serve', [`--web.config.file=${file}`]);
  try {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = pki.read(pki.caCert);
    const ok = await get(`${server.url}/metrics`, { ca, headers: basic('admin', 's3cret') });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /kms_exporter_build_info/);
    assert.equal(
      (await get(`${server.url}/metrics`, { ca, headers: basic('admin', 'wrong') })).status,
      401,
    );
    assert.equal(
      (await get(`${server.url}/metrics`, { ca, headers: basic('nobody', 's3cret') })).status,
      401,
    );
    assert.equal((await get(`${server.url}/-/healthy`, { ca })).status, 401);
    // Plain HTTP to the TLS port is refused: no HTTP answer comes back.
    await assert.rejects(get(server.url.replace('https:', 'http:') + '/metrics'));
    // An unknown CA is refused by the client (the server's certificate is checked).
    await assert.rejects(get(`${server.url}/metrics`, { headers: basic('admin', 's3cret') }));
    assert.doesNotMatch(server.logs(), /s3cret|\$2y\$/, 'no secrets logged');
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('client certificates: RequireAndVerifyClientCert admits the CA-signed client only', async () => {
  const file = join(pki.dir, 'web-mtls.yml');
  writeFileSync(
    file,
    'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n',
  );
  const server = await startServer('serve', [`--web.config.file=${file}`]);
  try {
    const ca = pki.read(pki.caCert);
    const ok = await get(`${server.url}/-/healthy`, {
      ca,
      cert: pki.read(pki.clientCert),
      key: pki.read(pki.clientKey),
    });
    assert.equal(ok.status, 200);
    await assert.rejects(get(`${server.url}/-/healthy`, { ca }), 'no client certificate');
    await assert.rejects(
      get(`${server.url}/-/healthy`, {
        ca,
        cert: pki.read(pki.strangerCert),
        key: pki.read(pki.strangerKey),
      }),
      'client certificate from another CA',
    );
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('a bad web config file exits 2 naming the key and line', async () => {
  const file = join(pki.dir, 'web-bad.yml');
  writeFileSync(file, 'basic_auth_users:\n  admin: plaintext-password\n');
  const { code, stderr } = await runCli([
    'serve',
    `--web.config.file=${file}`,
    '--web.listen-address=127.0.0.1:0',
  ]);
  assert.equal(code, 2);
  assert.match(stderr, /web-bad\.yml:2:\d+: basic_auth_users\.admin: must be a bcrypt hash/);
  assert.doesNotMatch(stderr, /plaintext-password/, 'the rejected secret is not echoed');
  const missing = join(pki.dir, 'web-missing.yml');
  writeFileSync(missing, 'tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n');
  const res = await runCli([
    'serve',
    `--web.config.file=${missing}`,
    '--web.listen-address=127.0.0.1:0',
  ]);
  assert.equal(res.code, 2);
  assert.match(
    res.stderr,
    /web-missing\.yml:2:\d+: tls_server_config\.cert_file: file \/.*\/nope\.crt does not exist/,
  );
});
