/**
 * The memory sizing rule ("about F MiB + P KiB per KMS host, plus 100 MiB of headroom") is
 * stated in four places: docs/deployment.md ("Sizing: memory"), the README, and beside the
 * limit in the systemd unit and the Kubernetes Deployment. They drifted apart once (three
 * different rules at the same time), so this holds them to one rule, holds the rule to
 * the latest measurement (bench/results.json: never below it, at most a quarter above it,
 * room for a higher figure of an earlier run on a slower machine), and holds every "fits
 * about N hosts" and every row of the sizing table to the arithmetic of that rule and the
 * shipped limits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { readText } from './helpers.js';

const HEADROOM_MIB = 100;

interface Rule {
  fixedMib: number;
  perHostKib: number;
}

/** Every "F MiB + P KiB per [KMS] host" in a text (thousands separators allowed). */
function rulesIn(text: string): Rule[] {
  const flat = text.replace(/\s+/g, ' ');
  return [...flat.matchAll(/(\d+) MiB \+ (\d+) KiB per (?:KMS )?host/g)].map((m) => ({
    fixedMib: Number(m[1]),
    perHostKib: Number(m[2]),
  }));
}

const number = (s: string): number => Number(s.replace(/,/g, ''));

function hostsFitting(limitMib: number, rule: Rule): number {
  return ((limitMib - HEADROOM_MIB - rule.fixedMib) * 1024) / rule.perHostKib;
}

function figures(): Map<string, { value: number }> {
  const results = JSON.parse(readText('bench/results.json')) as {
    figures: { id: string; value: number }[];
  };
  return new Map(results.figures.map((f) => [f.id, f]));
}

const guide = readText('docs/deployment.md');
const [rule] = rulesIn(guide);

test('docs/deployment.md states one sizing rule', () => {
  assert.ok(rule, 'docs/deployment.md: no "F MiB + P KiB per host"');
  assert.deepEqual(rulesIn(guide), [rule]);
});

test('the README, the unit and the Deployment state the same rule', () => {
  for (const path of [
    'README.md',
    'deploy/systemd/kms-monitor.service',
    'deploy/kubernetes/deployment.yaml',
  ]) {
    const found = rulesIn(readText(path));
    assert.ok(found.length > 0, `${path}: no sizing rule`);
    for (const r of found) assert.deepEqual(r, rule, path);
  }
});

test('the rule covers the measured peak per host plus a full history, and the fixed part', () => {
  const f = figures();
  const peakPerHost = f.get('round.estate.peak-per-host')?.value;
  const history = f.get('history.memory')?.value;
  const peak = f.get('round.estate.peak-rss')?.value;
  assert.ok(peakPerHost && history && peak, 'bench/results.json lacks the estate or history rows');
  // history.memory is 1,000 hosts' full history in MiB: KiB per host is the same number.
  const measuredPerHost = peakPerHost + history * (1024 / 1000);
  // 6,000 hosts at 3,000 domains × 2 hosts: the peak less their share is the fixed part.
  const measuredFixed = peak - (6000 * peakPerHost) / 1024;
  // A few per cent below the measurement is rounding, not undersizing.
  const near = (stated: number, measured: number) =>
    stated >= measured * 0.95 && stated <= measured * 1.25;
  assert.ok(near(rule!.perHostKib, measuredPerHost), `per host ${measuredPerHost.toFixed(1)} KiB`);
  assert.ok(near(rule!.fixedMib, measuredFixed), `fixed part ${measuredFixed.toFixed(1)} MiB`);
});

test("the sizing table's rows follow the rule", () => {
  const rows = [...guide.matchAll(/^\| ([\d,]+)[^|]*\|\s+([\d,]+) MiB \|\s+([\d,]+) MiB \|$/gm)];
  assert.ok(rows.length >= 3, 'docs/deployment.md: the sizing table has no rows');
  for (const [line, hosts, peak, limit] of rows) {
    const expected = rule!.fixedMib + (number(hosts!) * rule!.perHostKib) / 1024;
    assert.ok(Math.abs(number(peak!) - expected) <= 2, `${line}: peak ≈ ${expected.toFixed(0)}`);
    assert.ok(number(limit!) >= number(peak!) + HEADROOM_MIB, `${line}: limit below the headroom`);
  }
});

test('"fits about N hosts" is what the shipped limits hold under the rule', () => {
  const unit = readText('deploy/systemd/kms-monitor.service');
  const memoryMax = /^MemoryMax=(\d+)M$/m.exec(unit);
  assert.ok(memoryMax, 'the unit sets MemoryMax in M');
  const deployment = YAML.parse(readText('deploy/kubernetes/deployment.yaml')) as {
    spec: { template: { spec: { containers: { resources: { limits: { memory: string } } }[] } } };
  };
  const podLimit = /^(\d+)Mi$/.exec(
    deployment.spec.template.spec.containers[0]!.resources.limits.memory,
  );
  assert.ok(podLimit, 'the Deployment limits memory in Mi');

  const limits = [
    {
      mib: Number(memoryMax[1]),
      spelled: `${memoryMax[1]}M`,
      path: 'kms-monitor.service',
      text: unit,
    },
    {
      mib: Number(podLimit[1]),
      spelled: `${podLimit[1]}Mi`,
      path: 'deployment.yaml',
      text: readText('deploy/kubernetes/deployment.yaml'),
    },
  ];
  const roughly = (stated: number, exact: number) => Math.abs(stated - exact) <= exact * 0.05;
  const stated = (text: string, pattern: RegExp, where: string): number => {
    const m = pattern.exec(text.replace(/\s+#?\s*/g, ' '));
    assert.ok(m, `${where}: no "fits about N hosts" for the limit`);
    return number(m[1]!);
  };
  for (const { mib, spelled, path, text } of limits) {
    const exact = hostsFitting(mib, rule!);
    const inComment = stated(text, new RegExp(`${spelled} fits about ([\\d,]+) hosts`), path);
    assert.ok(
      roughly(inComment, exact),
      `${path}: ${inComment} hosts, the rule gives ${exact.toFixed(0)}`,
    );
    const inGuide = stated(
      guide,
      new RegExp(`about ([\\d,]+) hosts \\([^)]*${spelled}`),
      'deployment.md',
    );
    assert.ok(
      roughly(inGuide, exact),
      `deployment.md: ${inGuide} hosts at ${spelled}, the rule gives ${exact.toFixed(0)}`,
    );
  }
  const range = /the shipped limits fit ([\d,]+) to ([\d,]+) hosts/.exec(
    readText('README.md').replace(/\s+/g, ' '),
  );
  assert.ok(range, 'README: no "the shipped limits fit N to M hosts"');
  const fits = limits.map((l) => hostsFitting(l.mib, rule!)).sort((a, b) => a - b);
  assert.ok(roughly(number(range[1]!), fits[0]!) && roughly(number(range[2]!), fits[1]!), range[0]);
});
