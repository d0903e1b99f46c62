// /api/v1/status?history=: a duration returns each host's history series (the same the
// host page draws), a count keeps its old meaning (recent probe log, no series), and
// anything else — or a window longer than the retention — is a 400 naming the parameter.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { statusApiRoutes } from '../../src/web/routes/status-api.js';
import { buildStatusView, type StatusView } from '../../src/monitor/status-view.js';
import { domainsOf, fakeMonitor, planOf, WINDOWS } from '../monitor/fake-world.js';

const CORP = 'corp.example';
const HOUR = 3_600_000;

describe('/api/v1/status?history=', () => {
  const m = fakeMonitor(
    planOf({
      domains: domainsOf(CORP),
      intervalMs: 60_000,
      kmsIntervalMs: 600_000,
      historyRetentionMs: 24 * HOUR,
    }),
  );
  const source = (options: Parameters<Parameters<typeof statusApiRoutes>[0]>[0]) =>
    buildStatusView(m.state, [WINDOWS], { ...options, now: m.clock.now() });
  let app: FastifyInstance;
  const get = async (query: string) => {
    const res = await app.inject(`/api/v1/status${query}`);
    return {
      status: res.statusCode,
      body: JSON.parse(res.body) as StatusView & { error?: string },
    };
  };

  before(async () => {
    m.world.records.set(CORP, ['kms1.corp.example', 'kms2.corp.example']);
    m.poller.start();
    await m.clock.advance(3 * HOUR - 1);
    m.world.down.add('kms2.corp.example');
    await m.clock.advance(2 * HOUR + 1);
    await m.poller.stop();
    app = Fastify();
    await app.register(statusApiRoutes(source, { retentionMs: () => m.state.series.retentionMs }));
  });
  after(() => app.close());

  it('a duration adds every host’s series over that window', async () => {
    const { status, body } = await get('?history=2h');
    assert.equal(status, 200);
    assert.equal(body.hosts.length, 2);
    for (const h of body.hosts) {
      const history = h.history!;
      assert.equal(history.windowSeconds, 7200);
      assert.equal(history.retentionSeconds, 86_400);
      const [windows] = history.products;
      // Sweeps every 10 minutes over 2 hours, both ends included.
      assert.equal(windows!.samples.at.length, 13);
      assert.equal(windows!.samples.count.length, 13);
    }
    const down = body.hosts.find((h) => h.host === 'kms2.corp.example')!.history!;
    assert.equal(down.reachability.downSince, new Date(m.start + 3 * HOUR).toISOString());
    assert.equal(down.products[0]!.samples.reason.at(-1), 'connect_refused');
    assert.ok(body.history.length > 0 && body.history.length <= 200, 'the default log too');
  });

  it('returns the same series the host page is drawn from', async () => {
    const key = 'kms2.corp.example:1688';
    const api = await get(`?history=24h&host=${encodeURIComponent(key)}`);
    assert.equal(api.status, 200);
    const page = buildStatusView(m.state, [WINDOWS], {
      host: key,
      historyWindowMs: Number.POSITIVE_INFINITY,
      now: m.clock.now(),
    });
    assert.deepEqual(
      api.body.hosts[0]!.history,
      JSON.parse(JSON.stringify(page.hosts[0]!.history)),
    );
    assert.equal(api.body.hosts[0]!.history!.products[0]!.samples.at.length, 5 * 6 + 1);
  });

  it('a count keeps its meaning: that many log entries, no series', async () => {
    const { status, body } = await get('?history=5');
    assert.equal(status, 200);
    assert.equal(body.history.length, 5);
    assert.ok(body.hosts.every((h) => !('history' in h)));
    const plain = await get('');
    assert.ok(plain.body.hosts.every((h) => !('history' in h)));
  });

  it('nonsense, a window under a minute or over the retention is a 400 naming it', async () => {
    for (const bad of ['abc', '24 h', '0s', '30s', '0x10', '1e3', '1001', '-1', '', 'h', '1h1h']) {
      const { status, body } = await get(`?history=${encodeURIComponent(bad)}`);
      assert.equal(status, 400, bad);
      assert.match(
        body.error ?? '',
        /^query parameter history must be a decimal integer from 0 to 1000 \(recent probes\) or a duration/,
        bad,
      );
    }
    const long = await get('?history=2d');
    assert.equal(long.status, 400);
    assert.equal(
      long.body.error,
      'query parameter history: 2d is longer than the history is kept (history.retention: 1d)',
    );
    assert.equal((await get('?history=1h&history=2h')).status, 400);
  });
});
