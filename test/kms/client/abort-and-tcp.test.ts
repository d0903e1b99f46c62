// Abort via AbortSignal, connect refused and connect timeout, and the TCP reachability probe:
// each ends with its named reason, in time, with no socket or timer left behind.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { probeKms, probeTcp } from '../../../src/kms/client/index.js';
import { startLabKmsHost } from '../../../src/lab/index.js';
import type { LabKmsHost } from '../../../src/lab/index.js';
import { FAST, TEST_IDENTITY, assertNoLeaks, lab, snapshot, timed } from './helpers.js';
import { startBlockedListener } from './blocked-listener.js';
import type { BlockedListener } from './blocked-listener.js';

/** A loopback port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('abort, refusal, connect timeout and probeTcp', () => {
  let host: LabKmsHost;
  let target: { host: string; port: number };
  const products = ['lab-windows', 'lab-office'].map(lab);

  before(async () => {
    host = await startLabKmsHost();
    target = { host: '127.0.0.1', port: host.port };
  });
  after(() => host.close());

  it('an already aborted signal: every product aborted, no connection made', async () => {
    const stats = host.stats();
    const results = await probeKms(target, products, {
      identity: TEST_IDENTITY,
      timeouts: FAST,
      signal: AbortSignal.abort(),
    });
    assert.deepEqual(
      results.map((r) => r.error?.reason),
      ['aborted', 'aborted'],
    );
    assert.equal(host.stats().connections, stats.connections);
  });

  for (const [name, settings, when] of [
    ['during the bind', { fault: 'silent' as const }, 100],
    ['during a slow response', { fault: { mode: 'slow_drip' as const, intervalMs: 20 } }, 150],
  ] as const) {
    it(`abort ${name} ends the probe at once`, async () => {
      await host.configure(settings);
      try {
        const leaks = await snapshot(host);
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), when);
        const { value: results, ms } = await timed(() =>
          probeKms(target, products, {
            identity: TEST_IDENTITY,
            timeouts: FAST,
            signal: controller.signal,
          }),
        );
        clearTimeout(timer);
        assert.deepEqual(
          results.map((r) => r.error?.reason),
          ['aborted', 'aborted'],
        );
        assert.ok(ms < when + 100, `${ms} ms`);
        await assertNoLeaks(leaks, host);
      } finally {
        await host.configure({ fault: null });
      }
    });
  }

  it('connection refused on a closed port', async () => {
    const port = await closedPort();
    const leaks = await snapshot();
    const { value: results, ms } = await timed(() =>
      probeKms({ host: '127.0.0.1', port }, products, { identity: TEST_IDENTITY, timeouts: FAST }),
    );
    assert.deepEqual(
      results.map((r) => r.error?.reason),
      ['connect_refused', 'connect_refused'],
    );
    assert.deepEqual(
      results.map((r) => r.address),
      [null, null],
    );
    assert.ok(ms < FAST.connectMs);
    await assertNoLeaks(leaks);
  });

  describe('a port where connects hang', () => {
    let blocked: BlockedListener;
    before(async () => {
      blocked = await startBlockedListener();
    });
    after(() => blocked.close());

    it('probeKms ends with connect_timeout within the connect timeout', async () => {
      const leaks = await snapshot();
      const timeouts = { ...FAST, connectMs: 300 };
      const { value: results, ms } = await timed(() =>
        probeKms({ host: '127.0.0.1', port: blocked.port }, products, {
          identity: TEST_IDENTITY,
          timeouts,
        }),
      );
      assert.deepEqual(
        results.map((r) => r.error?.reason),
        ['connect_timeout', 'connect_timeout'],
      );
      assert.match(results[0]?.error?.message ?? '', /300 ms connect timeout/);
      assert.ok(ms >= 285 && ms <= 330, `${ms} ms`);
      await assertNoLeaks(leaks);
    });

    it('probeTcp says down with connect_timeout', async () => {
      const leaks = await snapshot();
      const { value: r, ms } = await timed(() =>
        probeTcp({ host: '127.0.0.1', port: blocked.port }, { timeoutMs: 200 }),
      );
      assert.equal(r.up, false);
      assert.equal(r.error?.reason, 'connect_timeout');
      assert.ok(ms >= 190 && ms <= 220, `${ms} ms`);
      await assertNoLeaks(leaks);
    });
  });

  it('probeTcp: up against the lab host, sending no KMS bytes', async () => {
    const stats = host.stats();
    const leaks = await snapshot(host);
    const now = new Date('2026-03-04T05:06:07Z');
    const r = await probeTcp(target, { timeoutMs: 1000, now: () => now });
    assert.deepEqual(
      { ...r, durationSeconds: 0 },
      {
        host: '127.0.0.1',
        port: host.port,
        address: '127.0.0.1',
        up: true,
        durationSeconds: 0,
        timestamp: now.toISOString(),
        error: null,
      },
    );
    assert.ok(r.durationSeconds > 0 && r.durationSeconds < 1);
    await assertNoLeaks(leaks, host);
    assert.equal(host.stats().requests, stats.requests);
    assert.equal(host.stats().connections, stats.connections + 1);
  });

  it('probeTcp: connect_refused on a closed port, aborted with an aborted signal', async () => {
    const port = await closedPort();
    const refused = await probeTcp({ host: '127.0.0.1', port }, { timeoutMs: 1000 });
    assert.deepEqual(
      [refused.up, refused.error?.reason, refused.address],
      [false, 'connect_refused', null],
    );
    const aborted = await probeTcp(target, { timeoutMs: 1000, signal: AbortSignal.abort() });
    assert.deepEqual([aborted.up, aborted.error?.reason], [false, 'aborted']);
  });
});
