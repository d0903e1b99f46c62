// Authorization (docs/trust.md): allowed_hosts and pinned identities, from the YAML through
// the plan and a real poller round (fake probers) to the one evaluation and its outputs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import { planFromConfig } from '../../src/monitor/plan-from-config.js';
import { evaluate } from '../../src/monitor/evaluate.js';
import { describeFinding } from '../../src/monitor/findings.js';
import { buildStatusView } from '../../src/monitor/status-view.js';
import type { MonitorPlan } from '../../src/monitor/plan.js';
import { fakeMonitor, planOf } from './fake-world.js';
import { configErrorOf } from '../config/config-error.js';

const CORP = 'corp.example';
/** The fake world's ePID for its first host (127.0.0.1): a Server 2022 key on build 20348. */
const KMS1_EPID = '03612-04573-001-000001-03-1033-20348.0000-0012025';
const OTHER_EPID = '03612-04573-009-000001-03-1033-20348.0000-0012025';
const OFFICE_EPID = '03612-00206-580-300001-03-1033-20348.0000-0452024';

async function planFromYaml(yaml: string): Promise<MonitorPlan> {
  const plan = await planFromConfig(parseConfig(yaml, 'kms.yml'), () =>
    Promise.resolve({ nameservers: [], search: [] }),
  );
  return planOf({ domains: plan.domains });
}

async function findingsOf(plan: MonitorPlan, published: string[]) {
  const m = fakeMonitor(plan);
  m.world.records.set(CORP, published);
  await m.poller.runRound();
  const evaluation = evaluate(buildStatusView(m.state, plan.products));
  return evaluation.problems.filter((p) => p.code.startsWith('host_'));
}

const yaml = (domain: string) => `resolvers: [127.0.0.53]\ndomains:\n  - name: ${CORP}\n${domain}`;

describe('allowed_hosts', () => {
  it('a published host that is not allowed is host_not_allowed (warning) with its name and address', async () => {
    const plan = await planFromYaml(yaml('    allowed_hosts: [KMS1.Corp.Example.]\n'));
    const found = await findingsOf(plan, ['kms1.corp.example', 'rogue.corp.example']);
    assert.deepEqual(
      found.map((f) => [f.code, f.severity, f.domain, f.host]),
      [['host_not_allowed', 'warning', CORP, 'rogue.corp.example:1688']],
    );
    assert.equal(
      found[0]!.message,
      'rogue.corp.example:1688 is published in corp.example but neither its name nor its address 127.0.0.2 is in allowed_hosts: a KMS host nobody planned answers its clients',
    );
    assert.match(describeFinding(found[0]!).fix, /typed a KMS host key/);
  });

  it('an address entry allows every name pointing at it; every address must be listed', async () => {
    // The fake world gives kms1 127.0.0.1 and rogue 127.0.0.2.
    const byAddress = await planFromYaml(
      yaml('    allowed_hosts: [127.0.0.2, kms1.corp.example]\n'),
    );
    assert.deepEqual(await findingsOf(byAddress, ['kms1.corp.example', 'rogue.corp.example']), []);
  });

  it('without allowed_hosts any host may be published (no finding, as before)', async () => {
    const plan = await planFromYaml('');
    assert.deepEqual(await findingsOf(plan, ['kms1.corp.example', 'rogue.corp.example']), []);
  });
});

describe('pinned_hosts', () => {
  it('the pinned ePID answered: no finding; another: host_identity_changed naming pinned and seen', async () => {
    const pinned = (epid: string) =>
      planFromYaml(
        yaml(`    pinned_hosts:\n      kms1.corp.example:\n        expected_epids: ["${epid}"]\n`),
      );
    assert.deepEqual(await findingsOf(await pinned(KMS1_EPID), ['kms1.corp.example']), []);
    const found = await findingsOf(await pinned(OTHER_EPID), ['kms1.corp.example']);
    assert.deepEqual(
      found.map((f) => [f.code, f.severity, f.host]),
      [['host_identity_changed', 'warning', 'kms1.corp.example:1688']],
    );
    assert.equal(
      found[0]!.message,
      `kms1.corp.example:1688 in corp.example answers with ePID ${KMS1_EPID} (windows) where ${OTHER_EPID} is pinned: another machine or a reinstalled host key answers under this name`,
    );
  });

  it('an ePID is compared with the pins of its own application only', async () => {
    // Only an Office key is pinned: the Windows answer has no pin to differ from.
    const plan = await planFromYaml(
      yaml(
        `    pinned_hosts:\n      kms1.corp.example:\n        expected_epids: ["${OFFICE_EPID}"]\n`,
      ),
    );
    assert.deepEqual(await findingsOf(plan, ['kms1.corp.example']), []);
  });

  it('a pinned hardware ID that differs is named, pinned by address too', async () => {
    const plan = planOf({
      domains: [
        {
          domain: CORP,
          resolvers: [],
          expectedHosts: [],
          authorization: {
            allowedHosts: null,
            pins: { '127.0.0.1': { epids: [], hwids: ['1AB0C0FFEE000001'] } },
          },
        },
      ],
    });
    const found = await findingsOf(plan, ['kms1.corp.example']);
    assert.equal(found.length, 1);
    assert.equal(
      found[0]!.message,
      'kms1.corp.example:1688 in corp.example answers with hardware ID HW-kms1.corp.example where 1AB0C0FFEE000001 is pinned: another machine or a reinstalled host key answers under this name',
    );
  });
});

describe('configuration errors', () => {
  const cases: [string, string, RegExp][] = [
    ['    allowed_hosts: []\n', 'domains[0].allowed_hosts', /must list at least one host/],
    [
      '    allowed_hosts: [kms1.corp.example, "bad host"]\n',
      'domains[0].allowed_hosts[1]',
      /invalid host name or address "bad host": contains a space/,
    ],
    [
      '    allowed_hosts: [10.0.0.1, kms1.corp.example, 10.0.0.1]\n',
      'domains[0].allowed_hosts[2]',
      /duplicate allowed host "10\.0\.0\.1"/,
    ],
    [
      '    pinned_hosts:\n      kms1.corp.example:\n        expected_epids: [not-an-epid]\n',
      'domains[0].pinned_hosts.kms1.corp.example.expected_epids[0]',
      /not an ePID/,
    ],
    [
      '    pinned_hosts:\n      kms1.corp.example:\n        expected_hwids: [3A1C0496]\n',
      'domains[0].pinned_hosts.kms1.corp.example.expected_hwids[0]',
      /not a hardware ID \(16 hex digits\): "3A1C0496"/,
    ],
    [
      '    pinned_hosts:\n      kms1.corp.example: {}\n',
      'domains[0].pinned_hosts.kms1.corp.example',
      /pins nothing/,
    ],
    [
      '    pinned_hosts:\n      kms1.corp.example:\n        expected_epid: []\n',
      'domains[0].pinned_hosts.kms1.corp.example.expected_epid',
      /unknown key/,
    ],
    [
      `    pinned_hosts:\n      kms1.corp.example: {expected_hwids: [3A1C049600B60076]}\n      KMS1.corp.example.: {expected_hwids: [3A1C049600B60076]}\n`,
      'domains[0].pinned_hosts.KMS1.corp.example.',
      /duplicate pinned host "kms1\.corp\.example"/,
    ],
    [
      `    allowed_hosts: [kms2.corp.example]\n    pinned_hosts:\n      kms1.corp.example: {expected_hwids: [3A1C049600B60076]}\n`,
      'domains[0].pinned_hosts.kms1.corp.example',
      /"kms1\.corp\.example" is pinned but not in allowed_hosts/,
    ],
  ];
  for (const [domain, keyPath, message] of cases) {
    it(`${keyPath}: ${message.source}`, () => {
      const err = configErrorOf(yaml(domain));
      assert.equal(err.keyPath, keyPath);
      assert.match(err.message, message);
      assert.match(err.message, /^kms\.yml:\d+:\d+: /);
    });
  }

  it('values come out canonical: names lower case, IPv6 compressed, HWIDs upper case', () => {
    const config = parseConfig(
      yaml(
        '    allowed_hosts: ["[2001:DB8:0::1]", KMS1.Corp.Example.]\n    pinned_hosts:\n      KMS1.Corp.Example:\n        expected_hwids: ["3a 1c 04 96 00 b6 00 76"]\n',
      ),
    );
    assert.deepEqual(config.domains[0], {
      name: CORP,
      allowed_hosts: ['2001:db8::1', 'kms1.corp.example'],
      pinned_hosts: {
        'kms1.corp.example': { expected_epids: [], expected_hwids: ['3A1C049600B60076'] },
      },
    });
  });
});
