// `kms-monitor demo` in Chromium: the built CLI runs the lab and the monitor, and the
// status page must show every scenario of src/lab/demo-scenarios.ts with the status and
// numbers the scenario data promises; a card's link leads to the host page and back.
// Screenshots go to test-output/ (light, dark, host page); UPDATE_DOCS_SCREENSHOT=1 also
// writes docs/status-page.png for the README.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
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
  EXPECTED_DEMO_SCENARIOS,
  demoHosts,
  expectedProbe,
} from '../helpers/demo-expectations.js';
import type { StatusView } from '../../src/monitor/status-view.js';
import { REPO, startServer, type RunningServer } from '../helpers/cli.js';
import { OUTPUT_DIR, cspViolations, launchBrowser, openPage } from './browser.js';

const THRESHOLDS: Record<string, number> = {
  'lab-windows': 25,
  'lab-windows-server': 5,
  'lab-office': 5,
};

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 90_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The view once every host has its TCP result and every product its first exchange. */
async function settledView(url: string): Promise<StatusView> {
  return waitFor('the first KMS sweep', async () => {
    if ((await fetch(`${url}/-/ready`)).status !== 200) return undefined;
    const view = (await (await fetch(`${url}/api/v1/status`)).json()) as StatusView;
    const complete =
      view.hosts.length === demoHosts().length &&
      view.hosts.every((h) => h.tcp !== null && h.products.length === PROBED.length);
    return complete ? view : undefined;
  });
}

const byId = (page: Page, id: string): Locator => page.locator(`[id="${id}"]`);

describe('kms-monitor demo in Chromium', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let view: StatusView;
  const portOf = (name: string) => view.hosts.find((h) => h.host === name)!.port;

  before(async () => {
    server = await startServer('demo', [], 90_000);
    view = await settledView(server.url);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    if (server) assert.equal(await server.stop(), 0, 'the demo stops cleanly');
  });

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
      assert.equal(problems.length, expected.length, problems.join('\n'));
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
      await page.goto(`${server.url}/`);
      for (const s of EXPECTED_DEMO_SCENARIOS) {
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
      await page.goto(`${server.url}/`);
      for (const s of EXPECTED_DEMO_SCENARIOS) {
        for (const spec of s.hosts)
          await checkCard(
            page,
            spec,
            s.expectedProblems.some((p) => p.host === spec.name),
          );
      }
    } finally {
      await context.close();
    }
  });

  async function checkCard(page: Page, spec: DemoHostSpec, hasProblem: boolean): Promise<void> {
    const card = byId(page, `host-${spec.name}:${portOf(spec.name)}`);
    const text = await card.innerText();
    assert.match(await card.locator('h3').innerText(), hasProblem ? /WARNING/ : /OK/, spec.id);
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

  it('a card links to the host page, which links back; screenshots for the docs', async () => {
    const { context, page, incidents } = await openPage(browser);
    try {
      await page.goto(`${server.url}/`);
      await page.screenshot({ path: join(OUTPUT_DIR, 'status-page-demo.png'), fullPage: true });
      if (process.env['UPDATE_DOCS_SCREENSHOT'] === '1') {
        mkdirSync(join(REPO, 'docs'), { recursive: true });
        await page.screenshot({
          path: join(REPO, 'docs', 'status-page.png'),
          clip: { x: 0, y: 0, width: 1280, height: 1400 },
          fullPage: true,
        });
      }
      const name = 'kms1.nooffice.kms-lab.test';
      const key = `${name}:${portOf(name)}`;
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
      assert.match(main, /Failures[\s\S]*lab-office[\s\S]*kms_error/);
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
