/** Resolver addresses, resolv.conf (on temporary files only), domain names. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  MAX_RESOLV_CONF_BYTES,
  kmsSrvName,
  normalizeDomain,
  parseResolvConf,
  parseResolverAddress,
  readResolvConf,
  resolverLabel,
} from '../../src/dns/index.js';

describe('parseResolverAddress / resolverLabel', () => {
  it('accepts IPv4 and IPv6 with and without ports', () => {
    assert.deepEqual(parseResolverAddress('127.0.0.1'), { address: '127.0.0.1', port: 53 });
    assert.deepEqual(parseResolverAddress('127.0.0.1:5353'), { address: '127.0.0.1', port: 5353 });
    assert.deepEqual(parseResolverAddress('::1'), { address: '::1', port: 53 });
    assert.deepEqual(parseResolverAddress('[::1]'), { address: '::1', port: 53 });
    assert.deepEqual(parseResolverAddress('[::1]:5353'), { address: '::1', port: 5353 });
  });

  it('rejects names, bad ports and unbracketed IPv6 with a port-like tail', () => {
    for (const bad of [
      'localhost',
      'dns.example:53',
      '127.0.0.1:0',
      '127.0.0.1:65536',
      '127.0.0.1:x',
      '[127.0.0.1]:53',
      '',
      '[::1]:',
    ]) {
      assert.throws(() => parseResolverAddress(bad), /invalid resolver/, bad);
    }
    // "::1:5353" is itself a valid IPv6 address, so it is one, on port 53.
    assert.deepEqual(parseResolverAddress('::1:5353'), { address: '::1:5353', port: 53 });
  });

  it('labels IPv6 in brackets', () => {
    assert.equal(resolverLabel({ address: '::1', port: 53 }), '[::1]:53');
    assert.equal(resolverLabel({ address: '127.0.0.1', port: 5353 }), '127.0.0.1:5353');
  });
});

describe('parseResolvConf', () => {
  it('reads nameservers (with ports) and the last search/domain line', () => {
    const conf = parseResolvConf(
      [
        '# generated',
        'nameserver 127.0.0.53',
        'nameserver ::1',
        'nameserver [::1]:5353   # local dnsmasq',
        'nameserver 127.0.0.2:5300',
        'nameserver fe80::1%eth0',
        'nameserver not-an-ip',
        'domain old.example',
        'search Corp.Example.  lab.example ; trailing comment',
        'options ndots:2 timeout:1',
      ].join('\n'),
    );
    assert.deepEqual(conf.nameservers, [
      { address: '127.0.0.53', port: 53 },
      { address: '::1', port: 53 },
      { address: '::1', port: 5353 },
      { address: '127.0.0.2', port: 5300 },
    ]);
    assert.deepEqual(conf.search, ['corp.example', 'lab.example']);
  });

  it('domain after search wins, as in glibc', () => {
    assert.deepEqual(parseResolvConf('search a.example b.example\ndomain c.example\n').search, [
      'c.example',
    ]);
  });

  it('skips search entries that are not domain names', () => {
    assert.deepEqual(parseResolvConf('search . ok.example a..b\n').search, ['ok.example']);
  });
});

describe('readResolvConf', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kms-resolv-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file, and says which', async () => {
    const path = join(dir, 'resolv.conf');
    await writeFile(path, 'nameserver 127.0.0.1\r\nsearch ad.example\r\n');
    assert.deepEqual(await readResolvConf(path), {
      nameservers: [{ address: '127.0.0.1', port: 53 }],
      search: ['ad.example'],
      source: path,
    });
  });

  it('a file the admin named must exist: the error names that file', async () => {
    const missing = join(dir, 'missing');
    await assert.rejects(readResolvConf(missing), (err: Error) =>
      err.message.includes(`resolv.conf file ${missing} does not exist`),
    );
  });

  it('a directory, a FIFO or a huge file is refused before it is read', async () => {
    await assert.rejects(readResolvConf(dir), /is a directory/);
    await assert.rejects(readResolvConf('/dev/zero'), /\/dev\/zero is not a regular file/);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const started = performance.now();
    await assert.rejects(readResolvConf(fifo), /is a FIFO/);
    assert.ok(performance.now() - started < 2000, 'a FIFO without a writer must not hang');
    const big = join(dir, 'big');
    await writeFile(big, `# ${'x'.repeat(MAX_RESOLV_CONF_BYTES)}\nnameserver 127.0.0.1\n`);
    await assert.rejects(readResolvConf(big), /the limit is 65536/);
  });
});

describe('readResolvConf without the default file (Windows)', () => {
  const absent = join(tmpdir(), 'kms-monitor-no-such-dir', 'resolv.conf');

  it('takes the operating system servers (injected here), with no search domains', async () => {
    let asked = 0;
    const conf = await readResolvConf(undefined, {
      defaultPath: absent,
      systemServers: () => {
        asked++;
        return ['127.0.0.53', '::1', '[::1]:5353', '127.0.0.1:5300', 'fe80::1%eth0', 'nonsense'];
      },
    });
    assert.equal(asked, 1);
    assert.deepEqual(conf.nameservers, [
      { address: '127.0.0.53', port: 53 },
      { address: '::1', port: 53 },
      { address: '::1', port: 5353 },
      { address: '127.0.0.1', port: 5300 },
    ]);
    assert.deepEqual(conf.search, []);
    assert.match(conf.source ?? '', /dns\.getServers\(\)/);
    assert.match(
      conf.note ?? '',
      /does not exist: using the DNS servers the operating system reports/,
    );
    assert.match(conf.note ?? '', /list the domains to watch under domains:/);
    assert.match(conf.note ?? '', /127\.0\.0\.53:53, \[::1\]:53, \[::1\]:5353, 127\.0\.0\.1:5300/);
  });

  it('never for a file the admin named: that stays an error, and the OS is not asked', async () => {
    let asked = 0;
    await assert.rejects(
      readResolvConf(absent, { systemServers: () => (asked++, ['127.0.0.1']) }),
      /resolv\.conf file .*kms-monitor-no-such-dir\/resolv\.conf does not exist/,
    );
    assert.equal(asked, 0);
  });

  it('a default file that exists is read, not replaced', async () => {
    const conf = await readResolvConf(undefined, {
      defaultPath: fileURLToPath(new URL('../fixtures/resolv-loopback.conf', import.meta.url)),
      systemServers: () => assert.fail('dns.getServers() must not be used'),
    });
    assert.deepEqual(conf.nameservers, [{ address: '127.0.0.1', port: 9 }]);
    assert.equal(conf.note, undefined);
  });
});

describe('normalizeDomain', () => {
  it('lower-cases, drops the trailing dot and a leading _vlmcs._tcp.', () => {
    assert.equal(normalizeDomain('Corp.Example.'), 'corp.example');
    assert.equal(normalizeDomain('_VLMCS._tcp.corp.example'), 'corp.example');
    assert.equal(kmsSrvName('corp.example'), '_vlmcs._tcp.corp.example');
  });

  it('converts internationalized names to punycode', () => {
    assert.equal(normalizeDomain('bücher.example'), 'xn--bcher-kva.example');
  });

  it('rejects what cannot go on the wire', () => {
    for (const bad of [
      '',
      '.',
      'a..b',
      `${'a'.repeat(64)}.example`,
      `${'abcdefghi.'.repeat(26)}example`,
    ]) {
      assert.throws(() => normalizeDomain(bad), /invalid domain/, bad);
    }
    for (const bad of ['a\x1bb.example', 'a\x00.example', 'a\tb.example', 'a\u00a0b.example']) {
      assert.throws(() => normalizeDomain(bad), /contains a space or a control character/, bad);
    }
    assert.throws(() => normalizeDomain('a\x7f.example'), /contains a space or a control/);
  });

  it('IPv6 resolvers are held in one spelling (RFC 5952)', () => {
    assert.deepEqual(parseResolverAddress('[2001:DB8:0:0::53]:5353'), {
      address: '2001:db8::53',
      port: 5353,
    });
    assert.equal(resolverLabel(parseResolverAddress('2001:db8:0::53')), '[2001:db8::53]:53');
  });
});
