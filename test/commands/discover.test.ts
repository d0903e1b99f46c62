/**
 * `kms-monitor discover` through its Command interface: flags, defaults from a temporary
 * resolv.conf, the table, the docs/design.md JSON and the exit codes. Served by the DNS fault
 * server on 127.0.0.1 (dnsmasq-backed checks against dig are in test/dns/dnsmasq.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDiscoverCommand, discoverCommand } from '../../src/commands/discover.js';
import { faultDomain, startFaultServer, type FaultServer } from '../fixtures/dns-fault-zones.js';
import { HOSTILE_TARGETS, HOSTILE_ZONE, startHostileDns } from './hostile-dns.js';

let server: FaultServer;
let dir: string;
let resolver: string;

before(async () => {
  server = await startFaultServer();
  resolver = `--resolver=127.0.0.1:${server.port}`;
  dir = await mkdtemp(join(tmpdir(), 'kms-discover-'));
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function run(
  argv: string[],
  resolvConf = 'nameserver 127.0.0.1\n',
): Promise<{ code: number; out: string; err: string }> {
  const resolvConfPath = join(dir, `resolv-${Math.random().toString(36).slice(2)}.conf`);
  await writeFile(resolvConfPath, resolvConf);
  let out = '';
  let err = '';
  const command = createDiscoverCommand({
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    resolvConfPath,
  });
  const code = await command.run(argv);
  return { code, out, err };
}

describe('discover: usage', () => {
  it('is the discover command', () => {
    assert.equal(discoverCommand.name, 'discover');
    assert.match(discoverCommand.usage, /--resolver=IP\[:PORT\]/);
  });

  it('--help prints the usage and exits 0', async () => {
    const { code, out } = await run(['--help']);
    assert.equal(code, 0);
    assert.match(out, /Usage: kms-monitor discover/);
  });

  it('exits 2 with a message for bad flags and values', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--bogus', 'a.test'], /bogus/],
      [['a.test', '--resolver=dns.example'], /--resolver: invalid resolver/],
      [['a.test', '--resolver=[::1]:99999'], /port must be 1-65535/],
      [['a.test', resolver, '--timeout=soon'], /--timeout: invalid duration/],
      [['a.test', resolver, '--timeout=0'], /--timeout: .*at least/],
      [['a..test', resolver], /invalid domain/],
    ];
    for (const [argv, pattern] of cases) {
      const { code, err, out } = await run(argv);
      assert.equal(code, 2, argv.join(' '));
      assert.match(err, pattern, argv.join(' '));
      assert.equal(out, '');
    }
  });

  it('exits 2 when neither arguments nor resolv.conf give domains or resolvers', async () => {
    const noSearch = await run([resolver], 'nameserver 127.0.0.1\n');
    assert.equal(noSearch.code, 2);
    assert.match(noSearch.err, /no DOMAIN given and .* has no search or domain line/);
    const noNameserver = await run(['a.test'], 'search a.test\n');
    assert.equal(noNameserver.code, 2);
    assert.match(
      noNameserver.err,
      /no resolver to ask: give --resolver, .* or give \S+resolv-\w+\.conf a nameserver line/,
    );
  });
});

describe('discover: output and exit codes', () => {
  it('takes domains and resolvers from resolv.conf when none are given', async () => {
    const { code, out } = await run(
      ['--json'],
      `nameserver 127.0.0.1:${server.port}\nsearch ${faultDomain('ok')} ${faultDomain('nxdomain')}\n`,
    );
    assert.equal(code, 0);
    const results = JSON.parse(out) as Array<{ domain: string; resolver: string }>;
    assert.deepEqual(
      results.map((r) => [r.domain, r.resolver]),
      [
        [faultDomain('ok'), `127.0.0.1:${server.port}`],
        [faultDomain('nxdomain'), `127.0.0.1:${server.port}`],
      ],
    );
  });

  it('--json prints the docs/design.md objects, one per domain and resolver', async () => {
    const { code, out } = await run([
      faultDomain('ok'),
      faultDomain('servfail'),
      resolver,
      '--json',
    ]);
    assert.equal(code, 1, 'a failed lookup makes the exit code 1');
    const results = JSON.parse(out) as Array<Record<string, unknown>>;
    assert.equal(results.length, 2);
    const [ok, servfail] = results;
    assert.deepEqual(Object.keys(ok ?? {}).slice(0, 6), [
      'domain',
      'resolver',
      'rcode',
      'ttl',
      'records',
      'error',
    ]);
    assert.deepEqual(ok?.records, [
      {
        host: 'kms1.ok.fault.test',
        port: 1688,
        priority: 0,
        weight: 100,
        addresses: ['127.0.10.1', '127.0.10.2', 'fd00::10:1'],
        ttl: 300,
        addressError: null,
      },
      {
        host: 'kms2.ok.fault.test',
        port: 1688,
        priority: 10,
        weight: 0,
        addresses: ['127.0.10.3'],
        ttl: 300,
        addressError: null,
      },
    ]);
    assert.equal(ok?.rcode, 'NOERROR');
    assert.equal(ok?.ttl, 300);
    assert.equal(ok?.error, null);
    assert.equal(servfail?.rcode, 'SERVFAIL');
    assert.deepEqual(Object.keys((servfail?.error as object) ?? {}), ['reason', 'message']);
    assert.equal((servfail?.error as { reason: string }).reason, 'servfail');
  });

  it('NXDOMAIN is an answer: exit 0', async () => {
    const { code, out } = await run([faultDomain('nxdomain'), resolver, '--json']);
    assert.equal(code, 0);
    assert.equal((JSON.parse(out) as Array<{ rcode: string }>)[0]?.rcode, 'NXDOMAIN');
  });

  it('prints a readable table by default', async () => {
    const { code, out } = await run([
      faultDomain('ok'),
      faultDomain('nxdomain'),
      faultDomain('dot'),
      faultDomain('stale'),
      faultDomain('refused'),
      resolver,
    ]);
    assert.equal(code, 1);
    const port = server.port;
    assert.match(
      out,
      new RegExp(
        `_vlmcs\\._tcp\\.ok\\.fault\\.test via 127\\.0\\.0\\.1:${port}: NOERROR, 2 records, ttl 300s \\(UDP\\)`,
      ),
    );
    assert.match(out, /PRIORITY +WEIGHT +PORT +HOST +ADDRESSES/);
    assert.match(
      out,
      /0 +100 +1688 +kms1\.ok\.fault\.test +127\.0\.10\.1, 127\.0\.10\.2, fd00::10:1/,
    );
    assert.match(
      out,
      /NXDOMAIN, ttl 30s.*\n {2}no KMS SRV record: _vlmcs\._tcp\.nxdomain\.fault\.test does not exist/,
    );
    assert.match(out, /target "\." .* KMS is not offered here/);
    assert.match(
      out,
      /gone\.stale\.fault\.test +\(nxdomain: target gone\.stale\.fault\.test does not exist/,
    );
    assert.match(out, /refused\.fault\.test via .*: FAILED refused \(REFUSED\)/);
  });

  it('--timeout bounds each lookup', async () => {
    const started = performance.now();
    const { code, out } = await run([faultDomain('timeout'), resolver, '--timeout=200ms']);
    assert.equal(code, 1);
    assert.match(out, /FAILED timeout/);
    assert.ok(performance.now() - started < 1000);
  });

  it('asks every resolver separately', async () => {
    const { out } = await run([
      faultDomain('ok'),
      resolver,
      resolver.replace('127.0.0.1', '[::1]'),
      '--json',
      '--timeout=300ms',
    ]);
    const results = JSON.parse(out) as Array<{
      resolver: string;
      error: { reason: string } | null;
    }>;
    assert.deepEqual(
      results.map((r) => r.resolver),
      [`127.0.0.1:${server.port}`, `[::1]:${server.port}`],
    );
    // The fault server listens on 127.0.0.1 only: ::1 refuses (ICMP port unreachable).
    assert.equal(results[1]?.error?.reason, 'network');
  });
});

describe('discover: the shared target flags', () => {
  it('--domain works like a DOMAIN argument, --dns.resolv-conf names the defaults file', async () => {
    const conf = join(dir, 'resolv-flag.conf');
    await writeFile(conf, `nameserver 127.0.0.1:${server.port}\n`);
    const { code, out, err } = await run(
      [
        `--domain=${faultDomain('ok')}`,
        faultDomain('nxdomain'),
        `--dns.resolv-conf=${conf}`,
        '--json',
      ],
      '# the io default has no nameserver\n',
    );
    assert.equal(code, 0, err);
    const results = JSON.parse(out) as Array<{ domain: string; resolver: string }>;
    assert.deepEqual(
      results.map((r) => r.domain),
      [faultDomain('nxdomain'), faultDomain('ok')],
    );
  });

  it('--config.file: the file’s domains with their own resolvers, as serve would ask them', async () => {
    const file = join(dir, 'discover.yml');
    await writeFile(
      file,
      `domains:\n  - name: ${faultDomain('ok')}\n    resolvers: ['127.0.0.1:${server.port}']\n`,
    );
    const { code, out, err } = await run([`--config.file=${file}`, '--json', '--timeout=2s']);
    assert.equal(code, 0, err);
    const [r] = JSON.parse(out) as Array<{ domain: string; resolver: string }>;
    assert.deepEqual([r?.domain, r?.resolver], [faultDomain('ok'), `127.0.0.1:${server.port}`]);
  });

  it('--host and --product are refused with what to use instead; typos get a suggestion', async () => {
    const host = await run(['a.test', '--host=kms1']);
    assert.equal(host.code, 2);
    assert.match(host.err, /--host is not a discover flag: discover looks up SRV records only/);
    const product = await run(['a.test', '--product', 'office-2016']);
    assert.match(product.err, /--product is not a discover flag/);
    const typo = await run(['a.test', '--reslover=127.0.0.1']);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /unknown flag --reslover; did you mean --resolver\?/);
  });
});

describe('discover: hostile names in a real DNS answer', () => {
  it('ESC, NUL, newline and friends in SRV targets are shown escaped, never raw', async () => {
    const hostile = await startHostileDns(1688);
    try {
      const { code, out } = await run([HOSTILE_ZONE, `--resolver=${hostile.resolver}`]);
      assert.equal(code, 0);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(out, /[\x00-\x09\x0b-\x1f\x7f]/);
      for (const shown of [
        'esc\\x1b[31mred\\x1b[0m',
        'nul\\x00byte',
        'line\\nkms ok - forged',
        "quote'eq=pipe|bell\\x07",
      ]) {
        assert.ok(out.includes(`${shown}.${HOSTILE_ZONE}`), `${shown} in\n${out}`);
      }
      // One header and one line per record: no line was added by a name.
      assert.equal(out.trimEnd().split('\n').length, 2 + HOSTILE_TARGETS.length, out);
    } finally {
      await hostile.close();
    }
  });
});
