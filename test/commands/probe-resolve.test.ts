// `kms-monitor probe NAME`: the name is resolved by kms-monitor's own DNS client at the
// --resolver given, else at the resolv.conf nameservers, never by the operating system;
// a failure shared by every product is printed once; what the host sends is escaped.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProbeCommand } from '../../src/commands/probe.js';
import { startLabKmsHost, type LabKmsHost } from '../../src/lab/index.js';
import {
  addressRecords,
  startDnsZoneServer,
  type DnsZoneServer,
} from '../../src/lab/dns-zone-server.js';
import { LOOPBACK_RESOLV_CONF } from '../helpers/cli.js';

const ZONE = 'probe.kms-lab.test';
const dir = mkdtempSync(join(tmpdir(), 'kms-probe-'));

function resolvConf(text: string): string {
  const file = join(dir, `resolv-${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(file, text);
  return file;
}

async function probe(args: string[], resolvConfPath = LOOPBACK_RESOLV_CONF) {
  let stdout = '';
  let stderr = '';
  const command = createProbeCommand({
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    resolvConfPath,
  });
  const code = await command.run(args);
  return { code, stdout, stderr };
}

describe('probe resolves host names with its own DNS client', () => {
  let host: LabKmsHost;
  let dns: DnsZoneServer;
  before(async () => {
    host = await startLabKmsHost({ counts: { windows: 30 } });
    dns = await startDnsZoneServer({
      zones: { [ZONE]: addressRecords(`kms1.${ZONE}`, ['127.0.0.1']) },
    });
  });
  after(async () => {
    await Promise.all([host.close(), dns.close()]);
  });

  it('--resolver: the name resolves there, the report says where', async () => {
    const run = await probe([
      `kms1.${ZONE}:${host.port}`,
      `--resolver=${dns.resolver}`,
      '--product=lab-windows',
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `^KMS host kms1\\.probe\\.kms-lab\\.test:${host.port} \\(127\\.0\\.0\\.1, resolved by ${dns.resolver}\\)\\n`,
      ),
    );
    const json = await probe([
      `kms1.${ZONE}:${host.port}`,
      `--resolver=${dns.resolver}`,
      '--product=lab-windows',
      '--json',
    ]);
    const [r] = JSON.parse(json.stdout) as Array<{ host: string; address: string }>;
    assert.deepEqual([r?.host, r?.address], [`kms1.${ZONE}`, '127.0.0.1']);
  });

  it('no --resolver: the nameservers of the resolv.conf (--dns.resolv-conf or the default)', async () => {
    const conf = resolvConf(`nameserver ${dns.resolver}\n`);
    const viaFlag = await probe([
      `kms1.${ZONE}:${host.port}`,
      `--dns.resolv-conf=${conf}`,
      '--product=lab-windows',
    ]);
    assert.equal(viaFlag.code, 0, viaFlag.stdout + viaFlag.stderr);
    assert.ok(viaFlag.stdout.includes(`resolved by ${dns.resolver}`));
    const viaDefault = await probe([`kms1.${ZONE}:${host.port}`, '--product=lab-windows'], conf);
    assert.equal(viaDefault.code, 0, viaDefault.stdout + viaDefault.stderr);
  });

  it('a name without address: no_address for every product, printed once, exit 1', async () => {
    const run = await probe([
      `gone.${ZONE}:${host.port}`,
      `--resolver=${dns.resolver}`,
      '--product=lab-windows',
      '--product=lab-office',
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /\(no address, resolved by /);
    assert.match(
      run.stdout,
      /^lab-windows \(Lab Windows client\), lab-office \(Lab Office \(2013\+ application\)\): FAILED, /m,
    );
    assert.equal(run.stdout.split('Reason     no_address').length - 1, 1, run.stdout);
    assert.match(run.stdout, /0 of 2 product\(s\) answered/);
  });

  it('a resolver that never answers: a named failure within --timeout, not the OS resolver', async () => {
    const started = performance.now();
    const run = await probe([
      `kms1.${ZONE}:${host.port}`,
      '--product=lab-windows',
      '--timeout=400ms',
    ]);
    assert.ok(performance.now() - started < 2000);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /resolved by 127\.0\.0\.1:9\)/);
    assert.match(run.stdout, /Reason {5}no_address/);
  });

  it('no resolver anywhere: exit 2 naming the file read', async () => {
    const empty = resolvConf('# nothing\n');
    const run = await probe([`kms1.${ZONE}`, `--dns.resolv-conf=${empty}`]);
    assert.equal(run.code, 2);
    assert.ok(run.stderr.includes(`give --resolver, or a nameserver line in ${empty}`), run.stderr);
    const bad = await probe([`kms1.${ZONE}`, '--resolver=nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--resolver: invalid resolver "nope"/);
  });

  it('an IP literal is not looked up', async () => {
    const empty = resolvConf('# nothing\n');
    const run = await probe([
      `127.0.0.1:${host.port}`,
      `--dns.resolv-conf=${empty}`,
      '--product=lab-windows',
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /resolved by/);
  });
});

describe('probe output', () => {
  it('a connection refused is printed once for all products', async () => {
    const host = await startLabKmsHost({ fault: { mode: 'refuse_connection' } });
    try {
      const run = await probe([
        `127.0.0.1:${host.port}`,
        '--product=lab-windows',
        '--product=lab-office',
        '--product=lab-windows-server',
      ]);
      assert.equal(run.code, 1);
      assert.equal(run.stdout.split('Reason     connect_refused').length - 1, 1, run.stdout);
      assert.equal(run.stdout.split('Fix        Nothing listens').length - 1, 1);
      assert.match(
        run.stdout,
        /^lab-windows \(.*\), lab-office \(.*\), lab-windows-server \(.*\): FAILED/m,
      );
      assert.match(run.stdout, /0 of 3 product\(s\) answered/);
    } finally {
      await host.close();
    }
  });

  it('a hostile ePID cannot drive the terminal: the answer is refused, nothing raw printed', async () => {
    // The KMS layer refuses an ePID outside printable ASCII; the escaping behind it would
    // catch one that got through.
    const epid = '\x1b[2J\x1b[31mfake\nKMS host spoofed';
    const host = await startLabKmsHost({ epid: { windows: epid } });
    try {
      const run = await probe([`127.0.0.1:${host.port}`, '--product=lab-windows']);
      assert.equal(run.code, 1, run.stdout);
      assert.match(run.stdout, /Reason {5}malformed/);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(run.stdout, /[\x00-\x09\x0b-\x1f]/);
      assert.equal(run.stdout.match(/^KMS host/gm)?.length, 1);
    } finally {
      await host.close();
    }
  });
});
