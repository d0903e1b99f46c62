// The status page inside the running monitor (src/app/monitor-app.ts registers it): loading it never probes (docs/design.md
// principle 1: probes run on the poller's schedule only), and basic auth from the web
// configuration covers it like every other route.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import bcrypt from 'bcryptjs';
import { startMonitorApp, type MonitorApp } from '../../src/app/monitor-app.js';
import { configSchema } from '../../src/config/schema.js';
import type { KmsProductResult } from '../../src/kms/client/result.js';
import type { Product } from '../../src/kms/products/index.js';
import { labProductConfigs } from '../../src/lab/index.js';
import { createLogger } from '../../src/log/logger.js';
import type { Probers } from '../../src/monitor/poller.js';
import { NO_WEB_CONFIG, type WebConfig } from '../../src/web/web-config.js';

const quiet = createLogger({
  level: 'error',
  format: 'json',
  destination: new Writable({ write: (_chunk, _enc, done) => done() }),
});

/** Probers that answer at once and count every call. */
function countingProbers() {
  const calls = { discover: 0, tcp: 0, kms: 0 };
  const probers: Probers<Product> = {
    discover: async () => {
      calls.discover++;
      return [];
    },
    tcp: async (target) => {
      calls.tcp++;
      const at = new Date().toISOString();
      return {
        host: target.host,
        port: target.port,
        address: '127.0.0.1',
        up: true,
        durationSeconds: 0.001,
        timestamp: at,
        error: null,
      };
    },
    kms: async (target, { products }) => {
      calls.kms++;
      return products.map((p): KmsProductResult => ({
        host: target.host,
        port: target.port,
        address: '127.0.0.1',
        product: p.slug,
        success: true,
        protocol: 6,
        epid: '03612-04573-012-100001-03-1033-20348.0000-0452024',
        hwid: '1AB0C0FFEE000001',
        hostBuild: 20348,
        keyInstallDate: '2024-02-14T00:00:00.000Z',
        activeClients: 30,
        threshold: p.nPolicy,
        activationIntervalMinutes: 120,
        renewalIntervalMinutes: 10080,
        durationSeconds: 0.002,
        phases: {},
        timestamp: new Date().toISOString(),
        error: null,
      }));
    },
  };
  return { probers, calls };
}

async function startApp(webConfig: WebConfig, probers: Probers<Product>): Promise<MonitorApp> {
  const config = configSchema.parse({
    // Hours apart: the first round is the only one during the test.
    interval: '1h',
    kms_interval: '1h',
    hosts: ['kms.page-test.example:1688'],
    products: labProductConfigs().filter((p) => p.slug === 'lab-windows'),
  });
  const app: MonitorApp = await startMonitorApp({
    log: quiet,
    readConfig: async () => config,
    webConfig,
    listenAddress: '127.0.0.1:0',
    readSystem: async () => ({ nameservers: [], search: [] }),
    probers,
  });
  const deadline = Date.now() + 30_000;
  while (!app.state.ready) {
    if (Date.now() > deadline) throw new Error('the first round did not finish');
    await new Promise((r) => setTimeout(r, 20));
  }
  return app;
}

describe('status page in the monitor app', { timeout: 120_000 }, () => {
  it('loading the pages runs no probe: they only read the state', async () => {
    const { probers, calls } = countingProbers();
    const app = await startApp(NO_WEB_CONFIG, probers);
    try {
      const before = { ...calls };
      assert.deepEqual(before, { discover: 1, tcp: 1, kms: 1 }, 'the first round');
      for (let i = 0; i < 20; i++) {
        const page = await fetch(`${app.url}/`);
        assert.equal(page.status, 200);
        assert.match(await page.text(), /kms\.page-test\.example:1688/);
        const host = await fetch(
          `${app.url}/host/${encodeURIComponent('kms.page-test.example:1688')}`,
        );
        assert.equal(host.status, 200);
        await host.text();
      }
      assert.deepEqual(calls, before, 'no probe ran because of a page load');
      assert.equal((await fetch(`${app.url}/host/unknown.example`)).status, 404);
    } finally {
      await app.stop();
    }
  });

  it('with basic_auth_users, / and its static files answer 401 without credentials', async () => {
    const { probers } = countingProbers();
    const users = new Map([['admin', bcrypt.hashSync('s3cret', 4)]]);
    const app = await startApp({ tls: null, users }, probers);
    try {
      for (const path of [
        '/',
        '/host/kms.page-test.example',
        '/static/status.css',
        '/static/refresh.js',
      ]) {
        const res = await fetch(`${app.url}${path}`);
        assert.equal(res.status, 401, path);
        assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="kms-monitor"/);
        await res.text();
      }
      const ok = await fetch(`${app.url}/`, {
        headers: { Authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` },
      });
      assert.equal(ok.status, 200);
      assert.match(ok.headers.get('content-security-policy') ?? '', /^default-src 'none'/);
      await ok.text();
    } finally {
      await app.stop();
    }
  });
});
