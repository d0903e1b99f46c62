// The trust kind in the monitor core, on the fake clock: a host that answers the controls
// is a CRITICAL finding with its evidence; a genuine-behaving host raises none; the checks
// are in the state for the outputs to render.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/monitor/evaluate.js';
import { buildStatusView } from '../../src/monitor/status-view.js';
import { domainsOf, fakeMonitor, planOf, WINDOWS } from './fake-world.js';

const CORP = 'corp.example';

describe('trust kind', () => {
  it('an emulator answering the unknown-ID control is host_not_genuine (critical); a genuine host passes', async () => {
    const plan = planOf({ domains: domainsOf(CORP), products: [WINDOWS] });
    const m = fakeMonitor(plan);
    m.world.records.set(CORP, ['kms1.corp.example', 'rogue.corp.example']);
    m.world.emulators.add('rogue.corp.example');
    await m.poller.runRound();

    const genuine = m.state.hosts.get('kms1.corp.example:1688')?.trust;
    const rogue = m.state.hosts.get('rogue.corp.example:1688')?.trust;
    assert.equal(genuine?.verdict, 'pass', JSON.stringify(genuine?.checks));
    assert.equal(rogue?.verdict, 'failed');
    assert.deepEqual(
      rogue?.checks.filter((c) => c.verdict === 'failed').map((c) => c.check),
      ['control_unknown_id', 'control_retail'],
    );

    const evaluation = evaluate(buildStatusView(m.state, plan.products));
    const trust = evaluation.problems.filter((p) => p.code.startsWith('host_'));
    assert.deepEqual(
      trust.map((p) => [p.code, p.severity, p.host]),
      [['host_not_genuine', 'critical', 'rogue.corp.example:1688']],
    );
    assert.match(
      trust[0]!.message,
      /control_unknown_id: a KMS counted ID no host key covers was answered with count 50/,
    );
    assert.equal(evaluation.domainStatus.get(CORP), 'critical');
  });
});
