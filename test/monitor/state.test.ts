// The state the readers see, written through its hooks: the history stays bounded and
// keeps failures longer, failure series follow the hosts and products, and the
// evaluation (what check, the page and the finding log render) follows the rounds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluationOf } from '../../src/monitor/evaluation-of.js';
import { ProbeHistory, type HistoryEntry } from '../../src/monitor/history.js';
import { MonitorState } from '../../src/monitor/state.js';
import { mergeTargets } from '../../src/monitor/targets.js';
import { domainsOf, fakeMonitor, planOf } from './fake-world.js';

const CORP = 'corp.example';

function entry(i: number, success: boolean): HistoryEntry {
  return {
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    kind: 'tcp',
    target: `h${i % 3}:1688`,
    detail: null,
    success,
    reason: success ? null : 'connect_refused',
    message: null,
    durationSeconds: 0,
  };
}

describe('history bounds', () => {
  it('keeps the latest successes and failures each in its own ring, newest first', () => {
    const history = new ProbeHistory({ successes: 3, failures: 2 });
    for (let i = 0; i < 20; i++) history.record(entry(i, i !== 4 && i < 18));
    const recent = history.recent(100);
    // Successes 15..17 and failures 18, 19: the failure at 4 was pushed out by two newer ones.
    assert.deepEqual(
      recent.map((e) => [new Date(e.timestamp).getUTCSeconds(), e.success]),
      [
        [19, false],
        [18, false],
        [17, true],
        [16, true],
        [15, true],
      ],
    );
    assert.equal(history.recent(2).length, 2);
    assert.deepEqual(
      history.recent(100, 'h1:1688').map((e) => new Date(e.timestamp).getUTCSeconds()),
      [19, 16],
    );
  });

  it('a failure outlives many successes', () => {
    const history = new ProbeHistory({ successes: 3, failures: 2 });
    history.record(entry(0, false));
    for (let i = 1; i < 50; i++) history.record(entry(i, true));
    const recent = history.recent(100);
    assert.equal(recent.length, 4);
    assert.equal(recent.at(-1)?.success, false);
  });

  it('a monitor running many rounds holds no more history than its rings', async () => {
    const m = fakeMonitor(planOf({ domains: domainsOf(CORP), kmsIntervalMs: 1000 }), {
      state: { history: { successes: 10, failures: 5 } },
    });
    m.world.records.set(CORP, ['kms1.corp.example', 'kms2.corp.example']);
    m.world.down.add('kms2.corp.example');
    m.poller.start();
    await m.clock.advance(30_500);
    await m.poller.stop();
    assert.equal(m.state.poll.rounds, 31);
    const recent = m.state.history.recent(1000);
    assert.equal(recent.filter((e) => e.success).length, 10);
    assert.equal(recent.filter((e) => !e.success).length, 5);
    assert.ok(recent.every((e) => ['dns', 'tcp', 'kms', 'trust'].includes(e.kind)));
  });
});

describe('state hooks', () => {
  it('counts each TCP address, keeps the first that answered, and names where a failure went', () => {
    const state = new MonitorState();
    const { targets } = mergeTargets([], [{ host: '127.0.0.7', port: 1688 }], 10);
    state.applyDiscovery({ lookups: [], targets, hostsCut: 0 });
    const at = '2026-01-01T00:00:00.000Z';
    const key = '127.0.0.7:1688';
    state.recordReachability(key, [
      {
        host: '127.0.0.7',
        port: 1688,
        address: null,
        up: false,
        durationSeconds: 1,
        timestamp: at,
        error: { reason: 'connect_timeout', code: null, message: 'timeout' },
      },
      {
        host: '127.0.0.7',
        port: 1688,
        address: '127.0.0.8',
        up: true,
        durationSeconds: 0.01,
        timestamp: at,
        error: null,
      },
    ]);
    const host = state.hosts.get(key);
    assert.equal(host?.tcp?.address, '127.0.0.8');
    assert.equal(host?.addresses.length, 2);
    assert.equal(
      state.probes.total((l) => l.kind === 'tcp'),
      2,
    );
    assert.deepEqual(
      [...state.tcpFailures.entries()].map((e) => e.labels),
      [{ host_key: key, host: '127.0.0.7', port: '1688', reason: 'connect_timeout' }],
    );
    assert.deepEqual(
      state.history.recent(10).map((e) => [e.kind, e.target, e.detail, e.success]),
      [['tcp', key, '127.0.0.8', true]],
    );
  });

  it('ignores results of a host that left while its probe ran', () => {
    const state = new MonitorState();
    const generation = state.generation;
    state.recordReachability('gone:1688', [
      {
        host: 'gone',
        port: 1688,
        address: '127.0.0.1',
        up: true,
        durationSeconds: 0,
        timestamp: '2026-01-01T00:00:00.000Z',
        error: null,
      },
    ]);
    assert.equal(state.generation, generation);
    assert.equal(state.probes.total(), 0);
    assert.equal(state.history.recent(10).length, 0);
  });
});

describe('what evaluate() sees, round by round', () => {
  it('a host going down, coming back, and counting too few raises and clears its findings', async () => {
    const plan = planOf({ domains: domainsOf(CORP), kmsIntervalMs: 2000 });
    const m = fakeMonitor(plan);
    const kms1 = 'kms1.corp.example';
    const kms2 = 'kms2.corp.example';
    m.world.records.set(CORP, [kms1, kms2]);
    const evaluation = () => evaluationOf(m.state, plan.products);
    const codes = () =>
      evaluation()
        .problems.map((p) => `${p.code}${p.host ? ` ${p.host}` : ''}`)
        .sort();
    // What the finding log wrote since the last call: the transitions, as an admin sees them.
    let seen = 0;
    const logged = () => {
      const lines = m.lines.slice(seen).filter((l) => /^finding /.test(String(l.msg)));
      seen = m.lines.length;
      return lines.map((l) => `${String(l.msg).split(' ')[1]} ${String(l.code)}`).sort();
    };

    m.poller.start();
    await m.clock.advance(500); // round at 0: sweep
    assert.deepEqual(codes(), []);
    assert.equal(evaluation().status, 'ok');
    assert.deepEqual(logged(), []);

    m.world.down.add(kms2);
    await m.clock.advance(1000); // round at 1 s: TCP only
    assert.deepEqual(codes(), [`host_down ${kms2}:1688`]);
    assert.equal(evaluation().verdicts[0]?.workingHosts, 1);
    assert.deepEqual(logged(), ['raised host_down']);

    m.world.down.add(kms1);
    await m.clock.advance(1000); // round at 2 s: sweep, both down
    assert.deepEqual(codes(), [
      `host_down ${kms1}:1688`,
      `host_down ${kms2}:1688`,
      'no_working_host',
    ]);
    assert.equal(evaluation().status, 'critical');
    assert.equal(evaluation().verdicts[0]?.status, 'critical');
    assert.deepEqual(logged(), ['raised host_down', 'raised no_working_host']);

    m.world.down.clear();
    m.world.counts.set(kms1, 3);
    await m.clock.advance(1000); // round at 3 s: TCP is back, so the KMS exchange runs at once
    // (was: the failed exchanges of 2 s stayed until the next sweep, host_exchange_failing)
    assert.deepEqual(codes(), [`count_below_threshold ${kms1}:1688`]);
    assert.equal(evaluation().verdicts[0]?.workingHosts, 1);
    assert.deepEqual(logged(), [
      'cleared host_down',
      'cleared host_down',
      'cleared no_working_host',
      'raised count_below_threshold',
    ]);
    // One exchange per recovered host, in the round TCP saw it back: no more.
    assert.deepEqual(m.world.probedAt('kms', 3000, m.start), [kms1, kms2]);
    await m.clock.advance(1000); // round at 4 s: sweep, nothing changes
    assert.deepEqual(codes(), [`count_below_threshold ${kms1}:1688`]);
    assert.deepEqual(logged(), []);

    m.world.records.set(CORP, [kms2]);
    await m.clock.advance(1000); // kms1 leaves DNS: its finding goes with it
    assert.deepEqual(codes(), ['single_host']);
    assert.deepEqual(logged(), ['cleared count_below_threshold', 'raised single_host']);
    await m.poller.stop();
  });
});
