// `kms-monitor demo` in Chromium: the built CLI runs the lab and the monitor, and the
// status page must show every scenario of src/lab/demo-scenarios.ts with the status and
// numbers the scenario data promises (the summary on `/`, the records and host cards on
// each /domain/<name> page); the matrix links to a domain, a card to its host and back.
// Screenshots go to test-output/ (light, dark, host page); the README's are made by
// status-page-layout.test.ts.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  DEMO_PLANNED_PRODUCTS,
  DEMO_PRODUCTS,
  type DemoHostSpec,
} from '../../src/lab/demo-scenarios.js';

/** Every product the demo monitor probes: today's and the planned ones. */
const PROBED = [...DEMO_PRODUCTS, ...DEMO_PLANNED_PRODUCTS];
import {
  DEMO_EXPECTED_STATUS,
  EXPECTED_DEMO_ESTATE_PROBLEMS,
  EXPECTED_DEMO_SCENARIOS,
  demoHosts,
  expectedProbe,
} from '../helpers/demo-expectations.js';
import type { StatusView } from '../../src/monitor/status-view.js';
import type { RunningServer } from '../helpers/cli.js';
import { OUTPUT_DIR, cspViolations, openPage } from './browser.js';
import { closeDemoInBrowser, openDemoInBrowser } from './demo-server.js';

const THRESHOLDS: Record<string, number> = {
  'lab-windows': 25,
  'lab-windows-server': 5,
  'lab-office': 5,
};

const byId = (page: Page, id: string): Locator => page.locator(`[id="${id}"]`);

describe('kms-monitor demo in Chromium', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let view: StatusView;
  const portOf = (name: string) => view.hosts.find((h) => h.host === name)!.port;

  before(async () => {
    ({ server, view, browser } = await openDemoInBrowser());
  });
  after(() => closeDemoInBrowser({ server, browser }));

  it('the summary agrees with the scenarios: overall status, domains OK, hosts up, counts', async () => {
    const { context, page, incidents } = await openPage(browser);
    try {
      assert.equal((await page.goto(`${server.url}/`))?.status(), 200);
      const hosts = demoHosts();
      const down = hosts.filter((h) => h.down).length;
      const below = hosts.flatMap((h) =>
        PROBED.filter((p) => {
          const e = expectedProbe(h, p);
          return e.success && e.activeClients.max < e.threshold;
        }),
      ).length;
      // A refused product fails, and so does every exchange with a host that is down.
      const failing = hosts.reduce(
        (n, h) => n + (h.down ? PROBED.length : (h.refuse?.length ?? 0)),
        0,
      );
      const summary = await page.locator('ul.summary').innerText();
      const flat = summary.replace(/\s+/g, ' ');
      assert.match(flat, new RegExp(`Overall ${DEMO_EXPECTED_STATUS.toUpperCase()}`));
      const ok = EXPECTED_DEMO_SCENARIOS.filter((s) => s.expectedStatus === 'ok').length;
      assert.match(flat, new RegExp(`Domains OK ${ok} of ${EXPECTED_DEMO_SCENARIOS.length}`));
      assert.match(
        flat,
        new RegExp(`Hosts up ${hosts.length - down} of ${hosts.length} ${down} down`),
      );
      assert.match(
        flat,
        new RegExp(`Products below threshold ${below} of ${hosts.length * PROBED.length}`),
      );
      assert.match(flat, new RegExp(`Exchanges failing ${failing} of`));
      assert.equal(await page.title(), `${DEMO_EXPECTED_STATUS.toUpperCase()} · KMS monitor`);

      // One problem per expected problem, naming its host where there is one.
      const problems = await page
        .locator('section[aria-labelledby="summary-h"] ul.problems > li')
        .allInnerTexts();
      const expected = EXPECTED_DEMO_SCENARIOS.flatMap((s) => s.expectedProblems);
      const estate = EXPECTED_DEMO_ESTATE_PROBLEMS;
      assert.equal(problems.length, expected.length + estate.length, problems.join('\n'));
      for (const p of estate) {
        assert.ok(
          problems.some((text) => text.includes(p.severity.toUpperCase()) && text.includes(p.text)),
          p.text,
        );
      }
      for (const p of expected) {
        const matching = problems.filter(
          (text) => text.includes(p.severity.toUpperCase()) && (!p.host || text.includes(p.host)),
        );
        assert.ok(matching.length > 0, `a ${p.severity} problem for ${p.host ?? p.kind}`);
      }
      assert.deepEqual(incidents, []);
      assert.deepEqual(await cspViolations(page), []);
    } finally {
      await context.close();
    }
  });

  it('each domain shows its status, records per resolver and rcode', async () => {
    const { context, page } = await openPage(browser);
    try {
      for (const s of EXPECTED_DEMO_SCENARIOS) {
        assert.equal((await page.goto(`${server.url}/domain/${s.domain}`))?.status(), 200);
        const section = byId(page, `domain-${s.domain}`);
        const heading = await section.locator('h3').innerText();
        assert.match(
          heading,
          new RegExp(`${s.domain}\\s+\\S+ ${s.expectedStatus.toUpperCase()}`),
          s.key,
        );
        const resolvers = section.locator('.resolver');
        assert.equal(await resolvers.count(), 2, `${s.key}: two resolvers`);
        const { a, b } = s.expectedRecords;
        // Resolvers that agree share one table; the lab configures resolver A first.
        const shared = a === b && a > 0 && s.hosts.every((h) => h.publishedBy.length === 2);
        for (const [i, which] of (['a', 'b'] as const).entries()) {
          const r = resolvers.nth(i);
          assert.match(await r.locator('.resolver-head').innerText(), new RegExp(s.expectedRcode));
          if (!shared) {
            assert.equal(
              await r.locator('tbody tr').count(),
              s.expectedRecords[which],
              `${s.key} ${which}`,
            );
          }
        }
        assert.equal(
          await section.locator('table.records tbody tr').count(),
          shared ? a : a + b,
          s.key,
        );
        if (shared) {
          assert.match(
            await section.locator('table.records caption').innerText(),
            new RegExp(`The same ${a} records? at every resolver`),
          );
        }
        const text = await section.innerText();
        if (s.key === 'norecord') {
          assert.match(text, /No _vlmcs\._tcp record \(nxdomain/);
          assert.match(text, /0xC004F074/);
        }
        if (s.key === 'split') {
          assert.match(text, /Resolvers disagree/);
          assert.match(text, /kms2\.split\.kms-lab\.test\s+≠ not at every resolver/);
          assert.match(
            text,
            /Returned by other resolvers but not by this one: kms2\.split\.kms-lab\.test:/,
          );
        }
        if (s.key === 'stale') {
          const row = section
            .locator('tbody tr', { hasText: 'old-kms.stale.kms-lab.test' })
            .first();
          assert.match(await row.innerText(), /down/);
        }
        if (s.key === 'single') assert.match(text, /publishes a single KMS host/);
      }
    } finally {
      await context.close();
    }
  });

  it('each host card shows reachability, counts against N, the decoded ePID and the failures explained', async () => {
    const { context, page } = await openPage(browser);
    try {
      for (const s of EXPECTED_DEMO_SCENARIOS) {
        await page.goto(`${server.url}/domain/${s.domain}`);
        for (const spec of s.hosts) {
          const mine = s.expectedProblems.filter((p) => p.host === spec.name);
          const worst = mine.some((p) => p.severity === 'critical')
            ? 'critical'
            : mine.length > 0
              ? 'warning'
              : 'ok';
          await checkCard(page, spec, worst);
        }
      }
    } finally {
      await context.close();
    }
  });

  async function checkCard(
    page: Page,
    spec: DemoHostSpec,
    severity: 'ok' | 'warning' | 'critical',
  ): Promise<void> {
    const card = byId(page, `host-${spec.name}:${portOf(spec.name)}`);
    const text = await card.innerText();
    assert.match(await card.locator('h3').innerText(), new RegExp(severity.toUpperCase()), spec.id);
    if (spec.personality !== undefined) {
      await checkRogueTrust(card, spec);
      return;
    }
    if (!spec.down) {
      // A genuine-like lab host passes every authenticity check that ran (docs/trust.md).
      const trust = await card.locator('.trust').innerText();
      assert.match(
        trust,
        /Trust:.*genuine-like \d+ of \d+ checks passed\./s,
        `${spec.id}: ${trust}`,
      );
      assert.doesNotMatch(trust, /suspicious|not genuine/, spec.id);
    }
    if (spec.down) {
      assert.match(text, /unreachable TCP connect( to \S+)? failed/, spec.id);
      assert.match(text, /connect_refused/);
      assert.match(text, /stale SRV record\?/);
      assert.match(text, /0x800706BA/);
      // Said once for the host, not again for each product it could not be asked about.
      assert.equal(text.split('RPC_S_SERVER_UNAVAILABLE').length - 1, 1);
      return;
    }
    assert.match(text, /reachable TCP connect to 127\.0\.0\.1 in [\d.]+ ms/, spec.id);
    for (const product of DEMO_PRODUCTS) {
      const expected = expectedProbe(spec, product);
      const row = await card
        .locator('tbody tr', { has: page.locator(`th code:text-is("${product}")`) })
        .innerText();
      if (!expected.success) {
        assert.match(
          row,
          new RegExp(`${expected.reason} ${expected.code}`),
          `${spec.id} ${product}`,
        );
        assert.match(text, /SL_E_VL_KEY_MANAGEMENT_SERVICE_ID_MISMATCH/);
        assert.match(text, /Fix:\s+Install a CSVLK that covers this product/);
        continue;
      }
      const m = /(\d+) of N = (\d+)/.exec(row);
      assert.ok(m, `${spec.id} ${product}: ${row}`);
      const count = Number(m[1]);
      assert.equal(Number(m[2]), THRESHOLDS[product]);
      const { min, max } = expected.activeClients;
      // The shown count is a drifting lab count: within the scenario's bounds.
      assert.ok(
        count >= min && count <= max,
        `${spec.id} ${product}: ${count} not in ${min}..${max}`,
      );
      assert.match(
        row,
        count < expected.threshold ? /below threshold/ : /activates/,
        `${spec.id} ${product}`,
      );
      if (count < expected.threshold) assert.match(text, /0xC004F038/);
    }
    if (!spec.epid)
      assert.match(text, /Windows Server 2022 \(build 20348\) · key installed 2025-01-15/);
    // Each demo host is its own machine, with its own lab hardware ID.
    assert.match(text, /HWID\s+1AB0C0FFEE[0-9A-F]{6}/);
    assert.match(text, /Intervals\s+activation 2 h, renewal 7 d/);
    assert.match(text, /incl\. this monitor/);
  }

  /** The emulator's card: the trust line names each failing check with its evidence. */
  async function checkRogueTrust(card: Locator, spec: DemoHostSpec): Promise<void> {
    const trust = (await card.locator('.trust').innerText()).replace(/\s+/g, ' ');
    assert.match(trust, /Trust: .*not genuine/, `${spec.id}: ${trust}`);
    const checks = await card.locator('.trust li').allInnerTexts();
    const line = (check: string) => checks.find((c) => c.includes(check)) ?? '';
    assert.match(
      line('control_unknown_id'),
      /not genuine control_unknown_id: a KMS counted ID no host key covers was answered with count \d+ and ePID 55041-00206-567-333897-03-1102-6002\.0000-3342021: a genuine host refuses it with 0xC004F042/,
    );
    assert.match(
      line('clock_window'),
      /not genuine clock_window: a request dated 5 hours off was answered .*: a genuine host refuses it with 0xC004F06C/,
    );
    assert.match(line('known_emulator_identity'), /hardware ID 3A1C049600B60076 is the/);
    assert.match(line('count_echo'), /suspicious count_echo: the count follows the request's N/);
    assert.match(line('epid_consistency'), /not genuine epid_consistency: /);
  }

  it('the matrix links to a domain, its card to the host page, which links back', async () => {
    const { context, page, incidents } = await openPage(browser);
    try {
      await page.goto(`${server.url}/`);
      await page.screenshot({ path: join(OUTPUT_DIR, 'status-page-demo.png'), fullPage: true });
      const name = 'kms1.nooffice.kms-lab.test';
      const key = `${name}:${portOf(name)}`;
      await page.locator('table.matrix a', { hasText: 'nooffice.kms-lab.test' }).first().click();
      await page.waitForURL(`${server.url}/domain/nooffice.kms-lab.test`);
      await byId(page, `host-${key}`).locator('h3 a').click();
      await page.waitForURL(`${server.url}/host/${encodeURIComponent(key)}`);
      assert.match(
        await page.locator('h1').innerText(),
        new RegExp(`^KMS host ${key.replace(/\./g, '\\.')}`),
      );
      const main = await page.locator('main').innerText();
      assert.match(main, /lab-office[\s\S]*kms_error 0xC004F042/);
      assert.match(main, /Published in DNS/);
      assert.equal(
        await page.locator('table:has(caption:text-is("Published in DNS")) tbody tr').count(),
        2,
      );
      assert.match(main, /Probe log[\s\S]*kms_error[\s\S]*lab-office/);
      await page.screenshot({ path: join(OUTPUT_DIR, 'status-page-host.png'), fullPage: true });
      await page.getByRole('link', { name: '← All domains and hosts' }).click();
      await page.waitForURL(`${server.url}/`);
      assert.match(await page.locator('h1').innerText(), /KMS activation status/);
      assert.equal((await page.goto(`${server.url}/host/nothing.kms-lab.test`))?.status(), 404);
      assert.deepEqual(
        incidents.filter((i) => !i.includes('404')),
        [],
      );
    } finally {
      await context.close();
    }
    const dark = await openPage(browser, { colorScheme: 'dark' });
    try {
      await dark.page.goto(`${server.url}/`);
      assert.equal(
        await dark.page.evaluate('getComputedStyle(document.documentElement).backgroundColor'),
        'rgb(14, 17, 22)',
        'the dark scheme follows prefers-color-scheme',
      );
      await dark.page.screenshot({
        path: join(OUTPUT_DIR, 'status-page-demo-dark.png'),
        fullPage: true,
      });
    } finally {
      await dark.context.close();
    }
  });
});
