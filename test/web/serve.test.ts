import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { runCli, startServer } from '../helpers/cli.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';

const dir = mkdtempSync(join(tmpdir(), 'kms-serve-'));

function metricValue(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('serve answers /metrics with valid exposition text and the build info', async () => {
  const server = await startServer('serve', []);
  try {
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(
      text,
      /^kms_exporter_build_info\{version="\d+\.\d+\.\d+",nodejs_version="\d+\.[\d.]+"\} 1$/m,
    );
    assert.equal(metricValue(text, 'kms_exporter_config_last_reload_successful'), 1);
    assert.ok(
      (metricValue(text, 'kms_exporter_config_last_reload_success_timestamp_seconds') ?? 0) > 1.7e9,
    );
    assert.match(text, /^process_cpu_seconds_total /m);
    const lint = promtoolCheckMetrics(text);
    assert.ok(lint.ok, lint.output);
    assert.equal(lint.output.trim(), '');
    assert.equal((await fetch(`${server.url}/-/healthy`)).status, 200);
    assert.equal((await fetch(`${server.url}/-/ready`)).status, 200);
    assert.equal((await fetch(`${server.url}/nope`)).status, 404);
  } finally {
    assert.equal(await server.stop(), 0, 'graceful shutdown exits 0');
  }
});

test('SIGINT shuts down gracefully too', async () => {
  const server = await startServer('serve', []);
  server.child.kill('SIGINT');
  assert.equal(await server.exited, 0);
  assert.match(server.logs(), /"signal":"SIGINT"/);
});

test('reload via SIGHUP and POST /-/reload; a broken reload keeps the old configuration', async () => {
  const file = join(dir, 'kms.yml');
  writeFileSync(file, 'interval: 30s\nresolvers: [127.0.0.1:9]\ndomains: [a.example.test]\n');
  const server = await startServer('serve', [`--config.file=${file}`]);
  try {
    writeFileSync(
      file,
      'interval: 30s\nresolvers: [127.0.0.1:9]\ndomains: [a.example.test, b.example.test]\n',
    );
    server.child.kill('SIGHUP');
    await server.waitForLog('"domains":2');

    writeFileSync(file, 'interval: 30s\nresolvers: [127.0.0.1:9]\ndomains: [c.example.test]\n');
    const ok = await fetch(`${server.url}/-/reload`, { method: 'POST' });
    assert.equal(ok.status, 200);
    await server.waitForLog('"domains":1');
    let text = await (await fetch(`${server.url}/metrics`)).text();
    assert.equal(metricValue(text, 'kms_exporter_config_last_reload_successful'), 1);

    writeFileSync(
      file,
      'interval: 30s\nresolvers: [127.0.0.1:9]\ndomains: [c.example.test]\nbogus: 1\n',
    );
    const bad = await fetch(`${server.url}/-/reload`, { method: 'POST' });
    assert.equal(bad.status, 500);
    assert.match(await bad.text(), /kms\.yml:4:1: bogus: unknown key/);
    text = await (await fetch(`${server.url}/metrics`)).text();
    assert.equal(metricValue(text, 'kms_exporter_config_last_reload_successful'), 0);

    server.child.kill('SIGHUP');
    await server.waitForLog('keeping the previous configuration');
    // Still serving, with the last good configuration.
    assert.equal((await fetch(`${server.url}/-/healthy`)).status, 200);
    assert.equal((await fetch(`${server.url}/-/reload`)).status, 404, 'reload is POST only');
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('a request the HTTP parser refuses gets a bare 400 and the connection closes', async () => {
  const server = await startServer('serve', []);
  try {
    const { port } = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let data = '';
      socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
      socket.write('GET /metrics\x7f HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    assert.match(
      answer,
      /^HTTP\/1\.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n$/,
    );
    assert.equal((await fetch(`${server.url}/-/healthy`)).status, 200, 'still serving');
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('nothing to watch: a warning at start and after each reload that says what to configure', async () => {
  // A resolv.conf without a search line (and nothing to ask: no domain, no host).
  const resolv = join(dir, 'resolv-no-search.conf');
  writeFileSync(resolv, 'nameserver 127.0.0.1\n');
  const server = await startServer('serve', [`--dns.resolv-conf=${resolv}`]);
  try {
    await server.waitForLog('nothing to watch');
    assert.match(
      server.logs(),
      /"level":"warn".*"msg":"nothing to watch: no domains and no hosts are configured .*set domains or hosts in the configuration file, pass --domain or --host/,
    );
    const count = () => server.logs().split('nothing to watch').length - 1;
    assert.equal(count(), 1);
    assert.equal((await fetch(`${server.url}/-/reload`, { method: 'POST' })).status, 200);
    assert.equal(count(), 2, 'warned again after the reload');
  } finally {
    assert.equal(await server.stop(), 0);
  }
  const watching = await startServer('serve', ['--host=127.0.0.1:9']);
  try {
    assert.doesNotMatch(watching.logs(), /nothing to watch/);
  } finally {
    assert.equal(await watching.stop(), 0);
  }
});

test('--web.max-connections must be a whole number in range', async () => {
  for (const bad of ['abc', '0', '1e3', '99999999']) {
    const { code, stderr } = await runCli(['serve', `--web.max-connections=${bad}`]);
    assert.equal(code, 2, bad);
    assert.match(stderr, /--web\.max-connections must be a whole number from 1 to 16384; got/);
  }
});
