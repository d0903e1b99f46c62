// The status page at a phone's and a desktop's width, against `kms-monitor demo`: every
// demo scenario (src/lab/demo-scenarios.ts, however many there are) is on the first
// screen of `/`; no page is wider than the window and no table scrolls sideways (nothing
// cut off); the filters work without JavaScript, by links and the search form.
// Screenshots of the first screen go to test-output/; UPDATE_DOCS_SCREENSHOT=1 also
// writes docs/status-page-1280.png and docs/status-page-360.png for the README.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_SCENARIOS } from '../../src/lab/demo-scenarios.js';
import type { StatusView } from '../../src/monitor/status-view.js';
import { REPO, type RunningServer } from '../helpers/cli.js';
import { OUTPUT_DIR, cspViolations, openPage } from './browser.js';
import { closeDemoInBrowser, openDemoInBrowser } from './demo-server.js';

/** A small phone (360 × 740 CSS px, as a Galaxy S9) and a laptop. */
const SCREENS = [
  { name: 'phone', width: 360, height: 740 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

/** Sideways overflow of the document and of every element that scrolls on its own. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const out = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
      out.push('document ' + root.scrollWidth + ' > ' + root.clientWidth);
    }
    for (const el of document.querySelectorAll('body *')) {
      const style = getComputedStyle(el);
      if (!['auto', 'scroll', 'hidden'].includes(style.overflowX)) continue;
      if (el.classList.contains('bar')) continue; // the count bar clips its own fill
      if (el.clientWidth <= 1) continue; // text only for screen readers, hidden on purpose
      if (el.scrollWidth > el.clientWidth + 1) {
        out.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
      }
    }
    return out;
  })()`);
}

describe('the status page at 360 and 1280 px', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let view: StatusView;

  before(async () => {
    ({ server, view, browser } = await openDemoInBrowser());
  });
  after(() => closeDemoInBrowser({ server, browser }));

  for (const screen of SCREENS) {
    it(`${screen.width} px: every demo scenario is on the first screen of /`, async () => {
      const { context, page, incidents } = await openPage(browser, screen);
      try {
        assert.equal((await page.goto(`${server.url}/`))?.status(), 200);
        for (const s of DEMO_SCENARIOS) {
          const link = page.locator(`table.matrix a[href="domain/${s.domain}"]`).first();
          assert.ok(await link.isVisible(), `${s.key}: ${s.domain} in the matrix`);
          const box = await link.boundingBox();
          assert.ok(box, s.key);
          assert.ok(
            box.y + box.height <= screen.height && box.x >= 0 && box.x + box.width <= screen.width,
            `${s.key}: ${s.domain} at ${JSON.stringify(box)} is outside the first ${screen.width} × ${screen.height} screen`,
          );
        }
        await page.screenshot({ path: join(OUTPUT_DIR, `status-page-${screen.width}.png`) });
        if (process.env['UPDATE_DOCS_SCREENSHOT'] === '1') {
          await page.screenshot({ path: join(REPO, 'docs', `status-page-${screen.width}.png`) });
        }
        assert.deepEqual(incidents, []);
        assert.deepEqual(await cspViolations(page), []);
      } finally {
        await context.close();
      }
    });

    it(`${screen.width} px: no page overflows sideways`, async () => {
      const { context, page } = await openPage(browser, screen);
      try {
        const paths = [
          '/',
          '/?status=problem',
          '/domain/nothing.kms-lab.test',
          '/host/nothing.kms-lab.test',
          ...view.domains.map((d) => `/domain/${encodeURIComponent(d.domain)}`),
          ...view.hosts.map((h) => `/host/${encodeURIComponent(`${h.host}:${h.port}`)}`),
        ];
        for (const path of paths) {
          await page.goto(`${server.url}${path}`);
          assert.deepEqual(await overflow(page), [], `${path} at ${screen.width} px`);
        }
        await page.goto(`${server.url}/domain/split.kms-lab.test`);
        await page.screenshot({
          path: join(OUTPUT_DIR, `status-page-domain-${screen.width}.png`),
          fullPage: true,
        });
      } finally {
        await context.close();
      }
    });
  }

  it('the filters work without JavaScript: status links, product links, the search box', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/`);
      const rows = () => page.locator('table.matrix tbody tr').allInnerTexts();
      await page.locator('nav.filters a', { hasText: /^problem \(\d+\)$/ }).click();
      await page.waitForURL(`${server.url}/?status=problem`);
      const problems = DEMO_SCENARIOS.filter((s) =>
        view.domains.some((d) => d.domain === s.domain),
      );
      assert.ok((await rows()).length > 0);
      for (const r of await rows()) assert.doesNotMatch(r, /✓ OK/);
      assert.ok((await rows()).length < problems.length, 'the OK domains are filtered out');

      await page.locator('nav.filters a', { hasText: 'lab-office' }).click();
      await page.waitForURL(`${server.url}/?status=problem&product=lab-office`);
      assert.equal(await page.locator('table.matrix thead th').count(), 2);

      await page.locator('nav.filters a', { hasText: 'clear filters' }).click();
      await page.locator('input[name="domain"]').fill('split');
      await page.locator('nav.filters button[type="submit"]').click();
      await page.waitForURL(`${server.url}/?domain=split`);
      const found = await rows();
      assert.equal(found.length, 1);
      assert.match(found[0]!, /split\.kms-lab\.test/);
    } finally {
      await context.close();
    }
  });
});
