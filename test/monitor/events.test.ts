// The journal of recent events, fed by a poller over a fake world on a fake clock: each
// transition at the round it happened, repeats folded into one line with the right count
// and first/last time, and the cap dropping the oldest line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SrvLookupResult } from '../../src/dns/index.js';
import {
  EventJournal,
  type JournalEvent,
  type Transition,
} from '../../src/monitor/events/index.js';
import { RecordWatch } from '../../src/monitor/events/records.js';
import { domainsOf, fakeMonitor, planOf, OFFICE, WINDOWS } from './fake-world.js';

const CORP = 'corp.example';
const K1 = 'kms1.corp.example:1688';
const K2 = 'kms2.corp.example:1688';
const K3 = 'kms3.corp.example:1688';

function monitor() {
  const m = fakeMonitor(planOf({ domains: domainsOf(CORP), products: [WINDOWS, OFFICE] }));
  m.world.records.set(CORP, ['kms1.corp.example', 'kms2.corp.example']);
  /** A round with the KMS exchange, 10 s after the one before; returns its ISO time. */
  const round = async (): Promise<string> => {
    await m.clock.advance(10_000);
    await m.poller.runRound({ forceKms: true });
    return new Date(m.clock.now()).toISOString();
  };
  const line = (match: (e: JournalEvent) => boolean): JournalEvent | undefined =>
    m.state.events.events().find(match);
  const finding = (code: string, host?: string, product?: string) =>
    line((e) => e.code === code && e.host === host && e.product === product);
  return { ...m, round, line, finding };
}

describe('recent events', () => {
  it('a host goes down and comes back: host_down raised then cleared, TCP down then up', async () => {
    const m = monitor();
    await m.round();
    assert.deepEqual(m.state.events.events(), [], 'a healthy start is no event');
    m.world.down.add('kms1.corp.example');
    const downAt = await m.round();
    let f = m.finding('host_down', K1);
    assert.ok(f, 'host_down raised');
    assert.equal(f.change, 'raised');
    assert.equal(f.problem, true);
    assert.equal(f.severity, 'warning');
    assert.equal(f.first, downAt);
    const tcp = m.line((e) => e.kind === 'probe' && e.host === K1 && e.probe?.kind === 'tcp');
    assert.equal(tcp?.change, 'started failing');
    assert.equal(tcp?.probe?.reason, 'connect_refused');
    await m.round(); // still down: no new transition
    assert.equal(m.finding('host_down', K1)?.count, 1);
    m.world.down.delete('kms1.corp.example');
    const upAt = await m.round();
    f = m.finding('host_down', K1);
    assert.equal(f?.change, 'cleared');
    assert.equal(f?.problem, false);
    assert.deepEqual(f?.counts, { raised: 1, cleared: 1 });
    assert.equal(f?.first, downAt);
    assert.equal(f?.last, upAt);
    const back = m.line((e) => e.kind === 'probe' && e.host === K1 && e.probe?.kind === 'tcp');
    assert.equal(back?.change, 'recovered');
    assert.equal(back?.last, upAt);
  });

  it('a record appears and disappears: one line per domain and target', async () => {
    const m = monitor();
    await m.round();
    m.world.records.set(CORP, ['kms1.corp.example', 'kms2.corp.example', 'kms3.corp.example']);
    const appearedAt = await m.round();
    let r = m.line((e) => e.kind === 'record' && e.host === K3);
    assert.equal(r?.change, 'appeared');
    assert.equal(r?.domain, CORP);
    assert.equal(r?.last, appearedAt);
    m.world.records.set(CORP, ['kms1.corp.example', 'kms2.corp.example']);
    const goneAt = await m.round();
    r = m.line((e) => e.kind === 'record' && e.host === K3);
    assert.equal(r?.change, 'gone');
    assert.deepEqual(r?.counts, { appeared: 1, gone: 1 });
    assert.equal(r?.first, appearedAt);
    assert.equal(r?.last, goneAt);
    assert.equal(
      m.state.events.events().filter((e) => e.kind === 'record').length,
      1,
      'the records that stayed are no event',
    );
  });

  it('a count falls below N and recovers: count_below_threshold raised and cleared', async () => {
    const m = monitor();
    await m.round();
    m.world.counts.set('kms1.corp.example', 10); // Windows N is 25, Office N is 5
    const fellAt = await m.round();
    const f = m.finding('count_below_threshold', K1, 'windows');
    assert.equal(f?.change, 'raised');
    assert.equal(f?.first, fellAt);
    assert.match(f?.message ?? '', /10/);
    assert.equal(m.finding('count_below_threshold', K1, 'office'), undefined, '10 ≥ 5');
    m.world.counts.set('kms1.corp.example', 30);
    const roseAt = await m.round();
    const cleared = m.finding('count_below_threshold', K1, 'windows');
    assert.equal(cleared?.change, 'cleared');
    assert.equal(cleared?.last, roseAt);
  });

  it('a flapping host folds into one line: count and first/last time', async () => {
    const m = monitor();
    await m.round();
    let firstDown = '';
    let lastChange = '';
    for (let i = 0; i < 3; i++) {
      m.world.down.add('kms2.corp.example');
      const at = await m.round();
      if (i === 0) firstDown = at;
      m.world.down.delete('kms2.corp.example');
      lastChange = await m.round();
    }
    const lines = m.state.events.events().filter((e) => e.code === 'host_down');
    assert.equal(lines.length, 1, 'one line for the flapping host');
    assert.equal(lines[0]!.count, 6);
    assert.deepEqual(lines[0]!.counts, { raised: 3, cleared: 3 });
    assert.equal(lines[0]!.first, firstDown);
    assert.equal(lines[0]!.last, lastChange);
    const tcp = m.state.events
      .events()
      .filter((e) => e.kind === 'probe' && e.host === K2 && e.probe?.kind === 'tcp');
    assert.equal(tcp.length, 1);
    assert.deepEqual(tcp[0]!.counts, { 'started failing': 3, recovered: 3 });
  });

  it('an answer without records is every record gone', async () => {
    const m = monitor();
    await m.round();
    m.world.records.delete(CORP); // an answer without records: both gone
    await m.round();
    assert.deepEqual(
      m.state.events
        .events()
        .filter((e) => e.kind === 'record')
        .map((e) => `${e.host} ${e.change}`)
        .sort(),
      [`${K1} gone`, `${K2} gone`],
    );
  });
});

describe('records', () => {
  const lookup = (success: boolean, hosts: string[]): SrvLookupResult =>
    ({
      domain: CORP,
      resolver: '127.0.0.53:53',
      success,
      records: hosts.map((host) => ({ host, port: 1688 })),
    }) as unknown as SrvLookupResult;

  it('a failed lookup is not every record gone, and the first answer is the baseline', () => {
    const w = new RecordWatch();
    const at = '2026-01-01T00:00:00.000Z';
    assert.deepEqual(w.observe([{ domain: CORP, lookups: [lookup(true, ['a', 'b'])] }], at), []);
    assert.deepEqual(w.observe([{ domain: CORP, lookups: [lookup(false, [])] }], at), []);
    // One resolver failing while another answers: the answer counts.
    const t = w.observe(
      [{ domain: CORP, lookups: [lookup(false, []), lookup(true, ['a', 'c'])] }],
      at,
    );
    assert.deepEqual(
      t.map((x) => `${x.host} ${x.change}`),
      ['c:1688 appeared', 'b:1688 gone'],
    );
    // A domain dropped from the configuration is forgotten: back later, it is a baseline again.
    assert.deepEqual(w.observe([], at), []);
    assert.deepEqual(w.observe([{ domain: CORP, lookups: [lookup(true, ['z'])] }], at), []);
  });
});

describe('the journal is bounded', () => {
  const t = (key: string, at: number): Transition => ({
    at: new Date(Date.UTC(2026, 0, 1) + at * 1000).toISOString(),
    kind: 'record',
    key,
    change: 'appeared',
    problem: false,
    code: null,
    severity: 'ok',
    message: null,
  });

  it('drops the line whose latest transition is the oldest', () => {
    const j = new EventJournal(3);
    j.add(t('a', 1));
    j.add(t('b', 2));
    j.add(t('c', 3));
    j.add(t('a', 4)); // a is now the newest: b is the oldest
    j.add(t('d', 5));
    assert.deepEqual(
      j.events().map((e) => e.key),
      ['d', 'a', 'c'],
    );
    assert.equal(j.dropped, 1);
    assert.equal(j.events()[1]!.count, 2);
    for (let i = 0; i < 100; i++) j.add(t(`k${i}`, 10 + i));
    assert.equal(j.size, 3);
    assert.deepEqual(
      j.events().map((e) => e.key),
      ['k99', 'k98', 'k97'],
    );
  });

  it('refuses a capacity that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => new EventJournal(bad), /positive integer/);
    }
  });
});
