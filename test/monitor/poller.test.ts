// The poller's schedule on a fake clock: rounds every interval, the KMS sweep every
// kms_interval, hosts coming and going between sweeps, overruns and stop. No real sleep:
// every wait is the fake clock's, so each time below is exact.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JITTER_FRACTION } from '../../src/monitor/poller.js';
import { PROBE_KIND_NAMES } from '../../src/monitor/kinds/index.js';
import type { MonitorPlan } from '../../src/monitor/plan.js';
import { domainsOf, fakeMonitor, planOf, OFFICE, WINDOWS } from './fake-world.js';

const CORP = 'corp.example';

/** A monitor of one domain publishing `hosts`. */
function corpMonitor(hosts: string[], plan: Partial<MonitorPlan> = {}) {
  const m = fakeMonitor(planOf({ domains: domainsOf(CORP), ...plan }));
  m.world.records.set(CORP, hosts);
  return m;
}

describe('poller schedule', () => {
  it('runs a round every interval and the KMS sweep at the first round a kms_interval after the last', async () => {
    // 2.5 s is not a multiple of the 1 s interval: the sweep waits for the round at 3 s.
    const m = corpMonitor(['kms1.corp.example', 'kms2.corp.example'], { kmsIntervalMs: 2500 });
    m.poller.start();
    await m.clock.advance(6500);
    await m.poller.stop();

    assert.deepEqual(
      m.world.calls.discover.map((at) => at - m.start),
      [0, 1000, 2000, 3000, 4000, 5000, 6000],
    );
    const kmsTimes = [...new Set(m.world.calls.kms.map((c) => c.at - m.start))];
    assert.deepEqual(kmsTimes, [0, 3000, 6000]);
    assert.deepEqual(m.world.probedAt('kms', 3000, m.start), [
      'kms1.corp.example',
      'kms2.corp.example',
    ]);
    assert.equal(m.world.calls.tcp.length, 7 * 2, 'TCP every round, for every host');
    assert.equal(m.state.poll.rounds, 7);
    assert.equal(m.state.poll.kmsSweeps, 3);
    assert.equal(m.state.poll.lastKmsSweepTimestamp, (m.start + 6000) / 1000);
    assert.equal(m.state.poll.overruns, 0);
    assert.ok(m.state.ready);
  });

  it('waits the rest of the interval plus a jitter of at most a tenth of it', async () => {
    const m = corpMonitor(['kms1.corp.example']);
    m.world.delays.tcp = 300;
    m.clock.jitter = 0.5;
    m.poller.start();
    await m.clock.advance(1000);
    await m.poller.stop();
    // The first round took 300 ms (TCP); the next starts 700 ms + half the jitter range later.
    assert.equal(m.clock.sleeps[0], 700 + 0.5 * 1000 * JITTER_FRACTION);
    assert.equal(m.state.poll.lastPollDurationSeconds, 0.3);
  });

  it('counts every probe by kind: dns, then each registered kind', async () => {
    const m = corpMonitor(['kms1.corp.example', 'kms2.corp.example'], {
      products: [WINDOWS, OFFICE],
    });
    await m.poller.runRound();
    const byKind = Object.fromEntries(
      [...m.state.probes.entries()].map((e) => [e.labels.kind, e.value]),
    );
    assert.deepEqual(Object.keys(byKind), ['dns', ...PROBE_KIND_NAMES]);
    assert.deepEqual(byKind, { dns: 1, tcp: 2, kms: 4, trust: 2 });
  });
});

describe('hosts in a round', () => {
  it('go through their kinds without waiting for each other between kinds', async () => {
    // kms1 is slow to connect, kms2 slow to answer the exchange. Each host runs TCP, then
    // KMS, then trust; a host that is done with one kind goes on to the next at once.
    const m = corpMonitor(['kms1.corp.example', 'kms2.corp.example']);
    m.world.hostDelays.set('kms1.corp.example', { tcp: 500 });
    m.world.hostDelays.set('kms2.corp.example', { kms: 500 });
    m.poller.start();
    await m.clock.advance(900);
    await m.poller.stop();

    assert.deepEqual(m.world.probedAt('kms', 0, m.start), ['kms2.corp.example']);
    assert.deepEqual(m.world.probedAt('kms', 500, m.start), ['kms1.corp.example']);
    assert.deepEqual(m.world.probedAt('trust', 500, m.start), [
      'kms1.corp.example',
      'kms2.corp.example',
    ]);
    // As long as the slowest host's chain (500 ms), not the slowest TCP plus the slowest
    // exchange (1 s).
    assert.equal(m.state.poll.lastPollDurationSeconds, 0.5);
    assert.equal(m.state.hosts.get('kms1.corp.example:1688')?.trust?.verdict, 'pass');
  });

  it('still hold at most `concurrency` hosts in flight', async () => {
    const hosts = ['kms1', 'kms2', 'kms3', 'kms4', 'kms5'].map((h) => `${h}.corp.example`);
    const m = corpMonitor(hosts, { concurrency: 2 });
    m.world.delays.tcp = 100;
    m.world.delays.kms = 100;
    m.poller.start();
    await m.clock.advance(900);
    await m.poller.stop();
    assert.equal(m.world.maxInFlight, 2);
    assert.equal(m.world.calls.kms.length, 5);
    // Three waves of at most two hosts, each 200 ms through TCP and KMS.
    assert.equal(m.state.poll.lastPollDurationSeconds, 0.6);
  });
});

describe('hosts between sweeps', () => {
  it('a host that appears gets its exchange at once; one that leaves is forgotten', async () => {
    const m = corpMonitor(['kms1.corp.example', 'kms2.corp.example'], { kmsIntervalMs: 10_000 });
    m.world.down.add('kms2.corp.example');
    m.poller.start();
    await m.clock.advance(500);
    assert.equal(m.state.tcpFailures.total(), 1);
    assert.equal(m.state.kmsFailures.total(), 1);

    // Round 2 (no sweep due): kms3 is new, kms2 left DNS.
    m.world.records.set(CORP, ['kms1.corp.example', 'kms3.corp.example']);
    await m.clock.advance(1000);
    assert.deepEqual(m.world.probedAt('kms', 1000, m.start), ['kms3.corp.example']);
    assert.deepEqual(m.world.probedAt('tcp', 1000, m.start), [
      'kms1.corp.example',
      'kms3.corp.example',
    ]);
    assert.deepEqual([...m.state.hosts.keys()].sort(), [
      'kms1.corp.example:1688',
      'kms3.corp.example:1688',
    ]);
    assert.equal(m.state.tcpFailures.total(), 0, 'the failure series of kms2 left with it');
    assert.equal(m.state.kmsFailures.total(), 0);

    // Round 3: kms2 is back; it is new again, and exchanged at once.
    m.world.records.set(CORP, ['kms1.corp.example', 'kms2.corp.example', 'kms3.corp.example']);
    m.world.down.delete('kms2.corp.example');
    await m.clock.advance(1000);
    assert.deepEqual(m.world.probedAt('kms', 2000, m.start), ['kms2.corp.example']);
    assert.equal(
      m.state.hosts.get('kms2.corp.example:1688')?.products.get('windows')?.success,
      true,
    );
    await m.poller.stop();
    assert.equal(m.state.poll.kmsSweeps, 1, 'catching up on new hosts is not a sweep');
  });

  it('a product added by a reload is asked at the next round; one removed is forgotten', async () => {
    const plan = planOf({
      staticHosts: [{ host: '127.0.0.9', port: 1688 }],
      kmsIntervalMs: 60_000,
    });
    const m = fakeMonitor(plan);
    m.world.down.add('127.0.0.9');
    await m.poller.runRound();
    assert.deepEqual([...m.state.hosts.get('127.0.0.9:1688')!.products.keys()], ['windows']);
    assert.equal(
      m.state.kmsFailures.total((l) => l.product === 'windows'),
      1,
    );

    m.poller.updatePlan({ ...plan, products: [OFFICE] });
    await m.clock.advance(1000);
    await m.poller.runRound();
    assert.deepEqual([...m.state.hosts.get('127.0.0.9:1688')!.products.keys()], ['office']);
    assert.equal(
      m.state.kmsFailures.total((l) => l.product === 'windows'),
      0,
    );
    assert.equal(
      m.state.kmsFailures.total((l) => l.product === 'office'),
      1,
    );
  });

  it('a host without an address is not exchanged with once the poller resolves names', async () => {
    const m = fakeMonitor(
      planOf({
        staticHosts: [{ host: 'kms.nowhere.example', port: 1688 }],
        hostResolvers: [{ address: '127.0.0.53', port: 53 }],
      }),
      {
        resolve: async () => ({
          addresses: [],
          byResolver: [],
          error: { reason: 'nxdomain', message: 'kms.nowhere.example does not exist' },
        }),
      },
    );
    await m.poller.runRound();
    const host = m.state.hosts.get('kms.nowhere.example:1688');
    assert.equal(host?.tcp?.error?.reason, 'no_address');
    assert.equal(host?.target.addressError?.message, 'kms.nowhere.example does not exist');
    assert.equal(m.world.calls.kms.length, 0);
    assert.equal(host?.products.size, 0);
    assert.equal(m.state.ready, true);
  });
});

describe('overruns', () => {
  it('a round longer than the interval delays the next one, is counted, and never overlaps', async () => {
    const m = corpMonitor(['kms1.corp.example'], { kmsIntervalMs: 1000 });
    m.world.delays.kms = 1500;
    m.poller.start();
    await m.clock.advance(4600);
    const poll = { ...m.state.poll };
    await m.poller.stop();

    // Each round: TCP at once, then 1.5 s of KMS; the next starts as soon as it ends.
    assert.deepEqual(
      m.world.calls.discover.map((at) => at - m.start),
      [0, 1500, 3000, 4500],
    );
    assert.deepEqual(m.clock.sleeps.slice(0, 3), [0, 0, 0]);
    assert.equal(poll.overruns, 3);
    assert.equal(poll.lastPollDurationSeconds, 1.5);
    assert.equal(m.world.maxInFlight, 1, 'one probe at a time: rounds never ran side by side');
    assert.equal(m.world.calls.kms.length, 4, 'one exchange per round, never doubled');
    const warnings = m.lines.filter((l) => /longer than the interval/.test(String(l.msg)));
    assert.equal(warnings.length, 3);
    assert.deepEqual(
      { elapsed: warnings[0]?.elapsedSeconds, interval: warnings[0]?.intervalSeconds },
      { elapsed: 1.5, interval: 1 },
    );
  });

  it('a round exactly as long as the interval is no overrun', async () => {
    const m = corpMonitor(['kms1.corp.example']);
    m.world.delays.tcp = 1000;
    m.poller.start();
    await m.clock.advance(2500);
    await m.poller.stop();
    assert.equal(m.state.poll.overruns, 0);
    assert.deepEqual(m.clock.sleeps.slice(0, 2), [0, 0]);
  });
});

describe('stop', () => {
  it('ends a wait between rounds at once', async () => {
    const m = fakeMonitor(planOf({ domains: domainsOf(CORP) }));
    m.poller.start();
    await m.clock.settle();
    assert.equal(m.clock.waiting, 1);
    await m.poller.stop();
    assert.equal(m.clock.waiting, 0);
    assert.equal(m.state.poll.rounds, 1);
  });

  it('aborts the probes in flight: the round ends incomplete and the monitor is not ready', async () => {
    const m = corpMonitor(['kms1.corp.example']);
    m.world.delays.kms = 60_000;
    m.poller.start();
    await m.clock.advance(100);
    assert.equal(m.world.inFlight, 1);
    await m.poller.stop();
    assert.equal(m.world.inFlight, 0);
    assert.equal(m.state.ready, false);
    assert.equal(m.state.poll.kmsSweeps, 0, 'an aborted sweep is no sweep');
    assert.equal(m.clock.now() - m.start, 100, 'no time passed waiting for the probe');
  });
});

describe('a bug in a probe or a round', () => {
  it('costs only that host its result; the other hosts are recorded and polling goes on', async () => {
    const m = corpMonitor(['kms1.corp.example', 'bad.corp.example']);
    const tcp = m.poller['probers'].tcp!;
    m.poller['probers'].tcp = (target, options) =>
      target.host === 'bad.corp.example'
        ? Promise.reject(new Error('deliberate bug'))
        : tcp(target, options);
    m.poller.start();
    await m.clock.advance(2500);
    await m.poller.stop();

    assert.equal(m.state.poll.rounds, 3, 'every round finished');
    assert.equal(m.state.hosts.get('kms1.corp.example:1688')?.tcp?.up, true);
    const errors = m.lines.filter((l) => /probe failed/.test(String(l.msg)));
    assert.equal(errors.length, 3, 'one error line per round');
    assert.deepEqual(
      { kind: errors[0]?.kind, host: errors[0]?.host, level: errors[0]?.level },
      { kind: 'tcp', host: 'bad.corp.example:1688', level: 'error' },
    );
  });

  it('a round that throws is logged, is not counted as finished, and the next round runs', async () => {
    const m = corpMonitor(['kms1.corp.example']);
    const discover = m.poller['probers'].discover;
    let calls = 0;
    m.poller['probers'].discover = (domains, options) =>
      ++calls === 2 ? Promise.reject(new Error('deliberate bug')) : discover(domains, options);
    m.poller.start();
    await m.clock.advance(2500);
    await m.poller.stop();

    assert.deepEqual(
      m.world.calls.discover.map((at) => at - m.start),
      [0, 2000],
      'the fake discover of rounds 1 and 3 (round 2 threw before it)',
    );
    assert.equal(calls, 3);
    assert.equal(m.state.poll.rounds, 2, 'the failed round is not a finished round');
    const errors = m.lines.filter((l) => /round failed/.test(String(l.msg)));
    assert.equal(errors.length, 1);
    assert.match(String((errors[0]?.err as { message?: string })?.message), /deliberate bug/);
  });
});
