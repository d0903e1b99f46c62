/** Resolver addresses, resolv.conf (on temporary files only), domain names. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
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

  it('reads a file', async () => {
    const path = join(dir, 'resolv.conf');
    await writeFile(path, 'nameserver 127.0.0.1\r\nsearch ad.example\r\n');
    assert.deepEqual(await readResolvConf(path), {
      nameservers: [{ address: '127.0.0.1', port: 53 }],
      search: ['ad.example'],
    });
  });

  it('a missing file reads as empty (glibc falls back the same way)', async () => {
    assert.deepEqual(await readResolvConf(join(dir, 'missing')), { nameservers: [], search: [] });
  });

  it('other read errors are thrown', async () => {
    await assert.rejects(readResolvConf(dir), /EISDIR/);
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
  });
});
