// --web.unauthenticated-health: with basic auth on, Docker HEALTHCHECK and Kubernetes
// probes need /-/healthy and /-/ready without credentials; nothing else may open up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { startServer } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kms-health-'));
const file = join(dir, 'web.yml');
writeFileSync(file, `basic_auth_users:\n  prometheus: '${bcrypt.hashSync('pw', 4)}'\n`);
const credentials = `Basic ${Buffer.from('prometheus:pw').toString('base64')}`;

/** A raw request, so that the path goes out exactly as written (no URL normalisation). */
function send(url: string, method: string, path: string, authorization?: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, method, path, headers: authorization ? { authorization } : {} },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('without the flag, basic auth covers the health endpoints too', async () => {
  const server = await startServer('serve', [`--web.config.file=${file}`]);
  try {
    assert.equal(await send(server.url, 'GET', '/-/healthy'), 401);
    assert.equal(await send(server.url, 'GET', '/-/ready'), 401);
    assert.equal(await send(server.url, 'GET', '/-/healthy', credentials), 200);
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('--web.unauthenticated-health opens /-/healthy and /-/ready (GET, HEAD) and nothing else', async () => {
  const server = await startServer('serve', [
    `--web.config.file=${file}`,
    '--web.unauthenticated-health',
  ]);
  try {
    const url = server.url;
    assert.equal(await send(url, 'GET', '/-/healthy'), 200);
    assert.equal(await send(url, 'HEAD', '/-/healthy'), 200);
    // No domain, no host: the first round finishes at once.
    assert.equal(await send(url, 'GET', '/-/ready'), 200);
    assert.equal(await send(url, 'HEAD', '/-/ready'), 200);
    for (const [method, path] of [
      ['GET', '/metrics'],
      ['GET', '/'],
      ['GET', '/api/v1/status'],
      ['GET', '/static/status.css'],
      ['POST', '/-/reload'],
      ['POST', '/-/healthy'],
      ['GET', '/-/healthy/'],
      ['GET', '/-/healthy/../metrics'],
      ['GET', '//-/healthy'],
      ['GET', '/-/HEALTHY'],
      ['GET', '/nope'],
    ] as const) {
      assert.equal(await send(url, method, path), 401, `${method} ${path}`);
    }
    assert.equal(await send(url, 'GET', '/metrics', credentials), 200);
    assert.equal(await send(url, 'GET', '/-/healthy?x=1'), 400, 'the query is still checked');
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('--web.max-connections takes a whole number', async () => {
  const server = await startServer('serve', ['--web.max-connections=50']);
  try {
    assert.match(server.logs(), /"maxConnections":50,/);
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
