/**
 * dashboards/kms-monitor.json: valid JSON that Grafana can provision (uid, schemaVersion,
 * a Prometheus datasource variable every query uses, job/instance variables from
 * kms_exporter_build_info that every selector of every query applies, domain/product
 * variables of the chosen monitors, a host variable that follows the chosen domains, a
 * status page URL derived from the instance, $__rate_interval in rate and increase),
 * identical to what dashboards/generate.ts builds, panels that do not overlap, queries
 * that only use the README's metrics and the recording rules, and data links to routes
 * the status page serves. That Prometheus accepts every query, that each returns data
 * for one chosen monitor, what the host variable lists and that the links open real pages
 * is checked against a real Prometheus and kms-monitor in prometheus-live.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDashboard, DASHBOARD_UID, STATUS_LINK_TITLES } from '../../dashboards/generate.js';
import { anchorId } from '../../src/web/status-page/format.js';
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
interface Link {
  title: string;
  url: string;
  targetBlank?: boolean;
}
interface FieldConfig {
  defaults: { links?: Link[] };
  overrides: Array<{
    matcher: { id: string; options: string };
    properties: Array<{ id: string; value: unknown }>;
  }>;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  fieldConfig?: FieldConfig;
}
interface Variable {
  name: string;
  type: string;
  query: string | { query: string };
  definition?: string;
  datasource?: { type: string; uid: string };
  includeAll?: boolean;
  multi?: boolean;
  regex?: string;
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

  const vars = new Map(dashboard.templating.list.map((v) => [v.name, v]));
  const queryOf = (name: string) => {
    const v = vars.get(name);
    assert.ok(v, `variable ${name}`);
    return typeof v.query === 'string' ? v.query : v.query.query;
  };
  const recorded = new Set(recordingRules().map((r) => r.record));

  test('has the datasource, job, instance, domain, host, product and status_url variables', () => {
    assert.deepEqual(
      [...vars.keys()],
      ['datasource', 'job', 'instance', 'domain', 'host', 'product', 'status_url'],
    );
    const ds = vars.get('datasource')!;
    assert.equal(ds.type, 'datasource');
    assert.equal(ds.query, 'prometheus');
    for (const v of dashboard.templating.list.filter((x) => x.type === 'query')) {
      assert.deepEqual(v.datasource, DS, v.name);
      assert.equal(v.definition, queryOf(v.name), `${v.name}: definition is the query`);
    }
    // Multi-value with All, except the one URL the links use.
    for (const name of ['job', 'instance', 'domain', 'host', 'product']) {
      assert.ok(vars.get(name)!.includeAll && vars.get(name)!.multi, `${name}: multi with All`);
    }
    assert.ok(!vars.get('status_url')!.includeAll && !vars.get('status_url')!.multi);
  });

  test('job and instance come from kms_exporter_build_info; instance follows job', () => {
    assert.equal(queryOf('job'), 'label_values(kms_exporter_build_info, job)');
    assert.equal(
      queryOf('instance'),
      'label_values(kms_exporter_build_info{job=~"$job"}, instance)',
    );
  });

  test('domain and product list the values of the chosen monitors', () => {
    for (const [name, label] of [
      ['domain', 'domain'],
      ['product', 'product'],
    ] as const) {
      const m = /^label_values\((\w+)\{job=~"\$job", instance=~"\$instance"\}, (\w+)\)$/.exec(
        queryOf(name),
      );
      assert.ok(m, `${name}: ${queryOf(name)}`);
      assert.equal(m[2], label);
      assert.deepEqual(contractProblems(`${m[1]}{${label}=""}`, recorded), [], name);
    }
  });

  test('the host variable lists the hosts of the chosen domains, of the chosen monitors', () => {
    const q = queryOf('host');
    const m = /^query_result\((.+)\)$/.exec(q);
    assert.ok(m, q);
    const expr = m[1]!;
    assert.match(expr, /kms_srv_record_info\{[^}]*domain=~"\$domain"/, 'SRV targets of $domain');
    for (const s of selectors(expr)) {
      assert.ok(
        s.labels.includes('job') && s.labels.includes('instance'),
        `${s.metric}: $job/$instance`,
      );
    }
    assert.deepEqual(contractProblems(expr, recorded), []);
    // The regex picks the host label out of a query_result line.
    const regex = /^\/(.+)\/$/.exec(vars.get('host')!.regex ?? '');
    assert.ok(regex);
    assert.equal(
      new RegExp(regex[1]!).exec('{host="kms1.corp.example.com"} 1 1700000000000')?.[1],
      'kms1.corp.example.com',
    );
  });

  test('status_url is derived from the chosen instance', () => {
    const q = queryOf('status_url');
    const m = /^query_result\((.+)\)$/.exec(q);
    assert.ok(m, q);
    assert.match(m[1]!, /kms_exporter_build_info\{job=~"\$job", instance=~"\$instance"\}/);
    assert.match(m[1]!, /"status_url", "http:\/\/\$1", "instance", "\(\.\+\)"/);
    const regex = /^\/(.+)\/$/.exec(vars.get('status_url')!.regex ?? '');
    assert.ok(regex);
    assert.equal(
      new RegExp(regex[1]!).exec('{instance="m:9688", status_url="http://m:9688"} 1 1')?.[1],
      'http://m:9688',
    );
  });

  test('every selector of every panel query filters by $job and $instance', () => {
    let count = 0;
    for (const { panel, expr } of dashboardQueries(dashboard)) {
      const found = selectors(expr);
      assert.ok(found.length > 0, `${panel}: ${expr}`);
      for (const s of found) {
        count++;
        assert.ok(
          s.labels.includes('job') && s.labels.includes('instance'),
          `${panel}: ${s.metric} without job/instance in ${expr}`,
        );
      }
      // The values: the variables themselves; `|` (also no label) only for ALERTS, whose
      // per-domain alerts carry no instance.
      for (const m of expr.matchAll(/(\w+)\{([^}]*)\}/g)) {
        for (const k of m[2]!.matchAll(/\b(job|instance)=~"([^"]*)"/g)) {
          const allowed = m[1] === 'ALERTS' ? [`$${k[1]}|`] : [`$${k[1]}`];
          assert.ok(allowed.includes(k[2]!), `${panel}: ${k[0]} in ${expr}`);
        }
      }
    }
    assert.ok(count >= 30, `${count} selectors checked`);
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
      // The merged per-domain counts cannot be narrowed to one monitor.
      assert.doesNotMatch(
        expr,
        /kms:domain_product_\w+:count|kms:domain_hosts_published:count/,
        panel,
      );
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
      'kms_domain_product_working_hosts',
      'kms_host_active_clients',
      'kms_activation_threshold',
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

  test('host and domain cells link to routes the status page serves, at $status_url', () => {
    const routes = readText('src/web/status-page/routes.ts');
    // The routes the links rely on: the root page and the host page (wildcard).
    assert.match(routes, /app\.get[^(]*\(\s*'\/',/);
    assert.match(routes, /app\.get[^(]*\(\s*'\/host\/\*',/);
    // The root page's domain sections carry this id.
    assert.equal(anchorId('domain', 'corp.example.com'), 'domain-corp.example.com');
    const links = new Map<string, Link[]>();
    for (const p of dashboard.panels) {
      const all = [
        ...(p.fieldConfig?.defaults.links ?? []),
        ...(p.fieldConfig?.overrides ?? []).flatMap((o) =>
          o.properties.filter((x) => x.id === 'links').flatMap((x) => x.value as Link[]),
        ),
      ];
      if (all.length > 0) links.set(p.title, all);
    }
    const kinds = new Set<string>();
    for (const [panel, list] of links) {
      for (const l of list) {
        assert.ok(l.targetBlank, `${panel}: ${l.title} opens a new tab`);
        const m = /^\$\{status_url\}\/(.*)$/.exec(l.url);
        assert.ok(m, `${panel}: ${l.url} starts at \${status_url}/`);
        const rest = m[1]!;
        if (l.title === STATUS_LINK_TITLES.host) {
          assert.match(
            rest,
            /^host\/\$\{(__data\.fields|__field\.labels)\.host\}:\$\{\1\.port\}$/,
            `${panel}: ${l.url}`,
          );
          kinds.add('host');
        } else if (l.title === STATUS_LINK_TITLES.domain) {
          assert.match(
            rest,
            /^domain\/\$\{(__data\.fields\.domain|__field\.labels\.domain|__value\.raw)\}$/,
            `${panel}: ${l.url}`,
          );
          kinds.add('domain');
        } else {
          assert.equal(l.title, STATUS_LINK_TITLES.monitor);
          assert.equal(rest, '');
          kinds.add('monitor');
        }
      }
    }
    assert.deepEqual([...kinds].sort(), ['domain', 'host', 'monitor']);
    // Where an admin looks for them.
    for (const [panel, kind] of [
      ['Hosts able to activate, by domain and product', STATUS_LINK_TITLES.domain],
      ['Published KMS hosts (SRV records)', STATUS_LINK_TITLES.host],
      ['Published KMS hosts (SRV records)', STATUS_LINK_TITLES.domain],
      ['Hosts up / down (TCP)', STATUS_LINK_TITLES.host],
      ['KMS exchange by host and product', STATUS_LINK_TITLES.host],
      ['ePID, host build and host key', STATUS_LINK_TITLES.host],
      ['SRV lookup by resolver', STATUS_LINK_TITLES.domain],
    ] as const) {
      assert.ok(
        links.get(panel)?.some((l) => l.title === kind),
        `${panel}: ${kind}`,
      );
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
