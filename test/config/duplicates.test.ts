/**
 * Duplicates in the configuration: the same domain, resolver or static host twice (also
 * when spelled differently: case, trailing dot, `_vlmcs._tcp.`, IPv6 zeros, the default
 * port written out) would become two series of one thing with different values. Refused,
 * naming both positions; the flags go through the same schema lists.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { configErrorOf } from './config-error.js';
import { configSchema } from '../../src/config/schema.js';

const errorOf = configErrorOf;

describe('duplicate entries', () => {
  it('the same domain by case and trailing dot: both positions named', () => {
    const err = errorOf('domains:\n  - corp.example\n  - other.example\n  - Corp.Example.\n');
    assert.equal(err.keyPath, 'domains[2]');
    assert.equal(err.line, 4);
    assert.equal(
      err.message,
      'kms.yml:4:5: domains[2]: duplicate domain "corp.example": entry 3 names the same domain as entry 1; list each domain once (domains[0], line 2:5)',
    );
  });

  it('a plain entry and an object entry, or the _vlmcs._tcp. spelling, are one domain', () => {
    const err = errorOf(
      'domains:\n  - corp.example\n  - name: _vlmcs._tcp.CORP.example\n    resolvers: [127.0.0.1]\n',
    );
    assert.equal(err.keyPath, 'domains[1]');
    assert.match(err.message, /duplicate domain "corp\.example".*\(domains\[0\], line 2:5\)$/);
  });

  it('resolvers: global and per domain, IPv6 compared canonically, port 53 implied', () => {
    const global = errorOf('resolvers:\n  - 10.0.0.1\n  - 10.0.0.1:53\n');
    assert.equal(global.keyPath, 'resolvers[1]');
    assert.match(
      global.message,
      /duplicate resolver "10\.0\.0\.1:53".*\(resolvers\[0\], line 2:5\)$/,
    );
    const v6 = errorOf(
      'domains:\n  - name: corp.example\n    resolvers: ["[2001:DB8::53]", "2001:db8:0:0::53"]\n',
    );
    assert.equal(v6.keyPath, 'domains[0].resolvers[1]');
    assert.match(v6.message, /duplicate resolver "\[2001:db8::53\]:53"/);
  });

  it('static hosts by host:port after canonicalisation; another port is another host', () => {
    const err = errorOf('hosts:\n  - kms1.corp.example\n  - KMS1.corp.example.:1688\n');
    assert.equal(err.keyPath, 'hosts[1]');
    assert.match(
      err.message,
      /duplicate host "kms1\.corp\.example:1688".*\(hosts\[0\], line 2:5\)$/,
    );
    const config = parseConfig('hosts: [kms1.corp.example, "kms1.corp.example:1700"]\n');
    assert.deepEqual(config.hosts, [
      { host: 'kms1.corp.example', port: 1688 },
      { host: 'kms1.corp.example', port: 1700 },
    ]);
  });

  it('expected_hosts twice in one domain', () => {
    const err = errorOf(
      'domains:\n  - name: corp.example\n    expected_hosts: [kms1.corp.example, KMS1.corp.example.]\n',
    );
    assert.equal(err.keyPath, 'domains[0].expected_hosts[1]');
  });

  it('the lists the flags use refuse duplicates too (--domain a --domain A.)', () => {
    const result = configSchema.shape.domains.safeParse(['corp.example', 'CORP.example.']);
    assert.equal(result.success, false);
    assert.match(
      result.error?.issues[0]?.message ?? '',
      /^duplicate domain "corp\.example": entry 2 names the same domain as entry 1/,
    );
    assert.equal(configSchema.shape.hosts.safeParse(['10.0.0.1', '10.0.0.1:1688']).success, false);
  });
});
