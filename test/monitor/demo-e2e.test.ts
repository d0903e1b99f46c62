import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PRODUCTS } from '../../src/lab/demo-scenarios.js';
import {
  EXPECTED_DEMO_SCENARIOS,
  expectedProbe,
  type ExpectedDemoScenario,
} from '../helpers/demo-expectations.js';
import type { Problem } from '../../src/monitor/evaluate.js';
import { FINDINGS } from '../../src/monitor/findings.js';
import { runCli, startServer } from '../helpers/cli.js';
import { eventually, parseMetrics, select, valueOf, type Sample } from '../helpers/metrics.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';

function checkScenarioMetrics(m: Sample[], scenario: ExpectedDemoScenario): void {
  const { domain } = scenario;
  for (const [resolverIndex, key] of (['a', 'b'] as const).entries()) {
    const lookups = select(m, 'kms_srv_lookup_success', { domain });
    assert.equal(lookups.length, 2, `${domain}: one lookup per resolver`);
    assert.equal(lookups[resolverIndex]?.value, 1, `${domain}: the resolvers answer`);
    const records = select(m, 'kms_srv_records', { domain })
      .map((s) => s.value)
      .sort();
    assert.ok(records.includes(scenario.expectedRecords[key]), `${domain} records ${records}`);
  }
  assert.equal(
    valueOf(m, 'kms_srv_resolvers_disagree', { domain }),
    scenario.key === 'split' ? 1 : 0,
    `${domain}: resolvers disagree`,
  );
  for (const spec of scenario.hosts) {
    const at = { host: spec.name };
    assert.equal(valueOf(m, 'kms_host_up', at), spec.down ? 0 : 1, `${spec.name} up`);
    for (const product of DEMO_PRODUCTS) {
      const expected = expectedProbe(spec, product);
      const where = `${spec.name} ${product}`;
      assert.equal(
        valueOf(m, 'kms_probe_success', { ...at, product }),
        expected.success ? 1 : 0,
        where,
      );
      if (expected.success) {
        const count = valueOf(m, 'kms_host_active_clients', { ...at, product });
        assert.ok(
          count >= expected.activeClients.min && count <= expected.activeClients.max,
          `${where}: count ${count} outside ${JSON.stringify(expected.activeClients)}`,
        );
        assert.equal(valueOf(m, 'kms_activation_threshold', { product }), expected.threshold);
        assert.equal(select(m, 'kms_host_info', { ...at, product }).length, 1, `${where} info`);
      } else {
        const failures = select(m, 'kms_probe_failures_total', {
          ...at,
          product,
          reason: expected.reason,
        });
        assert.ok(
          (failures[0]?.value ?? 0) >= 1,
          `${where}: failure counted as ${expected.reason}`,
        );
      }
    }
  }
}

function checkScenarioProblems(problems: Problem[], scenario: ExpectedDemoScenario): void {
  const hostNames = new Set(scenario.hosts.map((h) => h.name));
  const mine = problems.filter(
    (p) => p.domain === scenario.domain || (p.host && hostNames.has(p.host.replace(/:\d+$/, ''))),
  );
  if (scenario.expectedStatus === 'ok') {
    assert.deepEqual(mine, [], `${scenario.domain} has no problems`);
    return;
  }
  for (const expected of scenario.expectedProblems) {
    const found = mine.find(
      (p) =>
        p.severity === expected.severity &&
        // A kind that is a finding code must be that finding.
        (!(expected.kind in FINDINGS) || p.code === expected.kind) &&
        (expected.host === undefined || p.host?.startsWith(`${expected.host}:`)) &&
        (expected.product === undefined || p.product === expected.product),
    );
    assert.ok(
      found,
      `${scenario.domain}: expected ${expected.severity} ${expected.kind}; got ${JSON.stringify(mine)}`,
    );
  }
  const worst = mine.some((p) => p.severity === 'critical') ? 'critical' : 'warning';
  assert.equal(worst, scenario.expectedStatus, `${scenario.domain} status`);
}

test('serve against the demo lab: every scenario in /metrics and in check --json', async () => {
  const configFile = join(mkdtempSync(join(tmpdir(), 'kms-demo-')), 'demo.yml');
  const demo = await startServer('demo', [`--write-config=${configFile}`]);
  try {
    await eventually(
      'the demo monitor is ready',
      async () => ((await fetch(`${demo.url}/-/ready`)).status === 200 ? true : undefined),
      90_000,
    );
    const text = await (await fetch(`${demo.url}/metrics`)).text();
    const lint = promtoolCheckMetrics(text);
    assert.ok(lint.ok, lint.output);
    const m = parseMetrics(text);
    for (const scenario of EXPECTED_DEMO_SCENARIOS) checkScenarioMetrics(m, scenario);

    const check = await runCli(['check', `--config.file=${configFile}`, '--json'], 120_000);
    const verdict = JSON.parse(check.stdout) as {
      status: string;
      exitCode: number;
      problems: Problem[];
    };
    assert.equal(verdict.status, 'critical');
    assert.equal(check.code, 2, 'CRITICAL exits 2');
    for (const scenario of EXPECTED_DEMO_SCENARIOS)
      checkScenarioProblems(verdict.problems, scenario);

    const human = await runCli(['check', `--config.file=${configFile}`], 120_000);
    assert.equal(human.code, 2);
    // Nagios plugin output: the status line, the long output, then ` | perfdata` lines.
    assert.match(human.stdout.split('\n')[0] ?? '', /^KMS CRITICAL - /);
    assert.match(human.stdout, / \| '[^'\n]+'=\d+;/);
  } finally {
    assert.equal(await demo.stop(), 0);
  }
});
