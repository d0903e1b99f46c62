/** The kms_srv_* families, read from the lookups the state holds. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SrvLookupResult } from '../../src/dns/index.js';
import { renderStateMetrics } from '../../src/metrics/render.js';
import { MonitorState } from '../../src/monitor/state.js';
import { mergeTargets } from '../../src/monitor/targets.js';

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
const kms2 = { ...kms1, host: 'kms2.alpha.test', priority: 10, weight: 0, addresses: [] };

/** The state after a round whose discovery returned `lookups`. */
function discovered(state: MonitorState, lookups: SrvLookupResult[]): MonitorState {
  const { targets, cut } = mergeTargets(lookups, [], 100);
  state.applyDiscovery({ lookups, targets, hostsCut: cut });
  return state;
}

function samples(state: MonitorState, name: string): string[] {
  return renderStateMetrics(state, [])
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('kms_srv_* metrics', () => {
  it('render every lookup and record of the state', () => {
    const state = discovered(new MonitorState(), [
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
    ]);
    assert.deepEqual(samples(state, 'kms_srv_lookup_success'), [
      'kms_srv_lookup_success{domain="alpha.test",resolver="127.0.0.1:53"} 1',
      'kms_srv_lookup_success{domain="alpha.test",resolver="[::1]:53"} 0',
      'kms_srv_lookup_success{domain="empty.test",resolver="127.0.0.1:53"} 1',
      'kms_srv_lookup_success{domain="huge.test",resolver="127.0.0.1:53"} 1',
    ]);
    assert.ok(
      samples(state, 'kms_srv_lookup_duration_seconds').includes(
        'kms_srv_lookup_duration_seconds{domain="alpha.test",resolver="[::1]:53"} 5',
      ),
    );
    // A failed lookup says nothing about the record count: no series rather than a false 0.
    // The count is of the records published, those cut by the limit included.
    assert.deepEqual(samples(state, 'kms_srv_records'), [
      'kms_srv_records{domain="alpha.test",resolver="127.0.0.1:53"} 2',
      'kms_srv_records{domain="empty.test",resolver="127.0.0.1:53"} 0',
      'kms_srv_records{domain="huge.test",resolver="127.0.0.1:53"} 42',
    ]);
    assert.ok(
      samples(state, 'kms_srv_records_truncated').includes(
        'kms_srv_records_truncated{domain="huge.test",resolver="127.0.0.1:53"} 41',
      ),
    );
    assert.deepEqual(samples(state, 'kms_srv_record_info'), [
      'kms_srv_record_info{domain="alpha.test",resolver="127.0.0.1:53",host="kms1.alpha.test",port="1688",priority="0",weight="60"} 1',
      'kms_srv_record_info{domain="alpha.test",resolver="127.0.0.1:53",host="kms2.alpha.test",port="1688",priority="10",weight="0"} 1',
      'kms_srv_record_info{domain="huge.test",resolver="127.0.0.1:53",host="kms1.alpha.test",port="1688",priority="0",weight="60"} 1',
    ]);
  });

  it('series of records and domains that disappear disappear from the next render', () => {
    const state = discovered(new MonitorState(), [
      result({ records: [kms1, kms2] }),
      result({ domain: 'gone.test' }),
    ]);
    assert.equal(samples(state, 'kms_srv_record_info').length, 2);
    discovered(state, [result({ records: [kms1] })]);
    assert.deepEqual(
      samples(state, 'kms_srv_record_info').map((l) => /host="([^"]+)"/.exec(l)?.[1]),
      ['kms1.alpha.test'],
    );
    assert.ok(!renderStateMetrics(state, []).includes('gone.test'));
  });
});
