/**
 * The Prometheus files of deploy/prometheus/: promtool accepts the scrape config and the
 * rules, every promtool unit test passes, every alert has a case where it fires and one
 * where it stays silent, every alert carries what the admin needs (severity, for,
 * summary, description, runbook), and every expression sticks to the README's metrics.
 * promtool comes from Debian's prometheus package (.ci/run installs it); missing = failure.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import {
  ALERTING_RULES,
  RECORDING_RULES,
  RUNBOOK_BASE,
  alertRules,
  contractProblems,
  readText,
  readYaml,
  recordingRules,
  repoPath,
  runTool,
  selectors,
} from './helpers.js';

const TESTS_DIR = 'deploy/prometheus/tests';
const testFiles = readdirSync(repoPath(TESTS_DIR))
  .filter((f) => f.endsWith('.yml'))
  .sort()
  .map((f) => `${TESTS_DIR}/${f}`);

describe('promtool', () => {
  test('check config: the example scrape config and the rule files it loads', async () => {
    const r = await runTool('promtool', ['check', 'config', 'deploy/prometheus/prometheus.yml']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SUCCESS: 2 rule files found/);
  });

  test('check rules: recording and alerting rules', async () => {
    const r = await runTool('promtool', ['check', 'rules', RECORDING_RULES, ALERTING_RULES]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /FAILED|WARNING/);
  });

  test('test rules: every unit test file passes', async () => {
    assert.ok(testFiles.length >= 5, `unit test files in ${TESTS_DIR}`);
    const r = await runTool('promtool', ['test', 'rules', ...testFiles], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal((r.stdout.match(/SUCCESS/g) ?? []).length, testFiles.length, r.stdout);
  });

  test('a broken expectation makes promtool fail (the unit tests can fail)', async () => {
    const { mkdtemp, writeFile, rm, copyFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'kms-promtool-'));
    try {
      await copyFile(repoPath(RECORDING_RULES), join(dir, 'recording-rules.yml'));
      await copyFile(repoPath(ALERTING_RULES), join(dir, 'alerting-rules.yml'));
      await writeFile(
        join(dir, 'wrong.yml'),
        [
          'rule_files: [recording-rules.yml, alerting-rules.yml]',
          'evaluation_interval: 1m',
          'tests:',
          '  - interval: 1m',
          '    input_series:',
          '      - series: \'kms_exporter_config_last_reload_successful{job="kms-monitor", instance="m:9688"}\'',
          "        values: '0x20'",
          '    alert_rule_test:',
          '      - eval_time: 10m',
          '        alertname: KmsMonitorConfigReloadFailed',
          '        exp_alerts: []',
          '',
        ].join('\n'),
      );
      const r = await runTool('promtool', ['test', 'rules', 'wrong.yml'], { cwd: dir });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout + r.stderr, /FAILED/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

interface AlertRuleTest {
  eval_time: string;
  alertname: string;
  exp_alerts?: unknown[];
}
interface UnitTestFile {
  rule_files: string[];
  tests: Array<{ name?: string; alert_rule_test?: AlertRuleTest[] }>;
}

describe('alerting rules', () => {
  const alerts = alertRules();
  const names = alerts.map((a) => a.alert);

  test('the alerts the issue asks for exist, with unique names', () => {
    assert.equal(new Set(names).size, names.length);
    for (const name of [
      'KmsSrvLookupFailing',
      'KmsSrvRecordMissing',
      'KmsPublishedHostDown',
      'KmsHostExchangeFailing',
      'KmsProductRefused',
      'KmsActivationCountBelowThreshold',
      'KmsActivationCountNearThreshold',
      'KmsNoWorkingHost',
      'KmsDomainSingleHost',
      'KmsSrvResolversDisagree',
      'KmsHostIdentityChanged',
      'KmsMonitorDown',
      'KmsMonitorNotPolling',
      'KmsMonitorConfigReloadFailed',
    ]) {
      assert.ok(names.includes(name), `alert ${name}`);
    }
  });

  test('every alert has severity, for, summary, description and its runbook', () => {
    const runbooks = readText('docs/alerts.md');
    for (const a of alerts) {
      assert.match(a.labels?.severity ?? '', /^(critical|warning|info)$/, `${a.alert} severity`);
      assert.match(a.for ?? '', /^\d+[smh]$/, `${a.alert} for`);
      const { summary = '', description = '', runbook_url: runbook = '' } = a.annotations ?? {};
      assert.ok(summary.length > 20, `${a.alert} summary`);
      assert.ok(
        description.length > 150,
        `${a.alert} description says what happens and what to do`,
      );
      assert.equal(runbook, `${RUNBOOK_BASE}#${a.alert.toLowerCase()}`, `${a.alert} runbook_url`);
      assert.match(
        runbooks,
        new RegExp(`^## ${a.alert}$`, 'm'),
        `docs/alerts.md has ## ${a.alert}`,
      );
    }
  });

  test("docs/alerts.md's overview table matches each alert's severity and for", () => {
    const rows = new Map<string, { severity: string; for: string }>();
    for (const m of readText('docs/alerts.md').matchAll(
      /^\| \[(\w+)\]\(#\w+\)\s*\| (\w+)\s*\| (\w+)\s*\|/gm,
    )) {
      rows.set(m[1]!, { severity: m[2]!, for: m[3]! });
    }
    assert.deepEqual([...rows.keys()], names);
    for (const a of alerts) {
      assert.deepEqual(rows.get(a.alert), { severity: a.labels?.severity, for: a.for }, a.alert);
    }
  });

  test('descriptions name what clients see and the commands that help', () => {
    const text = (name: string) => {
      const a = alerts.find((x) => x.alert === name);
      assert.ok(a, name);
      return `${a.annotations?.summary} ${a.annotations?.description}`;
    };
    assert.match(text('KmsSrvRecordMissing'), /nslookup -type=srv _vlmcs\._tcp\./);
    assert.match(text('KmsSrvRecordMissing'), /Get-DnsServerResourceRecord/);
    assert.match(text('KmsNoWorkingHost'), /0xC004F074/);
    assert.match(text('KmsProductRefused'), /0xC004F042/);
    assert.match(text('KmsProductRefused'), /slmgr \/ipk/);
    assert.match(text('KmsProductRefused'), /slmgr \/ato/);
    assert.match(text('KmsProductRefused'), /status page/);
    assert.match(text('KmsActivationCountBelowThreshold'), /0xC004F038/);
    assert.match(text('KmsActivationCountBelowThreshold'), /slmgr \/dlv/);
  });

  test('every alert has a promtool case where it fires and one where it stays silent', () => {
    const firing = new Set<string>();
    const silent = new Set<string>();
    for (const file of testFiles) {
      const unit = readYaml<UnitTestFile>(file);
      assert.deepEqual(unit.rule_files, ['../recording-rules.yml', '../alerting-rules.yml'], file);
      for (const group of unit.tests) {
        for (const t of group.alert_rule_test ?? []) {
          assert.ok(names.includes(t.alertname), `${file}: unknown alert ${t.alertname}`);
          ((t.exp_alerts ?? []).length > 0 ? firing : silent).add(t.alertname);
        }
      }
    }
    for (const name of names) {
      assert.ok(firing.has(name), `a test where ${name} fires`);
      assert.ok(silent.has(name), `a test where ${name} stays silent`);
    }
  });

  test('the monitor alerts match the job of the example scrape config', () => {
    const config = readYaml<{ scrape_configs: Array<{ job_name: string }> }>(
      'deploy/prometheus/prometheus.yml',
    );
    const jobs = config.scrape_configs.map((s) => s.job_name);
    for (const a of alerts) {
      for (const m of a.expr.matchAll(/job="([^"]+)"/g)) assert.ok(jobs.includes(m[1]!), a.alert);
    }
  });
});

describe('expressions and the metric contract', () => {
  const recorded = new Set(recordingRules().map((r) => r.record));

  test('the scanner finds metric names and matcher labels', () => {
    assert.deepEqual(
      selectors(
        'sum by (x) (rate(foo_total{a="b", c=~"$d"}[5m])) / on (x) group_left () bar unless baz offset 5m',
      ),
      [
        { metric: 'foo_total', labels: ['a', 'c'] },
        { metric: 'bar', labels: [] },
        { metric: 'baz', labels: [] },
      ],
    );
    assert.deepEqual(contractProblems('kms_host_up{domain="x"} or kms_nope', recorded), [
      'kms_host_up has no label domain',
      'unknown metric kms_nope',
    ]);
  });

  test('rules use only README metrics (with their labels) and recorded series', () => {
    for (const r of [...recordingRules(), ...alertRules()]) {
      const name = 'alert' in r ? r.alert : r.record;
      assert.deepEqual(contractProblems(r.expr, recorded), [], name);
    }
  });

  test('every kms:* series an alert reads is recorded, and recorded names follow level:metric:operation', () => {
    for (const r of recordingRules()) assert.match(r.record, /^kms:[a-z_]+:[a-z0-9_]+$/, r.record);
    for (const a of alertRules()) {
      for (const { metric } of selectors(a.expr)) {
        if (metric.includes(':')) assert.ok(recorded.has(metric), `${a.alert} reads ${metric}`);
      }
    }
  });
});
