import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/errors.js';
import { defaultConfig, loadConfigFile, parseConfig } from '../../src/config/load.js';

function errorOf(text: string): ConfigError {
  try {
    parseConfig(text, 'kms.yml');
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('the configuration was accepted');
}

test('defaults are those the README documents', () => {
  const config = defaultConfig();
  assert.equal(config.interval, 30_000);
  assert.equal(config.kms_interval, 600_000);
  assert.equal(config.timeout, 5_000);
  assert.equal(config.concurrency, 64);
  assert.deepEqual(config.domains, []);
  assert.deepEqual(config.hosts, []);
  assert.deepEqual(
    config.products.map((p) => p.slug),
    ['windows-10-11', 'windows-server-2019', 'windows-server-2022', 'office-2016'],
  );
  assert.equal(config.limits.records_per_domain, 100);
  assert.equal(config.limits.hosts_total, 1000);
  assert.equal(config.web.listen_address, ':9688');
});

test('the shipped example configuration is valid', async () => {
  const config = await loadConfigFile(
    new URL('../../deploy/kms-monitor.example.yml', import.meta.url).pathname,
  );
  assert.equal(config.domains.length, 2);
  assert.ok(config.products.some((p) => !p.builtIn && p.protocol === 6));
});

test('an unknown key is named with its line', () => {
  const err = errorOf('interval: 30s\nintervall: 1m\n');
  assert.equal(err.keyPath, 'intervall');
  assert.equal(err.line, 2);
  assert.match(err.message, /^kms\.yml:2:1: intervall: unknown key$/);
});

test('an unknown key inside a nested entry is named with its full path', () => {
  const err = errorOf('domains:\n  - name: corp.example.com\n    resolver: 10.0.0.1\n');
  assert.equal(err.keyPath, 'domains[0].resolver');
  assert.equal(err.line, 3);
});

test('a wrong type names the key, the line and what was expected', () => {
  const err = errorOf('timeout: 5s\nconcurrency: many\n');
  assert.equal(err.keyPath, 'concurrency');
  assert.equal(err.line, 2);
  assert.match(err.message, /expected number, got string/);
});

test('a bad duration names the key and says what a duration looks like', () => {
  const err = errorOf('\n\nkms_interval: 10 minutes\n');
  assert.equal(err.keyPath, 'kms_interval');
  assert.equal(err.line, 3);
  assert.match(err.message, /invalid duration "10 minutes".*e\.g\. 30s/);
});

test('a bad resolver inside a list names the element', () => {
  const err = errorOf('resolvers:\n  - 10.0.0.1\n  - dns.example.com\n');
  assert.equal(err.keyPath, 'resolvers[1]');
  assert.equal(err.line, 3);
  assert.match(err.message, /invalid resolver "dns.example.com": expected IP\[:PORT\]/);
});

test('a custom product with a bad GUID names the field', () => {
  const err = errorOf(
    'products:\n  - slug: mine\n    name: Mine\n    application_id: nope\n    kms_counted_id: 85b5f61b-320b-4be3-814a-b76b2bfafc82\n    sku_id: d450596f-894d-49e0-966a-fd39ed4c4c64\n    n_policy: 5\n    protocol: 6\n',
  );
  assert.equal(err.keyPath, 'products[0].application_id');
  assert.equal(err.line, 4);
});

test('YAML syntax errors carry the line', () => {
  const err = errorOf('domains:\n  - a.example.com\n - b.example.com\n');
  assert.ok(err.line !== undefined && err.line >= 2, err.message);
  assert.match(err.message, /invalid YAML/);
});

test('duplicate keys are rejected, not silently merged', () => {
  const err = errorOf('interval: 30s\ninterval: 1m\n');
  assert.match(err.message, /invalid YAML/);
});

test('a document that is not a mapping is rejected', () => {
  assert.match(errorOf('- a\n- b\n').message, /mapping/);
});

test('alias bombs are bounded', () => {
  const bomb = ['a: &a [x,x,x,x,x,x,x,x,x,x]'];
  for (let i = 0; i < 8; i++)
    bomb.push(
      `${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(10)
        .fill(`*${i === 0 ? 'a' : 'b'.repeat(i)}`)
        .join(',')}]`,
    );
  assert.throws(() => parseConfig(bomb.join('\n'), 'bomb.yml'), ConfigError);
});

test('a missing file is a ConfigError naming the file', async () => {
  await assert.rejects(
    loadConfigFile('/nonexistent/kms.yml'),
    /\/nonexistent\/kms\.yml: cannot read file: does not exist/,
  );
});

test('an unknown product slug is named with its line', () => {
  const err = errorOf('products:\n  - windows-10-11\n  - windows-12\n');
  assert.equal(err.keyPath, 'products[1]');
  assert.equal(err.line, 3);
  assert.match(err.message, /unknown product "windows-12"/);
});

test('a custom product may not take a built-in slug', () => {
  const err = errorOf(
    'products:\n  - windows-10-11\n  - slug: office-2016\n    name: Mine\n    application_id: 0ff1ce15-a989-479d-af46-f275c6370663\n    kms_counted_id: 85b5f61b-320b-4be3-814a-b76b2bfafc82\n    sku_id: d450596f-894d-49e0-966a-fd39ed4c4c64\n    n_policy: 5\n    protocol: 6\n',
  );
  assert.equal(err.keyPath, 'products[1]');
  assert.equal(err.line, 3);
  assert.match(err.message, /built-in product/);
});
