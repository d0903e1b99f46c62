// Auto-refresh in Chromium: the page swaps in fresh content in place and keeps the scroll
// position; a reload starts where the reader was (sessionStorage); a text selection
// pauses the refresh; a server that went away is reported, not silently ignored.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { statusPageRoutes } from '../../src/web/status-page/routes.js';
import { scenariosView } from '../web/status-page-views.js';
import { cspViolations, launchBrowser, openPage } from './browser.js';

const refreshes = async (page: Page): Promise<number> =>
  Number(await page.evaluate('document.body.getAttribute("data-refreshed") || 0'));

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A page tall enough to scroll at a phone's width, with host cards and ePIDs. */
const PAGE = '/domain/healthy.lab.test';
const CARDS = scenariosView().hosts.filter((h) => h.domains.includes('healthy.lab.test')).length;

describe('status page auto-refresh in Chromium', { timeout: 180_000 }, () => {
  let browser: Browser;
  let app: FastifyInstance;
  let url: string;
  let served = 0;

  before(async () => {
    browser = await launchBrowser();
    app = Fastify();
    // Every answer is one round further on, so a refresh that swapped shows it.
    await app.register(
      statusPageRoutes(() => {
        served++;
        const view = scenariosView();
        return { ...view, poll: { ...view.poll, rounds: served } };
      }),
    );
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('swaps fresh content in place, keeps the scroll position, and restores it after a reload', async () => {
    const { context, page, incidents } = await openPage(browser, { width: 360, height: 700 });
    try {
      await page.goto(`${url}${PAGE}?refresh=1`);
      assert.match(await page.locator('#refresh-state').innerText(), /Refreshes every 1 s/);
      const firstRounds = await page.locator('header.top').innerText();
      await page.evaluate('window.scrollTo(0, 1500)');
      await until('two refreshes', async () => (await refreshes(page)) >= 2);
      assert.equal(
        await page.evaluate('Math.round(window.scrollY)'),
        1500,
        'the reader stays where they were',
      );
      assert.notEqual(
        await page.locator('header.top').innerText(),
        firstRounds,
        'the header was swapped',
      );
      assert.match(await page.locator('#refresh-state').innerText(), /^Updated .*, every 1 s\.$/);
      assert.equal(await page.locator('main').count(), 1);
      assert.equal(await page.locator('article.card').count(), CARDS);

      // A full reload (F5, or the noscript fallback) starts at the saved position.
      await page.evaluate('window.scrollTo(0, 2200)');
      await until('the position saved', async () =>
        String(
          await page.evaluate(`sessionStorage.getItem("kms-monitor:scroll:${PAGE}?refresh=1")`),
        ).includes('2200'),
      );
      await page.reload();
      await until(
        'the position restored',
        async () => (await page.evaluate('Math.round(window.scrollY)')) === 2200,
      );
      assert.deepEqual(incidents, []);
      assert.deepEqual(await cspViolations(page), [], 'fetch and swap stay within the policy');
    } finally {
      await context.close();
    }
  });

  it('waits while text is selected, so an ePID being copied does not vanish', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(`${url}${PAGE}?refresh=1`);
      await until('a refresh', async () => (await refreshes(page)) >= 1);
      await page.evaluate('getSelection().selectAllChildren(document.querySelector("code.epid"))');
      const before = await refreshes(page);
      await new Promise((r) => setTimeout(r, 3_000));
      assert.equal(await refreshes(page), before, 'no swap under a selection');
      await page.evaluate('getSelection().removeAllRanges()');
      await until('refreshing again', async () => (await refreshes(page)) > before);
    } finally {
      await context.close();
    }
  });

  it('says so when the monitor cannot be reached, and keeps the old content', async () => {
    const { context, page } = await openPage(browser);
    // A server of its own, to stop under the page.
    const own = Fastify();
    await own.register(statusPageRoutes(() => scenariosView()));
    const ownUrl = await own.listen({ host: '127.0.0.1', port: 0 });
    try {
      await page.goto(`${ownUrl}${PAGE}?refresh=1`);
      await until('a refresh', async () => (await refreshes(page)) >= 1);
      await own.close();
      await until('the stale notice', async () =>
        Boolean(await page.evaluate('document.body.classList.contains("stale")')),
      );
      assert.match(
        await page.locator('#refresh-state').innerText(),
        /^Refresh failed \(.+\): this page shows older data\.$/,
      );
      assert.equal(await page.locator('article.card').count(), CARDS);
    } finally {
      await context.close();
      await own.close();
    }
  });

  it('without JavaScript, a <noscript> meta refresh reloads the page', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const before = served;
      await page.goto(`${url}/?refresh=1`);
      await until('a reload by the meta refresh', async () => served >= before + 2, 20_000);
    } finally {
      await context.close();
    }
  });
});
