/**
 * dashboards/kms-monitor.json: valid JSON that Grafana can provision (uid, schemaVersion,
 * a Prometheus datasource variable every query uses, domain/host/product variables from
 * label_values, $__rate_interval in rate and increase), identical to what
 * dashboards/generate.ts builds, panels that do not overlap, and queries that only use
 * the README's metrics and the recording rules. That Prometheus accepts every query is
 * checked against a real Prometheus in prometheus-live.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDashboard, DASHBOARD_UID } from '../../dashboards/generate.js';
import {
  contractProblems,
  dashboardQueries,
  readText,
  readYaml,
  recordingRules,
  selectors,
} from './helpers.js';

interface Target {
  datasource: { type: string; uid: string };
  expr: string;
  refId: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
}
interface Variable {
  name: string;
  type: string;
  query: string | { query: string };
  definition?: string;
  datasource?: { type: string; uid: string };
  includeAll?: boolean;
  multi?: boolean;
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  id: null | number;
  panels: Panel[];
  templating: { list: Variable[] };
}

const text = readText('dashboards/kms-monitor.json');
const dashboard = JSON.parse(text) as Dashboard;
const DS = { type: 'prometheus', uid: '${datasource}' };

describe('Grafana dashboard', () => {
  test('the committed JSON is what dashboards/generate.ts builds', () => {
    assert.deepEqual(
      dashboard,
      JSON.parse(JSON.stringify(buildDashboard())),
      'run `npx tsx dashboards/generate.ts` and commit the result',
    );
  });

  test('is provisionable: uid, schemaVersion, no fixed id, a title', () => {
    assert.equal(dashboard.uid, DASHBOARD_UID);
    assert.match(dashboard.uid, /^[a-zA-Z0-9_-]{1,40}$/);
    assert.ok(dashboard.schemaVersion >= 36 && dashboard.schemaVersion <= 41);
    assert.equal(dashboard.id, null);
    assert.ok(dashboard.title.length > 0);
  });

  test('has the datasource variable and domain, host and product variables from label_values', () => {
    const vars = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    assert.deepEqual([...vars.keys()], ['datasource', 'domain', 'host', 'product']);
    const ds = vars.get('datasource')!;
    assert.equal(ds.type, 'datasource');
    assert.equal(ds.query, 'prometheus');
    const recorded = new Set(recordingRules().map((r) => r.record));
    for (const [name, label] of [
      ['domain', 'domain'],
      ['host', 'host'],
      ['product', 'product'],
    ] as const) {
      const v = vars.get(name)!;
      assert.equal(v.type, 'query');
      assert.deepEqual(v.datasource, DS);
      assert.ok(v.includeAll && v.multi, `${name}: multi-value with All`);
      const query = typeof v.query === 'string' ? v.query : v.query.query;
      const m = /^label_values\((\w+), (\w+)\)$/.exec(query);
      assert.ok(m, `${name}: ${query}`);
      assert.equal(m[2], label);
      assert.equal(v.definition, query);
      assert.deepEqual(contractProblems(`${m[1]}{${label}=""}`, recorded), [], name);
    }
  });

  test('every panel and query uses the datasource variable, every query has a unique refId', () => {
    for (const panel of dashboard.panels) {
      if (panel.type === 'row') continue;
      assert.deepEqual(panel.datasource, DS, panel.title);
      assert.ok(panel.targets && panel.targets.length > 0, `${panel.title} has queries`);
      assert.ok((panel.description ?? '').length > 40, `${panel.title} explains itself`);
      const refIds = panel.targets.map((t) => t.refId);
      assert.equal(new Set(refIds).size, refIds.length, panel.title);
      for (const t of panel.targets) assert.deepEqual(t.datasource, DS, panel.title);
    }
  });

  test('rate and increase use $__rate_interval; filters use the variables', () => {
    for (const { panel, expr } of dashboardQueries(dashboard)) {
      for (const m of expr.matchAll(/\b(rate|increase|irate|delta)\(([^[]+)\[([^\]]+)\]/g)) {
        assert.equal(m[3], '$__rate_interval', `${panel}: ${expr}`);
      }
      for (const m of expr.matchAll(/\b(domain|host|product)=~"([^"]*)"/g)) {
        assert.equal(m[2], `$${m[1]}`, `${panel}: ${expr}`);
      }
    }
  });

  test('queries use only README metrics (with their labels) and recorded series', () => {
    const recorded = new Set(recordingRules().map((r) => r.record));
    const used = new Set<string>();
    for (const { panel, expr } of dashboardQueries(dashboard)) {
      assert.deepEqual(contractProblems(expr, recorded), [], `${panel}: ${expr}`);
      for (const s of selectors(expr)) used.add(s.metric);
    }
    // The panels the issue asks for, by the series they read.
    for (const metric of [
      'kms:domain_product_activating_hosts:count',
      'kms:domain_product_working_hosts:count',
      'kms_host_active_clients',
      'kms:activation_threshold:max',
      'kms_srv_record_info',
      'kms_host_up',
      'kms_probe_success',
      'kms_probe_duration_seconds',
      'kms_probe_failures_total',
      'kms_host_info',
      'kms_host_key_install_timestamp_seconds',
    ]) {
      assert.ok(used.has(metric), `a panel reads ${metric}`);
    }
  });

  test('panels fit the 24-column grid without overlapping; ids are unique', () => {
    const ids = dashboard.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      const { x, y, w, h } = p.gridPos;
      assert.ok(x >= 0 && w > 0 && x + w <= 24 && h > 0, p.title);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          const key = `${i},${j}`;
          assert.ok(!cells.has(key), `${p.title} overlaps at ${key}`);
          cells.add(key);
        }
      }
    }
  });
});

describe('Grafana provisioning', () => {
  test('the datasource file provisions one default Prometheus datasource', () => {
    const file = readYaml<{
      apiVersion: number;
      datasources: Array<{ name: string; type: string; url: string; isDefault?: boolean }>;
    }>('deploy/grafana/provisioning/datasources/prometheus.yml');
    assert.equal(file.apiVersion, 1);
    assert.equal(file.datasources.length, 1);
    const [ds] = file.datasources;
    assert.equal(ds!.type, 'prometheus');
    assert.equal(ds!.isDefault, true);
    assert.match(ds!.url, /^http:\/\/[\w.-]+:\d+$/);
  });

  test('the dashboard provider reads a directory of JSON files', () => {
    const file = readYaml<{
      apiVersion: number;
      providers: Array<{ name: string; type: string; options: { path: string } }>;
    }>('deploy/grafana/provisioning/dashboards/kms-monitor.yml');
    assert.equal(file.apiVersion, 1);
    assert.equal(file.providers[0]!.type, 'file');
    assert.match(file.providers[0]!.options.path, /^\/[\w/.-]+$/);
  });
});
