// A hostile KMS host or DNS zone cannot inject markup or script into the status page, in
// a real browser: (1) a hand-built view with markup in every field, served through the
// plugin; (2) a lab KMS host whose ePIDs are <script> and "><img onerror>, probed by the
// real monitor. No script runs (no flag, no dialog, no CSP violation), no element appears,
// and the hostile text is on the page as text.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { startMonitorApp, type MonitorApp } from '../../src/app/monitor-app.js';
import { configSchema } from '../../src/config/schema.js';
import { labProductConfigs, startLabKmsHost, type LabKmsHost } from '../../src/lab/index.js';
import { createLogger } from '../../src/log/logger.js';
import { statusPageRoutes } from '../../src/web/status-page/routes.js';
import { NO_WEB_CONFIG } from '../../src/web/web-config.js';
import { HOSTILE, hostileView } from '../web/status-page-views.js';
import { OUTPUT_DIR, cspViolations, launchBrowser, openPage } from './browser.js';

const SCRIPT_EPID = '<script>window.__pwned=1</script>';
const IMG_EPID = '"><img src=x onerror="window.__pwned=2">';

/** What an injection would leave behind. */
async function assertNothingRan(page: Page, incidents: string[]): Promise<void> {
  assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined', 'no injected script ran');
  assert.deepEqual(incidents, [], 'no dialog, console error or page error');
  assert.deepEqual(await cspViolations(page), [], 'nothing inline was even attempted');
  const counts = (await page.evaluate(
    `({ img: document.images.length, script: document.scripts.length,
        style: document.querySelectorAll('style').length,
        iframe: document.querySelectorAll('iframe, object, embed').length,
        handlers: [...document.querySelectorAll('*')].filter((e) =>
          [...e.attributes].some((a) => a.name.startsWith('on'))).length })`,
  )) as Record<string, number>;
  assert.deepEqual(counts, { img: 0, script: 1, style: 0, iframe: 0, handlers: 0 });
  assert.equal(
    await page.evaluate('document.scripts[0].getAttribute("src").replace(/\\?.*/, "")'),
    (await page.evaluate('location.pathname')) === '/'
      ? 'static/refresh.js'
      : '../static/refresh.js',
  );
}

describe('hostile strings on the status page, in Chromium', { timeout: 240_000 }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('a hand-built view with markup in every field renders it as text', async () => {
    const app: FastifyInstance = Fastify();
    const view = hostileView();
    await app.register(
      statusPageRoutes((o) =>
        o.host === undefined
          ? view
          : { ...view, hosts: view.hosts.filter((h) => `${h.host}:${h.port}` === o.host) },
      ),
    );
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const { context, page, incidents } = await openPage(browser);
    try {
      const res = await page.goto(`${url}/`);
      assert.equal(res?.status(), 200);
      await assertNothingRan(page, incidents);
      let text = await page.locator('main').innerText();
      assert.equal(await page.title(), 'CRITICAL · KMS monitor');
      await page.screenshot({ path: join(OUTPUT_DIR, 'status-page-hostile.png'), fullPage: true });

      // The matrix links to the domain's page, where its records and host cards are.
      await page.locator('table.matrix tbody th a').first().click();
      await page.waitForURL(/\/domain\//);
      await assertNothingRan(page, incidents);
      text += await page.locator('main').innerText();
      for (const s of [HOSTILE.script, HOSTILE.img, HOSTILE.attr, HOSTILE.style]) {
        assert.ok(text.includes(s), `shown as text: ${s}`);
      }
      assert.ok(text.includes('kms\\u{202E}evil'), 'a bidi override is shown, not obeyed');

      // The card's link leads to the host page, which is just as inert.
      await page.locator('article.card h3 a').first().click();
      await page.waitForURL(/\/host\//);
      assert.match(
        await page.locator('h1').innerText(),
        /KMS host .*<script>window\.__pwned=1<\/script>/,
      );
      await assertNothingRan(page, incidents);
    } finally {
      await context.close();
      await app.close();
    }
  });

  it('a lab KMS host whose ePIDs are <script> and "><img onerror> is shown as text', async () => {
    const quiet = createLogger({
      level: 'error',
      format: 'json',
      destination: new Writable({ write: (_c, _e, done) => done() }),
    });
    const host: LabKmsHost = await startLabKmsHost({
      epid: { windows: SCRIPT_EPID, 'office-2013+': IMG_EPID },
      refuse: ['lab-windows-server'],
    });
    let app: MonitorApp | undefined;
    const { context, page, incidents } = await openPage(browser);
    try {
      const config = configSchema.parse({
        interval: '1h',
        kms_interval: '1h',
        timeout: '5s',
        hosts: [`127.0.0.1:${host.port}`],
        products: labProductConfigs().filter((p) =>
          ['lab-windows', 'lab-windows-server', 'lab-office'].includes(p.slug),
        ),
        identity: { cmid: '6a1f2c3d-4b5e-4f60-8a7b-9c0d1e2f3a4b', workstation: 'status-page-test' },
      });
      app = await startMonitorApp({
        log: quiet,
        readConfig: async () => config,
        webConfig: NO_WEB_CONFIG,
        listenAddress: '127.0.0.1:0',
        readSystem: async () => ({ nameservers: [], search: [] }),
      });
      const deadline = Date.now() + 60_000;
      const key = `127.0.0.1:${host.port}`;
      while (app.state.hosts.get(key)?.products.size !== 3) {
        if (Date.now() > deadline) throw new Error('the KMS sweep did not finish');
        await new Promise((r) => setTimeout(r, 50));
      }
      // The monitor passes the ePID on as the host sent it.
      assert.equal(app.state.hosts.get(key)?.products.get('lab-windows')?.epid, SCRIPT_EPID);

      const res = await page.goto(`${app.url}/`);
      assert.equal(res?.status(), 200);
      await assertNothingRan(page, incidents);
      // A host outside every domain is linked from `/`; its card is on its own page.
      await page
        .locator(`a[href="host/${encodeURIComponent(key)}"]`)
        .first()
        .click();
      await page.waitForURL(/\/host\//);
      await assertNothingRan(page, incidents);
      const card = await page.locator('article.card').innerText();
      assert.ok(card.includes(SCRIPT_EPID), 'the <script> ePID is text');
      assert.ok(card.includes(IMG_EPID), 'the <img onerror> ePID is text');
      assert.match(card, /not a valid ePID/);
      assert.match(card, /kms_error 0xC004F042/);

      assert.ok((await page.locator('main').innerText()).includes(SCRIPT_EPID));
    } finally {
      await context.close();
      await app?.stop();
      await host.close();
    }
  });
});
