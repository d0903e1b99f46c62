/**
 * `kms-monitor demo` for the browser tests: wait until its monitor has finished the first
 * sweep (every host with its TCP result and every product its first exchange), so what
 * the page shows is settled.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { DEMO_PLANNED_PRODUCTS, DEMO_PRODUCTS } from '../../src/lab/demo-scenarios.js';
import type { StatusView } from '../../src/monitor/status-view.js';
import { startServer, type RunningServer } from '../helpers/cli.js';
import { demoHosts } from '../helpers/demo-expectations.js';
import { launchBrowser } from './browser.js';

export async function waitFor<T>(
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

/** Every product the demo probes: today's and the planned ones. */
const PROBED = [...DEMO_PRODUCTS, ...DEMO_PLANNED_PRODUCTS];

/** The view once every host has its TCP result and every product its first exchange. */
export async function settledView(url: string): Promise<StatusView> {
  return waitFor('the first KMS sweep', async () => {
    if ((await fetch(`${url}/-/ready`)).status !== 200) return undefined;
    const view = (await (await fetch(`${url}/api/v1/status`)).json()) as StatusView;
    const complete =
      view.hosts.length === demoHosts().length &&
      view.hosts.every((h) => h.tcp !== null && h.products.length === PROBED.length);
    return complete ? view : undefined;
  });
}

/** The demo, settled, and a Chromium to look at it: what the page suites start first. */
export interface DemoInBrowser {
  server: RunningServer;
  view: StatusView;
  browser: Browser;
}

export async function openDemoInBrowser(): Promise<DemoInBrowser> {
  const server = await startServer('demo', [], 90_000);
  const view = await settledView(server.url);
  return { server, view, browser: await launchBrowser() };
}

/** Closes Chromium and stops the demo, which must exit cleanly. */
export async function closeDemoInBrowser(demo: Partial<DemoInBrowser>): Promise<void> {
  await demo.browser?.close();
  if (demo.server) assert.equal(await demo.server.stop(), 0, 'the demo stops cleanly');
}
