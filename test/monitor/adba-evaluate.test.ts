/**
 * What the monitor makes of an ADBA forest's reads: the findings (forged-looking, unknown
 * KMS IDs, unreadable with its reason, appeared/changed/disappeared until the next read),
 * the combined coverage per product group, and that ADBA changes no KMS verdict.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdbaObject, AdbaReadResult } from '../../src/adba/index.js';
import { evaluate } from '../../src/monitor/evaluate.js';
import { MonitorState } from '../../src/monitor/state.js';
import { buildStatusView } from '../../src/monitor/status-view.js';
import { findProduct } from '../../src/kms/products/index.js';
import {
  FORGED_LOOKING_OBJECT,
  GENUINE_LOOKING_OBJECT,
} from '../../src/lab/adba/sample-objects.js';
import type { Product } from '../../src/kms/products/index.js';
import type { SrvLookupResult } from '../../src/dns/index.js';
import { labObject } from '../helpers/adba-objects.js';

const products = ['windows-10-11', 'windows-7', 'office-2016'].map((s) =>
  findProduct(s)!,
) as Product[];
const ok = (objects: AdbaObject[]): AdbaReadResult => ({
  forest: 'corp',
  ok: true,
  container: 'CN=Activation Objects,CN=Microsoft SPP,CN=Services,CN=Configuration,DC=corp',
  objects,
  truncated: false,
  pages: 1,
  durationMs: 12,
});

function stateWith(...reads: AdbaReadResult[]): MonitorState {
  const state = new MonitorState();
  state.adba.configure([{ name: 'corp', url: 'ldaps://dc1.corp.example' }]);
  reads.forEach((r, i) => state.adba.record(r, new Date(Date.UTC(2026, 0, 1, i)).toISOString()));
  return state;
}

const findings = (state: MonitorState) =>
  evaluate(buildStatusView(state, products)).problems.filter((p) => p.forest !== undefined);

describe('ADBA evaluation', () => {
  it('flags the forged-looking object and its unknown KMS ID, not the genuine-looking one', () => {
    const state = stateWith(
      ok([labObject(GENUINE_LOOKING_OBJECT), labObject(FORGED_LOOKING_OBJECT)]),
    );
    const found = findings(state);
    assert.deepEqual(
      found.map((f) => [f.code, f.severity]),
      [
        ['adba_object_forged', 'critical'],
        ['adba_kms_id_unknown', 'warning'],
      ],
    );
    assert.match(found[0]!.message, /"ADBA" in forest corp looks forged: .*all-zero GUID.*XXXXX/);
    assert.match(found[0]!.object!, /^CN=01234-000-000000-0,/);
  });

  it('an unreadable forest is one finding with its reason; the objects last seen are kept', () => {
    const state = stateWith(ok([labObject(GENUINE_LOOKING_OBJECT)]), {
      forest: 'corp',
      ok: false,
      reason: 'bind',
      phase: 'bind',
      message: 'the directory refused the bind: invalid credentials (49)',
      durationMs: 3,
    });
    assert.deepEqual(
      findings(state).map((f) => f.code),
      ['adba_unreadable'],
    );
    assert.match(findings(state)[0]!.message, /cannot be read: bind \(.*invalid credentials/);
    const view = buildStatusView(state, products).adba![0]!;
    assert.equal(view.status, 'unreadable');
    assert.equal(view.objects.length, 1);
  });

  it('changes are raised after the read that saw them and cleared by the next', () => {
    const genuine = labObject(GENUINE_LOOKING_OBJECT);
    const renamed = labObject(GENUINE_LOOKING_OBJECT, { displayName: 'renamed by hand' });
    const forged = labObject(FORGED_LOOKING_OBJECT);
    const state = stateWith(ok([genuine]));
    assert.deepEqual(findings(state), [], 'the first read is the baseline');
    state.adba.record(ok([renamed, forged]), '2026-01-01T05:00:00.000Z');
    const codes = findings(state).map((f) => f.code);
    assert.ok(codes.includes('adba_object_appeared') && codes.includes('adba_object_changed'));
    assert.match(
      findings(state).find((f) => f.code === 'adba_object_changed')!.message,
      /changed: displayName/,
    );
    state.adba.record(ok([renamed]), '2026-01-01T06:00:00.000Z');
    assert.deepEqual(
      findings(state).map((f) => f.code),
      ['adba_object_disappeared'],
    );
    state.adba.record(ok([renamed]), '2026-01-01T07:00:00.000Z');
    assert.deepEqual(findings(state), []);
  });

  it('coverage: domain members of 8.1+ groups covered, pre-8.1 groups and forged objects not', () => {
    const state = stateWith(
      ok([labObject(GENUINE_LOOKING_OBJECT), labObject(FORGED_LOOKING_OBJECT)]),
    );
    const coverage = buildStatusView(state, products).adba![0]!.coverage;
    const of = (slug: string) => coverage.find((c) => c.product === slug)!;
    assert.deepEqual(
      coverage.slice(0, 3).map((c) => [c.product, c.covered, c.kmsDependence]),
      [
        ['windows-10-11', true, 'workgroup_only'],
        // The Server 2019 CSVLK's object lists Windows 7's ID, but Windows 7 cannot use ADBA.
        ['windows-7', false, 'all_clients_release'],
        // Only the forged-looking object enables Office: no coverage.
        ['office-2016', false, 'all_clients'],
      ],
    );
    assert.deepEqual(of('windows-10-11').objects, ['Windows Server 2019 CSVLK (lab)']);
    assert.deepEqual(of('windows-10-11').forgedObjects, ['ADBA']);
    assert.match(of('office-2016').note, /ADBA looks forged and is not counted/);
    assert.match(of('windows-10-11').note, /workgroup and off-domain machines still need KMS/);
  });

  it('ADBA never turns a KMS problem green', () => {
    const state = stateWith(ok([labObject(GENUINE_LOOKING_OBJECT)]));
    const lookup: SrvLookupResult = {
      domain: 'corp.example',
      resolver: '127.0.0.1:53',
      success: true,
      rcode: 'NXDOMAIN',
      ttl: null,
      durationSeconds: 0.01,
      serviceUnavailable: false,
      truncatedRecords: 0,
      records: [],
      error: null,
      transport: 'udp',
      failedResolvers: [],
    };
    state.applyDiscovery({ lookups: [lookup], targets: [], hostsCut: 0 });
    const e = evaluate(buildStatusView(state, products));
    const verdict = e.verdicts.find((v) => v.product === 'windows-10-11')!;
    assert.equal(verdict.status, 'critical', 'no KMS host: critical, whatever ADBA covers');
    assert.ok(e.problems.some((p) => p.code === 'srv_missing'));
    assert.equal(e.domainStatus.get('corp.example'), 'critical');
  });
});
