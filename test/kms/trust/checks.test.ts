// The authenticity checks as pure functions: for each, what a genuine host answers passes,
// what a public emulator answers with its defaults fails or is suspicious, and what was not
// seen is not_run. Expected values are written out by hand from docs/trust.md.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRUST_CHECK_NAMES,
  associationGroup,
  countEcho,
  echoPolicy,
  epidKeySlot,
  epidStable,
  impossibleCount,
  keepsAssociation,
  knownEmulatorIdentity,
  refusalCheck,
  worstVerdict,
  type ObservedAnswer,
  type TrustCheckResult,
} from '../../../src/kms/trust/index.js';
import type { CounterName } from '../../../src/kms/products/index.js';

const GENUINE_EPID = '03612-00206-556-123456-03-1033-17763.0000-0452019';
const OTHER_EPID = '03612-00206-556-654321-03-1033-17763.0000-0452019';
// Office LTSC 2021 and LTSC 2024 host keys (group 206, docs/coverage.md §3.1) on a Server 2022.
const OFFICE_2021_EPID = '03612-00206-575-123456-03-1033-20348.0000-0452022';
const OFFICE_2024_EPID = '03612-00206-595-123456-03-1033-20348.0000-3002024';

const refused = (code: string): ObservedAnswer => ({
  success: false,
  activeClients: null,
  epid: null,
  hwid: null,
  error: { reason: 'kms_error', code },
});
const answered = (count: number): ObservedAnswer => ({
  success: true,
  activeClients: count,
  epid: GENUINE_EPID,
  hwid: '1AB0C0FFEE000001',
  error: null,
});
const noAnswer: ObservedAnswer = {
  success: false,
  activeClients: null,
  epid: null,
  hwid: null,
  error: { reason: 'timeout', code: null },
};

const verdictOf = (r: TrustCheckResult) => r.verdict;

describe('trust checks', () => {
  it('negative controls: refused with 0xC004F042 passes, an answer fails, no answer is not run', () => {
    const cases: [ObservedAnswer | undefined, string][] = [
      [refused('0xC004F042'), 'pass'],
      [refused('0xc004f042'), 'pass'],
      [answered(50), 'failed'],
      [refused('0xC004F06C'), 'suspicious'],
      [noAnswer, 'not_run'],
      [undefined, 'not_run'],
    ];
    for (const check of ['control_unknown_id', 'control_retail'] as const) {
      for (const [answer, want] of cases) {
        const r = refusalCheck(check, answer);
        assert.equal(r.check, check);
        assert.equal(r.verdict, want, `${check} ${JSON.stringify(answer)}: ${r.evidence}`);
      }
    }
    assert.match(refusalCheck('control_unknown_id', answered(50)).evidence, /count 50/);
  });

  it('clock window: 0xC004F06C passes, an answer fails', () => {
    assert.equal(refusalCheck('clock_window', refused('0xC004F06C')).verdict, 'pass');
    assert.equal(refusalCheck('clock_window', answered(30)).verdict, 'failed');
    assert.equal(refusalCheck('clock_window', refused('0xC004F042')).verdict, 'suspicious');
  });

  it('impossible counts: above 2 × the largest N fails, 50 and below pass', () => {
    const at = (count: number) => [{ product: 'windows-10-11', count, nPolicy: 25 }];
    assert.equal(impossibleCount(at(50), 25).verdict, 'pass');
    assert.equal(impossibleCount(at(51), 25).verdict, 'failed');
    assert.equal(impossibleCount(at(800), 25).verdict, 'failed');
    assert.match(impossibleCount(at(800), 25).evidence, /800 is above 50/);
    // The monitor sending N=5 only does not lower the bound below the clients' 25.
    assert.equal(impossibleCount(at(50), 5).verdict, 'pass');
    // A custom product sending a larger N raises it.
    assert.equal(impossibleCount(at(80), 40).verdict, 'pass');
    assert.equal(impossibleCount(at(81), 40).verdict, 'failed');
    assert.equal(impossibleCount([], 25).verdict, 'not_run');
  });

  it('count echo: a count that follows the request’s N is suspicious', () => {
    assert.deepEqual([25, 5, 3, 2, 1].map(echoPolicy), [13, 3, 2, 1, null]);
    const pair = (genuine: number, lower: number) =>
      countEcho(
        { product: 'w', count: genuine, nPolicy: 25 },
        { product: 'w', count: lower, nPolicy: 13 },
      ).verdict;
    assert.equal(pair(50, 26), 'suspicious', 'vlmcsd and py-kms: 2 × N both times');
    assert.equal(pair(31, 26), 'suspicious', 'the lower request got exactly 2 × its N');
    assert.equal(pair(31, 31), 'pass', 'a genuine cache answers both alike');
    assert.equal(pair(26, 26), 'pass', 'a genuine host with 26 clients');
    assert.equal(pair(50, 50), 'pass', 'a genuine host at its cap');
    assert.equal(countEcho(undefined, undefined).verdict, 'not_run');
  });

  it('ePID stability: two on one connection fail, a change across sweeps is suspicious', () => {
    const one = (thisSweep: string[], previous: string | null) =>
      epidStable([{ slot: 'windows', label: 'windows', thisSweep, previous }]).verdict;
    assert.equal(one([GENUINE_EPID, GENUINE_EPID], null), 'pass');
    assert.equal(one([GENUINE_EPID], GENUINE_EPID), 'pass');
    assert.equal(one([GENUINE_EPID, OTHER_EPID], null), 'failed', 'py-kms: a new ePID per answer');
    assert.equal(one([OTHER_EPID], GENUINE_EPID), 'suspicious', 'vlmcsd -r1: a new one per start');
    assert.equal(one([GENUINE_EPID], null), 'not_run');
    assert.equal(one([], null), 'not_run');
  });

  it('ePID slots: one per Office release key on an Office 2013+ host, one per application elsewhere', () => {
    const slotOf = (application: CounterName, epid: string) => epidKeySlot(application, epid).slot;
    assert.equal(slotOf('office-2013+', OFFICE_2021_EPID), 'office-2013+/office-ltsc-2021');
    assert.equal(slotOf('office-2013+', OFFICE_2024_EPID), 'office-2013+/office-ltsc-2024');
    assert.equal(
      epidKeySlot('office-2013+', OFFICE_2024_EPID).label,
      'office-2013+ (Office LTSC 2024 key)',
    );
    assert.equal(slotOf('office-2013+', 'not an epid'), 'office-2013+', 'no key: the application');
    assert.equal(
      slotOf('office-2013+', GENUINE_EPID),
      'office-2013+',
      'a Windows key: the application',
    );
    assert.equal(slotOf('windows', GENUINE_EPID), 'windows', 'one Windows key per host');
    assert.equal(slotOf('windows', OFFICE_2021_EPID), 'windows');
  });

  it('known emulator identities: the default HWIDs and ePID fail', () => {
    assert.equal(knownEmulatorIdentity('3A1C049600B60076', []).verdict, 'failed');
    assert.equal(knownEmulatorIdentity('364f463a8863d35f', []).verdict, 'failed');
    assert.equal(
      knownEmulatorIdentity(null, ['55041-00206-567-333897-03-1102-6002.0000-3342021']).verdict,
      'failed',
    );
    assert.equal(knownEmulatorIdentity('1AB0C0FFEE000001', [GENUINE_EPID]).verdict, 'pass');
    assert.equal(knownEmulatorIdentity(null, []).verdict, 'not_run');
  });

  it('RPC behaviour: py-kms’s constant association group and closing after one answer', () => {
    assert.equal(associationGroup(0x1063bf3f).verdict, 'suspicious');
    assert.equal(associationGroup(0x00012345).verdict, 'pass');
    assert.equal(associationGroup(null).verdict, 'not_run');
    assert.equal(
      keepsAssociation({ answeredOnFirst: 1, closedAfterAnswer: true }).verdict,
      'suspicious',
    );
    assert.equal(
      keepsAssociation({ answeredOnFirst: 3, closedAfterAnswer: false }).verdict,
      'pass',
    );
    assert.equal(
      keepsAssociation({ answeredOnFirst: 1, closedAfterAnswer: false }).verdict,
      'not_run',
    );
  });

  it('a genuine-like host passes every check it can run; one emulator sign makes the worst verdict', () => {
    const genuine = [
      refusalCheck('control_unknown_id', refused('0xC004F042')),
      impossibleCount([{ product: 'w', count: 31, nPolicy: 25 }], 25),
      countEcho({ product: 'w', count: 31, nPolicy: 25 }, { product: 'w', count: 31, nPolicy: 13 }),
      epidStable([
        {
          slot: 'windows',
          label: 'windows',
          thisSweep: [GENUINE_EPID, GENUINE_EPID],
          previous: null,
        },
      ]),
      knownEmulatorIdentity('1AB0C0FFEE000001', [GENUINE_EPID]),
      associationGroup(0x2a),
      keepsAssociation({ answeredOnFirst: 2, closedAfterAnswer: false }),
    ];
    assert.deepEqual(
      genuine.map(verdictOf),
      genuine.map(() => 'pass'),
    );
    assert.equal(worstVerdict(genuine), 'pass');
    assert.equal(worstVerdict([...genuine, associationGroup(0x1063bf3f)]), 'suspicious');
    assert.equal(
      worstVerdict([...genuine, refusalCheck('control_retail', answered(50))]),
      'failed',
    );
    assert.equal(worstVerdict([]), 'not_run');
    // Every check has a definition and a result function in this test.
    assert.equal(TRUST_CHECK_NAMES.length, 10);
  });
});
