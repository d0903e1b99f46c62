// The three coverage scenarios of `kms-monitor demo` (docs/coverage.md): a host OS too old
// for planned Office LTSC 2024 (oldos), a missing update for planned Server 2025
// (noupdate), a replaced host still published (migrate) — on the status page in Chromium,
// in /metrics, and in `kms-monitor coverage` against the demo's configuration.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { runCli, startServer, type RunningServer } from '../helpers/cli.js';
import { eventually, parseMetrics, valueOf } from '../helpers/metrics.js';
import { launchBrowser, openPage } from './browser.js';
import type { StatusView } from '../../src/monitor/status-view.js';

const D = (key: string) => `${key}.kms-lab.test`;

describe('coverage scenarios of the demo', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let view: StatusView;
  const configFile = join(mkdtempSync(join(tmpdir(), 'kms-cov-')), 'demo.yml');

  before(async () => {
    server = await startServer('demo', [`--write-config=${configFile}`], 90_000);
    view = await eventually(
      'the first KMS sweep with the planned products',
      async () => {
        const v = (await (await fetch(`${server.url}/api/v1/status`)).json()) as StatusView;
        return v.hosts.length > 0 &&
          v.hosts.every((h) => h.tcp !== null && (h.tcp.up ? h.products.length === 5 : true))
          ? v
          : undefined;
      },
      90_000,
    );
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    if (server) assert.equal(await server.stop(), 0);
  });

  it('/metrics: readiness per domain and the coverage verdicts per host', async () => {
    const m = parseMetrics(await (await fetch(`${server.url}/metrics`)).text());
    const ready = (domain: string, product: string) =>
      valueOf(m, 'kms_domain_product_ready', { domain: D(domain), product });
    assert.equal(ready('oldos', 'lab-office-ltsc-2024'), 0);
    assert.equal(ready('oldos', 'lab-windows-server-2025'), 0);
    assert.equal(ready('noupdate', 'lab-windows-server-2025'), 0);
    assert.equal(ready('noupdate', 'lab-office-ltsc-2024'), 1);
    assert.equal(ready('migrate', 'lab-windows-server-2025'), 1);
    assert.equal(ready('healthy', 'lab-windows-server-2025'), 1);
    const verdict = (host: string, product: string, v: string) =>
      valueOf(m, 'kms_host_coverage', { host, product, verdict: v });
    assert.equal(verdict(`kms1.${D('oldos')}`, 'lab-office-ltsc-2024', 'refused'), 1);
    assert.equal(verdict(`kms1.${D('noupdate')}`, 'lab-windows-server-2025', 'refused'), 1);
    assert.equal(verdict(`kms-new.${D('migrate')}`, 'lab-windows-server-2025', 'activates'), 1);
    assert.equal(valueOf(m, 'kms_domain_status', { domain: D('oldos') }), 1, 'a warning, not red');
  });

  it('the page: planned products not ready with the fix, the migration finding', async () => {
    const { context, page } = await openPage(browser);
    try {
      // Each domain's detail is on its own page (/domain/<name>).
      const section = async (key: string) => {
        assert.equal((await page.goto(`${server.url}/domain/${D(key)}`))?.status(), 200);
        return page.locator(`section.domain:has(h3:has-text("${D(key)}"))`);
      };
      const oldos = (await (await section('oldos')).locator('table.readiness').innerText()).replace(
        /\s+/g,
        ' ',
      );
      assert.match(oldos, /lab-office-ltsc-2024 ⚠ not ready/);
      assert.match(
        oldos,
        /Office LTSC 2024 cannot be hosted on Windows Server 2016 \(14393\): needs Windows Server 2022 or later, or Windows 10 or later/,
      );
      const noupdate = (
        await (await section('noupdate')).locator('table.readiness').innerText()
      ).replace(/\s+/g, ' ');
      assert.match(noupdate, /lab-windows-server-2025 ⚠ not ready/);
      assert.match(noupdate, /install KB5034765/);
      assert.match(noupdate, /cannot see installed updates/);
      const migrate = (await (await section('migrate')).innerText()).replace(/\s+/g, ' ');
      assert.match(migrate, /kms-old\.migrate\.kms-lab\.test:\d+ is replaced by kms-new/);
      const cell = (await section('oldos'))
        .locator('table.coverage-matrix td.verdict-refused')
        .first();
      assert.match(await cell.innerText(), /refused/);
      assert.match(
        (await (await section('healthy')).innerText()).replace(/\s+/g, ' '),
        /host caching \(the default\)/,
      );
    } finally {
      await context.close();
    }
  });

  it('check --json and kms-monitor coverage, --compare for the migration', async () => {
    const check = await runCli(['check', `--config.file=${configFile}`, '--json'], 120_000);
    const body = JSON.parse(check.stdout) as {
      readiness: Array<{ domain: string; product: string; ready: boolean; fix: string | null }>;
      problems: Array<{ code: string; domain?: string }>;
    };
    const entry = body.readiness.find(
      (r) => r.domain === D('noupdate') && r.product === 'lab-windows-server-2025',
    );
    assert.equal(entry?.fix, 'install KB5034765');
    assert.ok(
      body.problems.some((p) => p.code === 'replaced_host_published' && p.domain === D('migrate')),
    );

    const resolver = /resolvers:\n\s+- (\S+)/.exec(readFileSync(configFile, 'utf8'))?.[1] ?? '';
    const hostOf = (name: string) => `${name}:${view.hosts.find((h) => h.host === name)!.port}`;
    const oldHost = hostOf(`kms-old.${D('migrate')}`);
    const newHost = hostOf(`kms-new.${D('migrate')}`);
    const args = [`--config.file=${configFile}`, `--resolver=${resolver}`];
    const table = await runCli(['coverage', ...args, hostOf(`kms1.${D('oldos')}`)], 120_000);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /H1 kms1\.oldos\.kms-lab\.test:\d+: Windows Server 2016 \(14393\)/);
    assert.match(table.stdout, /^office-ltsc-2024 +REFUSED$/m);
    const compare = await runCli(
      ['coverage', ...args, '--compare', '--json', oldHost, newHost],
      120_000,
    );
    assert.equal(compare.code, 0, compare.stderr);
    const c = (JSON.parse(compare.stdout) as { comparison: { gained: string[]; lost: string[] } })
      .comparison;
    assert.ok(c.gained.includes('windows-server-2025'), JSON.stringify(c));
    assert.ok(c.gained.includes('office-ltsc-2024'), JSON.stringify(c));
    assert.deepEqual(c.lost, []);
    const backwards = await runCli(['coverage', ...args, '--compare', newHost, oldHost], 120_000);
    assert.equal(backwards.code, 1, 'the old host lacks what the new one covers');
    assert.match(backwards.stdout, /Do not cut over yet/);
  });
});
