/**
 * A domain the DNS layer cannot ask (a label over 63 octets, an empty label, a bad
 * character) is a named failure of that domain — `bad_name`, no query sent — and never a
 * rejection that takes the other domains of the same discovery down with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { discoverAll, lookupSrv } from '../../src/dns/index.js';
import { faultDomain, startFaultServer, type FaultServer } from '../fixtures/dns-fault-zones.js';
import { withoutLeaks } from '../helpers/leaks.js';

let server: FaultServer;
before(async () => {
  server = await startFaultServer();
});
after(() => server.close());

const LONG_LABEL = `${'x'.repeat(64)}.fault.test`;

describe('bad names', () => {
  it('discoverAll: the bad domain fails as bad_name at each resolver, the good one answers', async () => {
    const resolvers = [{ address: server.address, port: server.port }];
    const sent = server.received.length;
    const results = await withoutLeaks(() =>
      discoverAll([faultDomain('ok'), LONG_LABEL, 'a..fault.test'], {
        resolvers,
        timeoutMs: 2000,
      }),
    );
    assert.deepEqual(
      results.map((r) => [r.domain, r.success, r.error?.reason ?? null]),
      [
        ['ok.fault.test', true, null],
        [LONG_LABEL, false, 'bad_name'],
        ['a..fault.test', false, 'bad_name'],
      ],
    );
    assert.match(results[1]?.error?.message ?? '', /label "x{20}…" is 64 characters long/);
    assert.equal(results[1]?.resolver, `${server.address}:${server.port}`);
    assert.equal(results[0]?.records.length, 2);
    // Only the good domain was asked (its SRV query; the glue holds the addresses).
    assert.ok(
      server.received.slice(sent).every((q) => q.name.endsWith('ok.fault.test')),
      JSON.stringify(server.received.slice(sent)),
    );
  });

  it('lookupSrv resolves with one bad_name result per resolver (one in first mode)', async () => {
    const resolvers = [
      { address: server.address, port: server.port },
      { address: '127.0.0.1', port: 9 },
    ];
    const each = await lookupSrv(LONG_LABEL, { resolvers });
    assert.deepEqual(
      each.map((r) => [r.resolver, r.error?.reason]),
      [
        [`${server.address}:${server.port}`, 'bad_name'],
        ['127.0.0.1:9', 'bad_name'],
      ],
    );
    const first = await lookupSrv('bad!.fault.test', { resolvers, mode: 'first' });
    assert.equal(first.length, 1);
    assert.equal(first[0]?.error?.reason, 'bad_name');
    assert.match(first[0]?.error?.message ?? '', /character "!" is not allowed/);
  });
});
