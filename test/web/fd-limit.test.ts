// File-descriptor exhaustion: `serve` (the built CLI) under a real hard limit of 1024 open
// files (prlimit), a real DNS server (dnsmasq on loopback) for the poller, and a thousand
// idle TCP connections from this process. New clients must still get /metrics, and the
// poller's lookups must keep succeeding instead of failing with EMFILE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectionBudget, openFilesLimit } from '../../src/web/fd-limit.js';
import { kmsSrvOwner, startDnsmasq } from '../fixtures/dns-dnsmasq.js';
import { REPO } from '../helpers/cli.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) });
  assert.equal(res.status, 200);
  return res.text();
}

test('the connection budget: the open-files limit minus a reserve for the poller', () => {
  assert.equal(
    openFilesLimit(
      () => 'Max open files            1024                 4096                 files\n',
    ),
    1024,
  );
  assert.equal(
    openFilesLimit(() => 'Max open files  unlimited  unlimited  files\n'),
    Infinity,
  );
  assert.equal(
    openFilesLimit(() => 'nothing useful'),
    null,
  );
  assert.equal(
    openFilesLimit(() => {
      throw new Error('no procfs');
    }),
    null,
  );
  assert.deepEqual(connectionBudget(1024, 64), {
    max: 832,
    fdLimit: 1024,
    reserve: 192,
    tooLow: false,
  });
  assert.equal(connectionBudget(256, 4096).max, 16);
  assert.equal(connectionBudget(256, 4096).tooLow, true);
  assert.equal(connectionBudget(Infinity, 64).max, 16_384);
});

test('1,000 idle connections under a 1024 open-files limit: /metrics answers, the poller keeps resolving', async () => {
  const dns = await startDnsmasq({
    srv: [{ name: kmsSrvOwner('fd.test'), target: 'kms.fd.test', port: 9 }],
    hosts: [{ name: 'kms.fd.test', addresses: ['127.0.0.1'] }],
    localDomains: ['fd.test'],
  });
  const dir = mkdtempSync(join(tmpdir(), 'kms-fd-'));
  const config = join(dir, 'kms.yml');
  writeFileSync(
    config,
    `interval: 1s\ntimeout: 1s\nresolvers: ['127.0.0.1:${dns.port}']\ndomains: [fd.test]\n`,
  );
  const child = spawn(
    'prlimit',
    [
      '--nofile=1024:1024',
      process.execPath,
      CLI,
      'serve',
      `--config.file=${config}`,
      '--web.listen-address=127.0.0.1:0',
      '--log.format=json',
    ],
    { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let logs = '';
  child.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const idle: Socket[] = [];
  try {
    const deadline = Date.now() + 30_000;
    while (
      !logs.includes('"msg":"listening"') &&
      Date.now() < deadline &&
      child.exitCode === null
    ) {
      await new Promise((r) => setTimeout(r, 25));
    }
    const line = logs.split('\n').find((l) => l.includes('"msg":"listening"'));
    assert.ok(line, `serve did not start:\n${logs}`);
    const { address: url, maxConnections } = JSON.parse(line) as {
      address: string;
      maxConnections: number;
    };
    assert.equal(maxConnections, 832, 'derived from the 1024 limit');
    const port = Number(new URL(url).port);
    const resolver = `127.0.0.1:${dns.port}`;
    const success = `kms_srv_lookup_success{domain="fd.test",resolver="${resolver}"}`;
    const lookups = 'kms_probes_total{kind="dns"}';
    const before = await scrape(url);

    // A thousand clients that connect and then say nothing.
    await Promise.all(
      Array.from(
        { length: 1000 },
        () =>
          new Promise<void>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => resolve());
            socket.on('error', () => resolve());
            socket.on('close', () => resolve());
            idle.push(socket);
          }),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    // New clients get in: the idle ones were shed to make room.
    const during = await scrape(url);
    const open = idle.filter((s) => !s.destroyed && s.readyState === 'open').length;
    assert.ok(open < 1000, `${open} idle connections still open: none was shed`);
    // And the poller went on resolving with descriptors to spare.
    // (Polled rather than timed: a loaded machine may take more than one interval.)
    let lookupsDuring = value(during, lookups) ?? 0;
    for (let i = 0; i < 40 && lookupsDuring <= (value(before, lookups) ?? 0); i++) {
      await new Promise((r) => setTimeout(r, 250));
      lookupsDuring = value(await scrape(url), lookups) ?? 0;
    }
    assert.ok(lookupsDuring > (value(before, lookups) ?? 0), 'lookups went on among idle clients');
    await new Promise((r) => setTimeout(r, 2_500));
    const later = await scrape(url);
    assert.ok((value(later, lookups) ?? 0) > lookupsDuring, 'lookups continued');
    assert.equal(
      value(later, success),
      1,
      later
        .split('\n')
        .filter((l) => l.includes('fd.test'))
        .join('\n'),
    );
    assert.doesNotMatch(later, /kms_srv_lookup_failures_total\{[^}]*reason="network"/);
    assert.doesNotMatch(logs, /EMFILE/);
  } finally {
    for (const s of idle) s.destroy();
    if (child.exitCode === null) child.kill('SIGTERM');
    assert.equal(await exited, 0, logs.slice(-2000));
    await dns.stop();
  }
});
