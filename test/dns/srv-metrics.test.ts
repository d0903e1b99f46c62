/** kms_srv_* rendering through a real prom-client Registry. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { SrvLookupResult } from '../../src/dns/index.js';
import { registerSrvMetrics } from '../../src/metrics/srv-metrics.js';

function result(overrides: Partial<SrvLookupResult>): SrvLookupResult {
  return {
    domain: 'alpha.test',
    resolver: '127.0.0.1:53',
    success: true,
    rcode: 'NOERROR',
    ttl: 300,
    records: [],
    serviceUnavailable: false,
    truncatedRecords: 0,
    transport: 'udp',
    durationSeconds: 0.012,
    error: null,
    failedResolvers: [],
    ...overrides,
  };
}

const kms1 = {
  host: 'kms1.alpha.test',
  port: 1688,
  priority: 0,
  weight: 60,
  ttl: 300,
  addresses: ['127.0.1.1'],
  addressError: null,
};
const kms2 = {
  host: 'kms2.alpha.test',
  port: 1688,
  priority: 10,
  weight: 0,
  ttl: 300,
  addresses: [],
  addressError: null,
};

function samples(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('kms_srv_* metrics', () => {
  it('renders every lookup and record from the source at scrape time', async () => {
    const registry = new Registry();
    const results = [
      result({ records: [kms1, kms2] }),
      result({
        resolver: '[::1]:53',
        success: false,
        rcode: null,
        error: { reason: 'timeout', message: 'x' },
        durationSeconds: 5,
      }),
      result({
        domain: 'empty.test',
        rcode: 'NXDOMAIN',
        error: { reason: 'nxdomain', message: 'x' },
        ttl: null,
      }),
      result({ domain: 'huge.test', records: [kms1], truncatedRecords: 41 }),
    ];
    registerSrvMetrics(registry, () => results);
    const text = await registry.metrics();
    assert.deepEqual(samples(text, 'kms_srv_lookup_success'), [
      'kms_srv_lookup_success{domain="alpha.test",resolver="127.0.0.1:53"} 1',
      'kms_srv_lookup_success{domain="alpha.test",resolver="[::1]:53"} 0',
      'kms_srv_lookup_success{domain="empty.test",resolver="127.0.0.1:53"} 1',
      'kms_srv_lookup_success{domain="huge.test",resolver="127.0.0.1:53"} 1',
    ]);
    assert.ok(
      text.includes('kms_srv_lookup_duration_seconds{domain="alpha.test",resolver="[::1]:53"} 5'),
    );
    // A failed lookup says nothing about the record count: no series rather than a false 0.
    assert.deepEqual(samples(text, 'kms_srv_records'), [
      'kms_srv_records{domain="alpha.test",resolver="127.0.0.1:53"} 2',
      'kms_srv_records{domain="empty.test",resolver="127.0.0.1:53"} 0',
      'kms_srv_records{domain="huge.test",resolver="127.0.0.1:53"} 42',
    ]);
    assert.ok(
      text.includes('kms_srv_records_truncated{domain="huge.test",resolver="127.0.0.1:53"} 41'),
    );
    assert.deepEqual(samples(text, 'kms_srv_record_info'), [
      'kms_srv_record_info{domain="alpha.test",resolver="127.0.0.1:53",host="kms1.alpha.test",port="1688",priority="0",weight="60"} 1',
      'kms_srv_record_info{domain="alpha.test",resolver="127.0.0.1:53",host="kms2.alpha.test",port="1688",priority="10",weight="0"} 1',
      'kms_srv_record_info{domain="huge.test",resolver="127.0.0.1:53",host="kms1.alpha.test",port="1688",priority="0",weight="60"} 1',
    ]);
    for (const name of [
      'kms_srv_lookup_success',
      'kms_srv_records',
      'kms_srv_record_info',
      'kms_srv_records_truncated',
    ]) {
      assert.match(text, new RegExp(`# HELP ${name} \\S`));
      assert.match(text, new RegExp(`# TYPE ${name} gauge`));
    }
  });

  it('series of records and domains that disappear disappear from the next scrape', async () => {
    const registry = new Registry();
    let current = [result({ records: [kms1, kms2] }), result({ domain: 'gone.test' })];
    registerSrvMetrics(registry, () => current);
    assert.equal(samples(await registry.metrics(), 'kms_srv_record_info').length, 2);
    current = [result({ records: [kms1] })];
    const text = await registry.metrics();
    assert.deepEqual(
      samples(text, 'kms_srv_record_info').map((l) => /host="([^"]+)"/.exec(l)?.[1]),
      ['kms1.alpha.test'],
    );
    assert.ok(!text.includes('gone.test'));
  });

  it('an empty source renders HELP and TYPE only', async () => {
    const registry = new Registry();
    registerSrvMetrics(registry, () => []);
    const text = await registry.metrics();
    assert.deepEqual(samples(text, 'kms_srv_lookup_success'), []);
  });

  it(
    'passes promtool check metrics',
    { skip: !existsSync('/usr/bin/promtool') && 'promtool not installed' },
    async () => {
      const registry = new Registry();
      registerSrvMetrics(registry, () => [result({ records: [kms1, kms2] })]);
      const text = await registry.metrics();
      const child = execFile('promtool', ['check', 'metrics']);
      const done = new Promise<{ code: number | null; output: string }>((resolve) => {
        let output = '';
        child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
        child.on('close', (code) => resolve({ code, output }));
      });
      child.stdin?.end(text);
      const { code, output } = await done;
      assert.equal(code, 0, output);
    },
  );
});
