// The state feeds the history and makes it forget as it forgets: one sample per exchange
// (the trust kind's results and the TCP rounds between sweeps add none), a host that leaves
// DNS leaves the history, a product removed by a reload goes, and a new kms_interval or
// retention resizes the rings keeping the newest samples.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ringCapacity } from '../../../src/monitor/history/index.js';
import { domainsOf, fakeMonitor, planOf, OFFICE, WINDOWS } from '../fake-world.js';

const CORP = 'corp.example';
const K1 = 'kms1.corp.example:1688';
const K2 = 'kms2.corp.example:1688';

function monitor() {
  const plan = planOf({
    domains: domainsOf(CORP),
    products: [WINDOWS, OFFICE],
    intervalMs: 1000,
    kmsIntervalMs: 3000,
    historyRetentionMs: 3_600_000,
  });
  const m = fakeMonitor(plan);
  m.world.records.set(CORP, ['kms1.corp.example', 'kms2.corp.example']);
  return { ...m, plan };
}

const samples = (m: ReturnType<typeof monitor>, key: string, product = 'windows') =>
  m.state.series
    .view(key, m.clock.now(), Number.POSITIVE_INFINITY)
    ?.products.find((p) => p.product === product)?.samples.at.length;

describe('the state feeds the history', () => {
  it('one sample per KMS exchange, none for TCP rounds or the trust kind', async () => {
    const m = monitor();
    m.poller.start();
    await m.clock.advance(9000); // rounds at 0..9 s, sweeps at 0, 3, 6, 9 s
    await m.poller.stop();
    assert.equal(samples(m, K1), 4);
    assert.equal(samples(m, K1, 'office'), 4);
    const view = m.state.series.view(K1, m.clock.now(), 3_600_000)!;
    assert.equal(view.reachability.transitions.length, 1, 'up all along: one entry');
  });

  it('forgets a host that leaves DNS and a product a reload removes', async () => {
    const m = monitor();
    await m.poller.runRound();
    m.world.records.set(CORP, ['kms1.corp.example']);
    await m.poller.runRound();
    assert.equal(m.state.series.view(K2, m.clock.now(), 60_000), null);
    m.poller.updatePlan({ ...m.plan, products: [WINDOWS] });
    await m.poller.runRound({ forceKms: true });
    const products = m.state.series.view(K1, m.clock.now(), 60_000)!.products;
    assert.deepEqual(
      products.map((p) => p.product),
      ['windows'],
    );
  });

  it('a new kms_interval resizes the rings and keeps the newest samples', async () => {
    const m = monitor();
    for (let i = 0; i < 12; i++) {
      await m.clock.advance(1000);
      await m.poller.runRound({ forceKms: true });
    }
    assert.equal(samples(m, K1), 12);
    // A retention of 1 h at one sweep every 10 min: 6 sweeps and a margin of 1.
    m.poller.updatePlan({ ...m.plan, kmsIntervalMs: 600_000 });
    await m.clock.advance(1000);
    await m.poller.runRound({ forceKms: true });
    assert.equal(samples(m, K1), ringCapacity(3_600_000, 600_000));
    const view = m.state.series.view(K1, m.clock.now(), 3_600_000)!;
    assert.equal(view.products[0]!.samples.at.at(-1), m.clock.now() / 1000);
  });
});
