/**
 * The rules and the dashboard against a real Prometheus (Debian package) scraping a real
 * kms-monitor: a lab of DNS zones (two dnsmasq servers) and lab KMS hosts on 127.0.0.1,
 * one domain per scenario, `kms-monitor serve` polling them every second, and Prometheus
 * loading deploy/prometheus/*-rules.yml, scraping and evaluating every second.
 *
 * Shown here: Prometheus accepts every rule and every dashboard query; every rule
 * evaluates without error on real series (no many-to-many join failure); every dashboard
 * query returns data; the alerts each scenario should raise are pending or firing, and
 * the healthy domain raises none; the recording rules count what the lab publishes.
 * Everything listens on 127.0.0.1; every process started here is stopped in after().
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { startDemoAdba, type DemoAdba } from '../../src/lab/adba/demo-adba.js';
import {
  freePort,
  labProductConfigs,
  startLabKmsHost,
  type LabKmsHost,
} from '../../src/lab/index.js';
import { startDnsmasq, type Dnsmasq, type DnsmasqData } from '../fixtures/dns-dnsmasq.js';
import { startServer, type RunningServer } from '../helpers/cli.js';
import {
  alertRules,
  dashboardQueries,
  readText,
  recordingRules,
  regexValue,
  substituteVariables,
  type FilterVariable,
} from './helpers.js';
import {
  formatAlerts,
  hasAlert,
  startPrometheus,
  waitFor,
  type Prometheus,
} from './prometheus-server.js';

const PRODUCTS = ['lab-windows', 'lab-office'];

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  await new Promise((resolve) => socket.close(() => resolve(undefined)));
  return port;
}

describe(
  'rules and dashboard on a real Prometheus scraping kms-monitor',
  { timeout: 240_000 },
  () => {
    let dir = '';
    const hosts: LabKmsHost[] = [];
    const dns: Dnsmasq[] = [];
    let monitor: RunningServer | undefined;
    let prometheus: Prometheus | undefined;
    let configFile = '';
    let staticPort = 0;
    let identityHost: LabKmsHost | undefined;
    /** A lab ADBA forest on slapd, so the dashboard's ADBA row has data too. */
    let adba: DemoAdba | undefined;
    /** The monitor's scrape address: its `instance` label. */
    let target = '';

    const query = (expr: string) => prometheus!.query(expr);
    const alerts = () => prometheus!.alerts();
    const describeAlerts = async () =>
      `${formatAlerts(await alerts().catch(() => []))}\n--- prometheus log:\n${prometheus?.logs() ?? ''}`;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kms-deploy-live-'));
      const lab = async (settings: Parameters<typeof startLabKmsHost>[0]) => {
        // Each lab host is its own machine (its own hardware ID), as genuine hosts are: the
        // monitor counts machines, and hosts sharing one identity would count once.
        const hwid = `1AB0C0FFEE${String(hosts.length + 1).padStart(6, '0')}`;
        const host = await startLabKmsHost({ hwid, ...settings });
        hosts.push(host);
        return host;
      };
      // good.test: two healthy hosts, counts well above N (25 Windows, 5 Office).
      const good1 = await lab({ counts: { windows: 40, 'office-2013+': 20 } });
      const good2 = await lab({ counts: { windows: 40, 'office-2013+': 20 } });
      // single.test: one host without the Office host key and a Windows count below N.
      const single = await lab({ counts: { windows: 10 }, refuse: ['lab-office'] });
      // branch.test: a host near N for Windows, and a stale record on a closed port.
      identityHost = await lab({ counts: { windows: 26, 'office-2013+': 20 } });
      // faulty.test: answers that fail verification.
      const faulty = await lab({
        counts: { windows: 40, 'office-2013+': 20 },
        fault: 'unverifiable',
      });
      const stalePort = await freePort();
      staticPort = await freePort();
      const deadResolverPort = await freeUdpPort();

      const names: Record<string, number> = {
        'kms1.good.test': good1.port,
        'kms2.good.test': good2.port,
        'kms.single.test': single.port,
        'kms1.branch.test': identityHost.port,
        'kms2.branch.test': stalePort,
        'kms.faulty.test': faulty.port,
      };
      const zones = [
        'good.test',
        'single.test',
        'branch.test',
        'faulty.test',
        'empty.test',
        'split.test',
      ];
      const srv = (domain: string, target: string, priority = 0, weight = 0) => ({
        name: `_vlmcs._tcp.${domain}`,
        target,
        port: names[target]!,
        priority,
        weight,
      });
      const common: DnsmasqData = {
        hosts: Object.keys(names).map((name) => ({ name, addresses: ['127.0.0.1'] })),
        localDomains: zones,
        ttl: 60,
      };
      dns.push(
        await startDnsmasq({
          ...common,
          srv: [
            srv('good.test', 'kms1.good.test', 0, 100),
            srv('good.test', 'kms2.good.test', 0, 50),
            srv('single.test', 'kms.single.test'),
            srv('branch.test', 'kms1.branch.test', 0),
            srv('branch.test', 'kms2.branch.test', 10),
            srv('faulty.test', 'kms.faulty.test'),
            srv('split.test', 'kms1.good.test'),
          ],
        }),
      );
      // The second DNS server of split.test publishes another host: resolvers disagree.
      dns.push(await startDnsmasq({ ...common, srv: [srv('split.test', 'kms2.good.test')] }));
      const [dns1, dns2] = dns.map((d) => `127.0.0.1:${d.port}`);
      adba = await startDemoAdba();
      if (!adba.enabled) throw new Error(`the ADBA row needs a lab forest: ${adba.why}`);

      const config = {
        interval: '1s',
        kms_interval: '1s',
        timeout: '1s',
        concurrency: 16,
        domains: [
          { name: 'good.test', resolvers: [dns1] },
          { name: 'single.test', resolvers: [dns1] },
          { name: 'branch.test', resolvers: [dns1], expected_hosts: ['kms3.branch.test'] },
          { name: 'faulty.test', resolvers: [dns1] },
          { name: 'empty.test', resolvers: [dns1] },
          { name: 'split.test', resolvers: [dns1, dns2] },
          { name: 'broken.test', resolvers: [`127.0.0.1:${deadResolverPort}`] },
        ],
        hosts: [`127.0.0.1:${staticPort}`],
        adba: [adba.forest],
        adba_interval: '10s',
        products: labProductConfigs().filter((p) => PRODUCTS.includes(p.slug)),
        identity: {
          cmid: '0d2d5c0e-6a57-4f0e-9e55-5b1d8e9a7c01',
          workstation: 'kms-monitor.deploy-test',
        },
      };
      configFile = join(dir, 'kms-monitor.yml');
      await writeFile(configFile, YAML.stringify(config));
      monitor = await startServer('serve', [`--config.file=${configFile}`]);
      target = new URL(monitor.url).host;

      prometheus = await startPrometheus(dir, target);
      // Scraped, and the KMS exchange has produced results.
      await waitFor(
        'the first scrape with KMS results',
        async () =>
          (await query('kms_probe_success')).data.result.length >= 12 ? true : undefined,
        60_000,
        () => prometheus!.logs() + monitor!.logs(),
      );
    });

    after(async () => {
      await prometheus?.stop();
      await monitor?.stop();
      for (const d of dns) await d.stop();
      for (const h of hosts) await h.close();
      if (adba?.enabled) await adba.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    test('Prometheus accepts every rule expression and every dashboard query', async () => {
      const exprs = [
        ...recordingRules().map((r) => ({ what: r.record, expr: r.expr })),
        ...alertRules().map((r) => ({ what: r.alert, expr: r.expr })),
        ...dashboardQueries(JSON.parse(readText('dashboards/kms-monitor.json'))).map((q) => ({
          what: `panel ${q.panel}`,
          expr: substituteVariables(q.expr),
        })),
      ];
      for (const { what, expr } of exprs) {
        const answer = await query(expr);
        assert.equal(answer.status, 'success', `${what}: ${answer.error ?? ''}\n${expr}`);
      }
      // And a wrong one is refused, so the check can fail.
      assert.equal((await query('sum by (host) (kms_host_up')).status, 'error');
    });

    test('every rule evaluates without error on the real series', async () => {
      const rules = await waitFor('every rule evaluated', async () => {
        const all = await prometheus!.rules();
        return all.length > 0 && all.every((r) => r.health !== 'unknown') ? all : undefined;
      });
      assert.equal(rules.length, recordingRules().length + alertRules().length);
      for (const rule of rules) assert.equal(rule.health, 'ok', `${rule.name}: ${rule.lastError}`);
    });

    test('every dashboard query returns data for the lab, with its monitor chosen', async () => {
      const queries = dashboardQueries(JSON.parse(readText('dashboards/kms-monitor.json')));
      // One job and one instance chosen, as Grafana would put them in: a series without
      // job/instance (a merged recording) would come back empty here.
      const chosen = { job: regexValue('kms-monitor'), instance: regexValue(target) };
      let missing: string[] = [];
      const empty = await waitFor(
        'data for every panel',
        async () => {
          missing = [];
          for (const q of queries) {
            const answer = await query(substituteVariables(q.expr, '1m', chosen));
            if (answer.status !== 'success' || answer.data.result.length === 0)
              missing.push(`${q.panel}: ${q.expr}`);
          }
          return missing.length === 0 ? missing : undefined;
        },
        60_000,
        () => `no data:\n${missing.join('\n')}`,
      );
      assert.deepEqual(empty, []);
    });

    test('the dashboard variables list what the lab has, and its links open real pages', async () => {
      const dashboard = JSON.parse(readText('dashboards/kms-monitor.json')) as {
        templating: { list: Array<{ name: string; query: string; regex?: string }> };
        panels: Array<{
          title: string;
          targets?: Array<{ expr: string }>;
          fieldConfig?: {
            overrides: Array<{
              matcher: { options: string };
              properties: Array<{ id: string; value: unknown }>;
            }>;
          };
        }>;
      };
      const variable = (name: string) => dashboard.templating.list.find((v) => v.name === name)!;
      /** What a variable offers: label_values as a `group by`, query_result through its regex. */
      const options = async (name: string, values: Partial<Record<FilterVariable, string>>) => {
        const v = variable(name);
        const lv = /^label_values\((.+), (\w+)\)$/.exec(v.query);
        const qr = /^query_result\((.+)\)$/.exec(v.query);
        const expr = lv ? `group by (${lv[2]}) (${lv[1]})` : qr![1]!;
        const answer = await query(substituteVariables(expr, '1m', values));
        assert.equal(answer.status, 'success', `${name}: ${answer.error}`);
        const lines = answer.data.result.map(
          (r) =>
            `{${Object.entries(r.metric)
              .map(([k, x]) => `${k}="${x}"`)
              .join(', ')}}`,
        );
        const pick = lv
          ? (l: string) => new RegExp(`${lv[2]}="([^"]*)"`).exec(l)?.[1]
          : (l: string) => new RegExp(/^\/(.+)\/$/.exec(v.regex!)![1]!).exec(l)?.[1];
        return [...new Set(lines.map(pick).filter((x): x is string => x !== undefined))].sort();
      };
      const job = regexValue('kms-monitor');
      const instance = regexValue(target);
      assert.deepEqual(await options('job', {}), ['kms-monitor']);
      assert.deepEqual(await options('instance', { job }), [target]);
      assert.deepEqual(await options('instance', { job: 'no-such-job' }), []);
      const domains = await options('domain', { job, instance });
      assert.ok(domains.includes('good.test') && domains.includes('broken.test'), domains.join());
      assert.deepEqual(await options('product', { job, instance }), [...PRODUCTS].sort());
      // The host list follows the chosen domains; static hosts only with every domain.
      assert.deepEqual(await options('host', { job, instance, domain: regexValue('good.test') }), [
        'kms1.good.test',
        'kms2.good.test',
      ]);
      assert.deepEqual(
        await options('host', { job, instance, domain: '(good\\\\.test|single\\\\.test)' }),
        ['kms.single.test', 'kms1.good.test', 'kms2.good.test'],
      );
      const all = await options('host', { job, instance });
      assert.ok(all.includes('127.0.0.1'), `the static host with every domain: ${all.join()}`);
      assert.ok(all.includes('kms2.branch.test'), all.join());
      // The status page URL, from the instance: the monitor's own address.
      const [statusUrl] = await options('status_url', { job, instance });
      assert.equal(statusUrl, monitor!.url);

      // A host link as Grafana would fill it from a row of the published-hosts table.
      const panel = dashboard.panels.find((p) => p.title === 'Published KMS hosts (SRV records)')!;
      const linkOf = (column: string) =>
        (
          panel
            .fieldConfig!.overrides.find((o) => o.matcher.options === column)!
            .properties.find((x) => x.id === 'links')!.value as Array<{ url: string }>
        )[0]!.url;
      const rows = await query(
        substituteVariables(panel.targets![0]!.expr, '1m', {
          job,
          instance,
          domain: regexValue('good.test'),
        }),
      );
      assert.ok(rows.data.result.length > 0);
      const row = rows.data.result[0]!.metric;
      const fill = (url: string) =>
        url
          .replace('${status_url}', statusUrl!)
          .replace(/\$\{__data\.fields\.(\w+)\}/g, (_, f: string) => row[f] ?? `<no ${f}>`);
      const hostPage = await fetch(fill(linkOf('host')));
      const hostHtml = await hostPage.text();
      assert.equal(hostPage.status, 200, fill(linkOf('host')));
      assert.ok(hostHtml.includes(row.host!), 'the host page names the host');
      // The domain link opens the domain's own page.
      const domainUrl = new URL(fill(linkOf('domain')));
      assert.equal(domainUrl.pathname, '/domain/good.test');
      const domainPage = await fetch(domainUrl);
      assert.equal(domainPage.status, 200);
      assert.ok((await domainPage.text()).includes('id="domain-good.test"'), 'the section exists');
    });

    test('the recording rule counts working hosts for every configured domain and product', async () => {
      const value = async (expr: string) => {
        const answer = await query(expr);
        return answer.data.result
          .map((s) => `${s.metric.domain}/${s.metric.product}=${s.value[1]}`)
          .sort();
      };
      // The monitor's verdict: reachable, answered and counting at least N. Every configured
      // domain is there, also without records (empty) or answering resolvers (broken).
      const expectWorking = [
        'branch.test/lab-office=1',
        'branch.test/lab-windows=1',
        'broken.test/lab-office=0',
        'broken.test/lab-windows=0',
        'empty.test/lab-office=0',
        'empty.test/lab-windows=0',
        'faulty.test/lab-office=0',
        'faulty.test/lab-windows=0',
        'good.test/lab-office=2',
        'good.test/lab-windows=2',
        'single.test/lab-office=0',
        // Its only host counts 10 of 25: clients get 0xC004F038, the domain cannot activate.
        'single.test/lab-windows=0',
        // kms1.good.test from the first DNS server, kms2.good.test from the second.
        'split.test/lab-office=2',
        'split.test/lab-windows=2',
      ];
      let seen: string[] = [];
      await waitFor(
        'working hosts',
        async () => {
          seen = await value('kms:domain_product_working_hosts:count');
          return JSON.stringify(seen) === JSON.stringify(expectWorking) ? true : undefined;
        },
        60_000,
        () => `expected ${expectWorking.join(' ')}\ngot ${seen.join(' ')}`,
      );
      const published = await query('kms:domain_hosts_published:count');
      assert.deepEqual(
        published.data.result.map((s) => `${s.metric.domain}=${s.value[1]}`).sort(),
        [
          'branch.test=2',
          'empty.test=0',
          'faulty.test=1',
          'good.test=2',
          'single.test=1',
          'split.test=2',
        ],
      );
    });

    test('each scenario raises its alerts and the healthy domain raises none', async () => {
      const expected: Array<[string, Record<string, string>]> = [
        ['KmsSrvLookupFailing', { domain: 'broken.test' }],
        ['KmsSrvRecordMissing', { domain: 'empty.test' }],
        ['KmsSrvResolversDisagree', { domain: 'split.test' }],
        ['KmsExpectedHostMissing', { domain: 'branch.test', host: 'kms3.branch.test' }],
        ['KmsPublishedHostDown', { domain: 'branch.test', host: 'kms2.branch.test' }],
        ['KmsStaticHostDown', { host: '127.0.0.1', port: String(staticPort) }],
        ['KmsHostExchangeFailing', { host: 'kms.faulty.test', product: 'lab-windows' }],
        ['KmsHostExchangeFailing', { host: 'kms.faulty.test', product: 'lab-office' }],
        ['KmsProductRefused', { host: 'kms.single.test', product: 'lab-office' }],
        ['KmsNoWorkingHost', { domain: 'single.test', product: 'lab-office' }],
        // Its only host answers but counts below N: every client gets 0xC004F038.
        ['KmsNoWorkingHost', { domain: 'single.test', product: 'lab-windows' }],
        ['KmsNoWorkingHost', { domain: 'empty.test', product: 'lab-windows' }],
        ['KmsNoWorkingHost', { domain: 'faulty.test', product: 'lab-windows' }],
        ['KmsNoWorkingHost', { domain: 'faulty.test', product: 'lab-office' }],
        ['KmsDomainSingleHost', { domain: 'single.test' }],
        ['KmsDomainSingleHost', { domain: 'faulty.test' }],
        ['KmsActivationCountBelowThreshold', { host: 'kms.single.test', product: 'lab-windows' }],
        ['KmsActivationCountNearThreshold', { host: 'kms1.branch.test', product: 'lab-windows' }],
      ];
      const all = await waitFor(
        'the expected alerts',
        async () => {
          const current = await alerts();
          return expected.every(([name, labels]) => hasAlert(current, name, labels))
            ? current
            : undefined;
        },
        60_000,
        () => `expected:\n${expected.map((e) => JSON.stringify(e)).join('\n')}`,
      ).catch(async (err: Error) => {
        throw new Error(`${err.message}\ncurrent alerts:\n${await describeAlerts()}`);
      });
      // Nothing about the healthy domain or its hosts.
      const goodHosts = ['kms1.good.test', 'kms2.good.test'];
      const noise = all.filter(
        (a) =>
          a.metric.domain === 'good.test' ||
          (goodHosts.includes(a.metric.host ?? '') &&
            a.metric.alertname !== 'KmsSrvResolversDisagree'),
      );
      assert.deepEqual(noise, [], 'the healthy domain raises no alert');
      // Nothing that does not apply: the refusal is not an exchange failure, the monitor is fine.
      for (const [name, labels] of [
        ['KmsHostExchangeFailing', { host: 'kms.single.test' }],
        ['KmsNoWorkingHost', { domain: 'split.test' }],
        ['KmsNoWorkingHost', { domain: 'good.test' }],
        ['KmsDomainSingleHost', { domain: 'branch.test' }],
        ['KmsActivationCountNearThreshold', { host: 'kms.single.test' }],
        ['KmsMonitorDown', {}],
        ['KmsMonitorNotPolling', {}],
        ['KmsMonitorConfigReloadFailed', {}],
        ['KmsMonitorLimitsReached', {}],
        ['KmsHostIdentityChanged', {}],
      ] as const) {
        assert.ok(
          !hasAlert(all, name, labels),
          `${name} ${JSON.stringify(labels)} should not fire`,
        );
      }
    });

    test('a new ePID and a failed reload raise their alerts', async () => {
      await identityHost!.configure({
        epid: { windows: '03612-00206-999-100009-03-1033-17763.0000-0452024' },
      });
      await writeFile(configFile, 'interval: soon\n');
      const reload = await fetch(`${monitor!.url}/-/reload`, { method: 'POST' });
      assert.equal(reload.status, 500);
      await waitFor(
        'KmsHostIdentityChanged and KmsMonitorConfigReloadFailed',
        async () => {
          const current = await alerts();
          return hasAlert(current, 'KmsHostIdentityChanged', {
            host: 'kms1.branch.test',
            product: 'lab-windows',
            alertstate: 'firing',
          }) && hasAlert(current, 'KmsMonitorConfigReloadFailed', { job: 'kms-monitor' })
            ? true
            : undefined;
        },
        60_000,
      ).catch(async (err: Error) => {
        throw new Error(`${err.message}\ncurrent alerts:\n${await describeAlerts()}`);
      });
    });
  },
);
