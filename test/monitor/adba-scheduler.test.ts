/**
 * The ADBA scheduler on a fake clock: each forest read at start and every adba_interval on
 * its own loop, a hanging forest delaying no other, the changes between two successful
 * reads recorded (and replaced by the next), reloads keeping, restarting or dropping a
 * forest's loop, and stop aborting the reads in flight. The reads are scripted here; the
 * same scheduler against a real slapd is test/monitor/adba-integration.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import {
  validateAdbaForest,
  type AdbaForestConfig,
  type AdbaObject,
  type AdbaReadResult,
} from '../../src/adba/index.js';
import { AdbaScheduler, type ReadForestFn } from '../../src/monitor/adba-scheduler.js';
import { MonitorState } from '../../src/monitor/state.js';
import {
  FORGED_LOOKING_OBJECT,
  GENUINE_LOOKING_OBJECT,
} from '../../src/lab/adba/sample-objects.js';
import { labObject } from '../helpers/adba-objects.js';
import { FakeClock } from './fake-clock.js';

const HOUR = 3_600_000;
const forest = (name: string, extra: Record<string, unknown> = {}): AdbaForestConfig =>
  validateAdbaForest({
    name,
    url: `ldaps://dc.${name}.example`,
    bind_dn: 'CN=reader',
    password_env: 'ADBA_PW',
    ...extra,
  });

const ok = (name: string, objects: AdbaObject[]): AdbaReadResult => ({
  forest: name,
  ok: true,
  container: 'CN=Activation Objects',
  objects,
  truncated: false,
  pages: 1,
  durationMs: 1,
});

/** Reads scripted per forest; a forest without a script hangs until its read is aborted. */
function scripted(clock: FakeClock) {
  const calls: string[] = [];
  const aborted: string[] = [];
  const script = new Map<string, () => AdbaReadResult>();
  const read: ReadForestFn = (config, { signal }) => {
    calls.push(config.name);
    const answer = script.get(config.name);
    if (answer) return clock.wait(10, signal).then(answer);
    return new Promise((resolve) =>
      signal.addEventListener('abort', () => {
        aborted.push(config.name);
        resolve({
          ...ok(config.name, []),
          ok: false,
          reason: 'timeout',
          phase: 'bind',
          message: 'stopped',
        });
      }),
    );
  };
  return { calls, aborted, script, read };
}

describe('ADBA scheduler', () => {
  const log = pino({ level: 'silent' });

  it('reads each forest at start and every adba_interval; a hanging forest delays no other', async () => {
    const clock = new FakeClock();
    const state = new MonitorState();
    const { calls, script, read } = scripted(clock);
    script.set('corp', () => ok('corp', [labObject(GENUINE_LOOKING_OBJECT)]));
    const scheduler = new AdbaScheduler(state.adba, read, log, clock);
    const before = state.generation;
    scheduler.configure([forest('corp'), forest('stuck')], HOUR);
    await clock.advance(100);
    assert.deepEqual(calls, ['corp', 'stuck']);
    assert.ok(state.generation > before, 'a read moves the state generation (metrics cache)');
    const corp = state.adba.forests.get('corp')!;
    assert.equal(corp.reads, 1);
    assert.equal(corp.objects?.length, 1);
    assert.equal(state.adba.forests.get('stuck')!.last, null);
    await clock.advance(HOUR - 200);
    assert.equal(calls.filter((c) => c === 'corp').length, 1, 'not before the interval');
    await clock.advance(HOUR);
    await clock.advance(HOUR);
    assert.equal(calls.filter((c) => c === 'corp').length, 3);
    assert.equal(calls.filter((c) => c === 'stuck').length, 1, 'stuck is still on its first read');
    await scheduler.stop();
  });

  it('records the changes between two successful reads until the next one replaces them', async () => {
    const clock = new FakeClock();
    const state = new MonitorState();
    const { script, read } = scripted(clock);
    let objects = [labObject(GENUINE_LOOKING_OBJECT)];
    let fail = false;
    script.set('corp', () =>
      fail
        ? { ...ok('corp', []), ok: false, reason: 'connect', phase: 'connect', message: 'refused' }
        : ok('corp', objects),
    );
    const scheduler = new AdbaScheduler(state.adba, read, log, clock);
    scheduler.configure([forest('corp')], HOUR);
    await clock.advance(100);
    const corp = () => state.adba.forests.get('corp')!;
    assert.deepEqual(corp().changes, { appeared: [], changed: [], disappeared: [] }, 'baseline');

    objects = [labObject(GENUINE_LOOKING_OBJECT), labObject(FORGED_LOOKING_OBJECT)];
    await clock.advance(HOUR);
    assert.deepEqual(
      corp().changes.appeared.map((o) => o.displayName),
      ['ADBA'],
    );

    // A failed read says nothing about the objects: the change stays, the objects too.
    fail = true;
    await clock.advance(HOUR);
    assert.equal(corp().last?.ok, false);
    assert.equal(corp().changes.appeared.length, 1);
    assert.equal(corp().objects?.length, 2);
    assert.equal(state.adba.failures.total(), 1);

    fail = false;
    objects = [labObject(GENUINE_LOOKING_OBJECT, { displayName: 'renamed' })];
    await clock.advance(HOUR);
    assert.deepEqual(corp().changes.appeared, []);
    assert.deepEqual(
      corp().changes.disappeared.map((o) => o.displayName),
      ['ADBA'],
    );
    assert.deepEqual(
      corp().changes.changed.map((c) => c.attributes),
      [['displayName']],
    );

    await clock.advance(HOUR);
    assert.deepEqual(corp().changes, { appeared: [], changed: [], disappeared: [] }, 'cleared');
    await scheduler.stop();
  });

  it('a reload keeps an unchanged forest, restarts a changed one and drops a removed one', async () => {
    const clock = new FakeClock();
    const state = new MonitorState();
    const { calls, aborted, script, read } = scripted(clock);
    script.set('corp', () => ok('corp', [labObject(GENUINE_LOOKING_OBJECT)]));
    const scheduler = new AdbaScheduler(state.adba, read, log, clock);
    scheduler.configure([forest('corp'), forest('lab'), forest('gone')], HOUR);
    await clock.advance(100);
    assert.deepEqual(calls, ['corp', 'lab', 'gone']);

    scheduler.configure([forest('corp'), forest('lab', { timeout: 2000 })], 2 * HOUR);
    await clock.advance(100);
    assert.deepEqual(aborted.sort(), ['gone', 'lab'], 'changed and removed reads are aborted');
    assert.deepEqual([...state.adba.forests.keys()], ['corp', 'lab']);
    assert.equal(state.adba.forests.get('corp')!.reads, 1, 'corp keeps its memory');
    assert.deepEqual(calls, ['corp', 'lab', 'gone', 'lab'], 'lab restarts at once, corp waits');
    await clock.advance(HOUR);
    assert.equal(
      calls.filter((c) => c === 'corp').length,
      2,
      'the old wait ends at the old interval',
    );
    await clock.advance(HOUR);
    assert.equal(calls.filter((c) => c === 'corp').length, 2, 'then the new interval applies');
    await clock.advance(HOUR);
    assert.equal(calls.filter((c) => c === 'corp').length, 3);
    await scheduler.stop();
  });

  it('stop aborts every read in flight, records nothing and ends every loop', async () => {
    const clock = new FakeClock();
    const state = new MonitorState();
    const { aborted, read } = scripted(clock);
    const scheduler = new AdbaScheduler(state.adba, read, log, clock);
    scheduler.configure([forest('a'), forest('b')], HOUR);
    await clock.advance(100);
    await scheduler.stop();
    assert.deepEqual(aborted.sort(), ['a', 'b']);
    assert.equal(state.adba.failures.total(), 0, 'an aborted read is not a failure');
    assert.equal(clock.waiting, 0);
    scheduler.configure([forest('a')], HOUR);
    await clock.advance(100);
    assert.deepEqual(aborted.sort(), ['a', 'b'], 'a stopped scheduler starts nothing');
  });
});
