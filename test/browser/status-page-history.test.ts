// The host page's history block in Chromium, over two days of rounds on a fake clock: the
// sparklines parse as SVG (every path has a length), the stylesheet reaches them (the
// threshold line is dashed), nothing overflows at 360 px, no CSP violation, and a product
// named like markup stays text in the SVG's title and label.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { buildStatusView } from '../../src/monitor/status-view.js';
import { statusPageRoutes } from '../../src/web/status-page/routes.js';
import { domainsOf, fakeMonitor, planOf, WINDOWS } from '../monitor/fake-world.js';
import { OUTPUT_DIR, cspViolations, launchBrowser, openPage } from './browser.js';

const HOSTILE = { slug: '"><script>window.__pwned=1</script>', nPolicy: 5 };
const HOUR = 3_600_000;
const KEY = 'kms1.corp.example:1688';

describe('history sparklines in Chromium', { timeout: 240_000 }, () => {
  let browser: Browser;
  let app: FastifyInstance;
  let url: string;
  before(async () => {
    const products = [WINDOWS, HOSTILE];
    const m = fakeMonitor(
      planOf({
        domains: domainsOf('corp.example'),
        products,
        intervalMs: 10 * 60_000,
        kmsIntervalMs: 10 * 60_000,
      }),
    );
    m.world.records.set('corp.example', ['kms1.corp.example']);
    m.world.delays.kms = 4;
    m.poller.start();
    await m.clock.advance(20 * HOUR);
    m.world.down.add('kms1.corp.example');
    await m.clock.advance(3 * HOUR);
    m.world.down.delete('kms1.corp.example');
    m.world.counts.set('kms1.corp.example', 12);
    await m.clock.advance(25 * HOUR);
    await m.poller.stop();
    app = Fastify();
    await app.register(
      statusPageRoutes((o) => buildStatusView(m.state, products, { ...o, now: m.clock.now() })),
    );
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  for (const width of [1280, 360]) {
    it(`at ${width} px: valid inline SVG, styled, nothing overflows, nothing runs`, async () => {
      const { page, incidents, context } = await openPage(browser, { width });
      try {
        await page.goto(`${url}/host/${encodeURIComponent(KEY)}?refresh=0`);
        const found = (await page.evaluate(`(() => {
          const svgs = [...document.querySelectorAll('svg.spark')];
          const block = document.querySelector('.host-history');
          const line = document.querySelector('svg.spark .spark-threshold');
          return {
            svgs: svgs.length,
            lengths: svgs.map((s) => [...s.querySelectorAll('path')].map((p) => p.getTotalLength() > 0)).flat(),
            titles: svgs.map((s) => s.querySelector('title').textContent),
            dashed: line ? getComputedStyle(line).strokeDasharray : null,
            overflow: block.scrollWidth - block.clientWidth,
            scripts: document.scripts.length,
            pwned: typeof window.__pwned,
          };
        })()`)) as {
          svgs: number;
          lengths: boolean[];
          titles: string[];
          dashed: string | null;
          overflow: number;
          scripts: number;
          pwned: string;
        };
        assert.equal(found.svgs, 4, 'count and exchange time for two products');
        assert.ok(found.lengths.length >= 6 && found.lengths.every(Boolean), 'every path parsed');
        assert.ok(found.dashed !== null && found.dashed !== 'none', `dashed: ${found.dashed}`);
        assert.ok(found.overflow <= 0, `the history block overflows by ${found.overflow} px`);
        assert.ok(found.titles.some((t) => t.startsWith(`${HOSTILE.slug}: client count`)));
        assert.equal(
          found.scripts,
          0,
          'no script at all: ?refresh=0 leaves out the refresh script',
        );
        assert.equal(found.pwned, 'undefined');
        assert.deepEqual(incidents, []);
        assert.deepEqual(await cspViolations(page), []);
        const block = page.locator('.host-history');
        await block.screenshot({ path: join(OUTPUT_DIR, `history-${width}.png`) });
      } finally {
        await context.close();
      }
    });
  }
});
