/**
 * DNS names in the configuration: one check (src/dns/names.ts checkDnsName) for `domains`,
 * per-domain `expected_hosts` and `hosts`, canonical output, and a plan that takes the
 * parsed values as they are (nothing is parsed twice).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { configErrorOf } from './config-error.js';
import { planFromConfig } from '../../src/monitor/plan-from-config.js';

const LABEL_64 = 'a'.repeat(64);
const LABEL_63 = 'b'.repeat(63);

const errorOf = configErrorOf;

describe('domain names in the configuration', () => {
  it('a label of 64 characters is refused with file, line, column and the label', () => {
    const err = errorOf(
      `resolvers: [127.0.0.1]\ndomains:\n  - ok.example\n  - ${LABEL_64}.example\n`,
    );
    assert.equal(err.keyPath, 'domains[1]');
    assert.equal(err.line, 4);
    assert.equal(err.column, 5);
    assert.match(
      err.message,
      /^kms\.yml:4:5: domains\[1\]: invalid domain ".*": label "a{20}…" is 64 characters long; a DNS label has at most 63$/,
    );
  });

  it('63 is fine; the whole name is at most 253', () => {
    const config = parseConfig(`domains: [${LABEL_63}.example]\n`);
    assert.deepEqual(config.domains, [{ name: `${LABEL_63}.example` }]);
    const long = `${'abcdefghi.'.repeat(25)}abcd`; // 254 characters
    assert.match(
      errorOf(`domains: [${long}]\n`).message,
      /254 characters long; a DNS name has at most 253/,
    );
  });

  it('the same rules in object entries, and for expected_hosts', () => {
    const err = errorOf(`domains:\n  - name: ${LABEL_64}.example\n`);
    assert.equal(err.keyPath, 'domains[0].name');
    const host = errorOf(
      `domains:\n  - name: corp.example\n    expected_hosts: [kms1.corp.example, "kms 2.corp.example"]\n`,
    );
    assert.equal(host.keyPath, 'domains[0].expected_hosts[1]');
    assert.match(host.message, /invalid host name "kms 2\.corp\.example": contains a space/);
  });

  it('empty labels, bad characters and hyphens at a label edge are named', () => {
    for (const [name, problem] of [
      ['a..example', /empty label/],
      ['.example', /empty label/],
      ['corp!.example', /character "!" is not allowed/],
      ['-corp.example', /label "-corp" starts or ends with a hyphen/],
      ['corp-.example', /starts or ends with a hyphen/],
      ['"."', /empty/],
    ] as const) {
      assert.match(errorOf(`domains: [${name}]\n`).message, problem, name);
    }
  });

  it('canonical: case folded, trailing dot and a leading _vlmcs._tcp. dropped, IDN in punycode', () => {
    const config = parseConfig(
      'domains:\n  - Corp.Example.\n  - _VLMCS._tcp.Branch.Example\n  - name: Bücher.Example\n    expected_hosts: [KMS1.Bücher.Example.]\n',
    );
    assert.deepEqual(config.domains, [
      { name: 'corp.example' },
      { name: 'branch.example' },
      { name: 'xn--bcher-kva.example', expected_hosts: ['kms1.xn--bcher-kva.example'] },
    ]);
  });

  it('static hosts: labels over 63 refused, names canonical, IPv6 compressed', () => {
    const err = errorOf(`hosts:\n  - kms1.example\n  - ${LABEL_64}.example:1688\n`);
    assert.equal(err.keyPath, 'hosts[1]');
    assert.equal(err.line, 3);
    assert.match(
      err.message,
      /not a valid host name or IP address: label "a{20}…" is 64 characters long/,
    );
    const config = parseConfig('hosts: [KMS1.Example., "[2001:DB8:0::1]:1700", 10.0.0.1]\n');
    assert.deepEqual(config.hosts, [
      { host: 'kms1.example', port: 1688 },
      { host: '2001:db8::1', port: 1700 },
      { host: '10.0.0.1', port: 1688 },
    ]);
  });
});

describe('the plan takes the parsed configuration as it is', () => {
  const NO_SYSTEM = async () => ({ nameservers: [], search: [] });

  it('hosts, resolvers, names and products reach the plan as the schema made them', async () => {
    const config = parseConfig(
      'resolvers: ["[2001:DB8::53]:5353"]\nhosts: [KMS1.Example.]\ndomains:\n  - name: Corp.Example.\n    expected_hosts: [KMS2.Corp.Example]\nproducts: [office-2016]\n',
    );
    const plan = await planFromConfig(config, NO_SYSTEM);
    assert.equal(plan.staticHosts, config.hosts, 'the same objects, not parsed again');
    assert.deepEqual(plan.staticHosts, [{ host: 'kms1.example', port: 1688 }]);
    assert.equal(plan.hostResolvers, config.resolvers);
    assert.deepEqual(plan.hostResolvers, [{ address: '2001:db8::53', port: 5353 }]);
    assert.deepEqual(plan.domains, [
      {
        domain: 'corp.example',
        resolvers: [{ address: '2001:db8::53', port: 5353 }],
        expectedHosts: ['kms2.corp.example'],
      },
    ]);
    assert.equal(plan.products, config.products);
    assert.equal(plan.products[0]?.name, 'Office 2016');
  });

  it('search domains reach the plan once each, with the system resolvers', async () => {
    const plan = await planFromConfig(parseConfig(''), async () => ({
      nameservers: [
        { address: '127.0.0.1', port: 53 },
        { address: '127.0.0.1', port: 53 },
      ],
      search: ['corp.example', 'corp.example', 'other.example'],
    }));
    assert.deepEqual(
      plan.domains.map((d) => [d.domain, d.resolvers.length]),
      [
        ['corp.example', 1],
        ['other.example', 1],
      ],
    );
  });
});
