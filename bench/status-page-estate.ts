/**
 * The status page at estate scale (issue 17): a synthetic estate of 1,000 domains × 2
 * hosts × 3 products (bench/status-page-view.ts: hosts down, a refused product, counts
 * below N, disagreeing resolvers, failed lookups, a full probe log), served over loopback
 * HTTP by today's routes and, in the same run, by the routes of the start commit of this
 * work (BASELINE_COMMIT, extracted with `git archive` into test-output/ and loaded as it
 * was: its own renderer and evaluate). Figures for GET /: HTML and gzip bytes, the
 * server's time per request (fastify's reply.elapsedTime, render and gzip included),
 * and in Chromium the DOM element count, the load time (navigation start to the load
 * event) and the page height at 1280 px.
 *
 * Goals (issue 17): / under 150 KB gzipped and under 100 ms of server time at this scale.
 *
 *   npm run bench -- status-page-estate    node --import tsx bench/status-page-estate.ts
 *   [--domains 1000] [--runs 10]; BENCH_BASELINE_COMMIT=<commit> picks another baseline.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import type { StatusView } from '../src/monitor/status-view.js';
import { statusPageRoutes, type StatusPageSource } from '../src/web/status-page/routes.js';
import { launchBrowser } from '../test/browser/browser.js';
import { benchMain } from './lib/main.js';
import { commandFor, figure, median, type BenchReport, type Figure } from './lib/figures.js';
import { syntheticView } from './status-page-view.js';
import { get } from './lib/http-get.js';

const BENCH = 'status-page-estate';
const REPO = fileURLToPath(new URL('../', import.meta.url));
/** The commit before issue 17's page: `/` lists every domain section and host card. */
const BASELINE_COMMIT = process.env['BENCH_BASELINE_COMMIT'] ?? '27bcae8';

type Routes = (source: StatusPageSource) => (app: FastifyInstance) => Promise<void>;

/** The start commit's src/ under test-output/ (its imports resolve the repo's node_modules). */
async function baselineRoutes(): Promise<Routes> {
  const dir = join(REPO, 'test-output', `baseline-${BASELINE_COMMIT}`);
  if (!existsSync(join(dir, 'src'))) {
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync('git', ['-C', REPO, 'archive', BASELINE_COMMIT, 'src'], {
      maxBuffer: 256 * 1024 * 1024,
    });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
  }
  const url = pathToFileURL(join(dir, 'src/web/status-page/routes.ts')).href;
  const mod = (await import(url)) as { statusPageRoutes: Routes };
  return mod.statusPageRoutes;
}

interface Served {
  html: number;
  gzip: number;
  serverMs: number;
  url: string;
  close: () => Promise<void>;
}

async function serve(routes: Routes, view: StatusView, runs: number): Promise<Served> {
  const app = Fastify();
  const elapsed: number[] = [];
  app.addHook('onResponse', async (_request, reply) => {
    elapsed.push(reply.elapsedTime);
  });
  await app.register(routes(() => view));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const html = await get(`${url}/`);
  const gzip = await get(`${url}/`, { 'accept-encoding': 'gzip' }); // also a warm-up
  elapsed.length = 0;
  for (let i = 0; i < runs; i++) await get(`${url}/`, { 'accept-encoding': 'gzip' });
  return { html, gzip, serverMs: median(elapsed), url, close: () => app.close() };
}

interface InBrowser {
  elements: number;
  loadMs: number;
  heightPx: number;
  /** Where the answer ends: the bottom of the matrix (today) or of the domain list (then). */
  answerPx: number;
}

async function measureInBrowser(
  browser: Awaited<ReturnType<typeof launchBrowser>>,
  url: string,
  runs: number,
): Promise<InBrowser> {
  const loads: number[] = [];
  let elements = 0;
  let heightPx = 0;
  let answerPx = 0;
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    // ?refresh=0: no script, so nothing changes the page while it is measured.
    await page.goto(`${url}/?refresh=0`, { waitUntil: 'load', timeout: 120_000 });
    const m = (await page.evaluate(`(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        load: nav.loadEventEnd - nav.startTime,
        elements: document.getElementsByTagName('*').length,
        height: document.documentElement.scrollHeight,
        answer: (document.querySelector('section.matrix-section') ||
          document.querySelector('section[aria-labelledby="domains-h"]')).getBoundingClientRect().bottom,
      };
    })()`)) as { load: number; elements: number; height: number; answer: number };
    loads.push(m.load);
    elements = m.elements;
    heightPx = m.height;
    answerPx = Math.round(m.answer);
    await context.close();
  }
  return { elements, loadMs: median(loads), heightPx, answerPx };
}

export async function run(options: { domains: number; runs: number }): Promise<BenchReport> {
  const view = syntheticView(options.domains * 2, 2);
  const command = commandFor(BENCH);
  const baselineName = `start commit ${BASELINE_COMMIT}'s page, same view`;
  const failures: string[] = [];
  const now = await serve(statusPageRoutes, view, options.runs);
  const old = await serve(await baselineRoutes(), view, options.runs);
  const browser = await launchBrowser();
  let nowB: InBrowser;
  let oldB: InBrowser;
  try {
    nowB = await measureInBrowser(browser, now.url, 3);
    oldB = await measureInBrowser(browser, old.url, 3);
  } finally {
    await browser.close();
    await now.close();
    await old.close();
  }
  const at = `${options.domains} domains × 2 hosts × 3 products`;
  const pair = (
    key: string,
    name: string,
    value: number,
    base: number,
    unit: string,
    goal?: { text: string; met: boolean },
  ): Figure =>
    figure({
      id: `${BENCH}.${key}`,
      bench: BENCH,
      name: `${name}, ${at}`,
      value,
      unit,
      better: 'lower',
      baseline: { name: baselineName, value: base, unit },
      ...(goal ? { goal } : {}),
      command,
    });
  const gzipKb = now.gzip / 1000;
  const figures = [
    pair('html', 'GET / HTML', now.html / 1000, old.html / 1000, 'kB'),
    pair('gzip', 'GET / gzipped', gzipKb, old.gzip / 1000, 'kB', {
      text: '/ under 150 KB gzipped at 1,000 domains',
      met: gzipKb < 150,
    }),
    pair('server', 'GET / server time (render + gzip)', now.serverMs, old.serverMs, 'ms', {
      text: '/ under 100 ms of server time at 1,000 domains',
      met: now.serverMs < 100,
    }),
    pair('dom', 'DOM elements of / in Chromium', nowB.elements, oldB.elements, 'elements'),
    pair('load', 'Chromium load time of / (to the load event)', nowB.loadMs, oldB.loadMs, 'ms'),
    pair('height', 'height of / at 1280 px', nowB.heightPx, oldB.heightPx, 'px'),
    pair(
      'answer',
      'bottom of the per-domain answer at 1280 px (the matrix; then, the domain sections)',
      nowB.answerPx,
      oldB.answerPx,
      'px',
      { text: 'the matrix within the first 800 px screen', met: nowB.answerPx <= 800 },
    ),
  ];
  if (options.domains >= 1000 && gzipKb >= 150)
    failures.push(`/ is ${gzipKb.toFixed(0)} kB gzipped`);
  return {
    bench: BENCH,
    figures,
    notes: [
      `median of ${options.runs} gzipped GETs (server time) and 3 Chromium loads; ${view.history.length} history entries; load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} CPUs (shared: times are inflated by the load)`,
    ],
    failures,
  };
}

await benchMain(import.meta.url, { domains: 1000, runs: 10 }, run);
