// The wiring of overruns in the running monitor: a real host slower than the interval
// makes `serve` count an overrun, log it and export it. The schedule itself (when the
// next round starts, that rounds never overlap, how overruns are counted) is tested on a
// fake clock in poller.test.ts; here the bounds are loose on purpose: the host takes
// twice the interval, and every check is a lower bound or a count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLabKmsHost } from '../../src/lab/index.js';
import { startServer } from '../helpers/cli.js';
import { eventually, scrape, valueOf } from '../helpers/metrics.js';
import { labProducts, writeConfig } from './lab-setup.js';

test('serve counts, logs and exports a round slower than the interval', async () => {
  const host = await startLabKmsHost({ counts: { windows: 30 }, delays: { response: 2000 } });
  const config = writeConfig({
    interval: '1s',
    kms_interval: '1s',
    timeout: '5s',
    hosts: [`127.0.0.1:${host.port}`],
    products: labProducts(['lab-windows']),
  });
  const server = await startServer('serve', [`--config.file=${config}`]);
  let maxConcurrent = 0;
  const sampler = setInterval(() => {
    maxConcurrent = Math.max(maxConcurrent, host.stats().activeConnections);
  }, 20);
  try {
    const m = await eventually(
      'an overrun counted',
      async () => {
        const now = await scrape(server.url);
        return valueOf(now, 'kms_poll_overruns_total') >= 1 ? now : undefined;
      },
      60_000,
    );
    assert.ok(valueOf(m, 'kms_poll_duration_seconds') >= 2);
    assert.equal(valueOf(m, 'kms_probe_success', { product: 'lab-windows' }), 1);
    // One host: a second connection would mean two rounds ran side by side.
    assert.ok(maxConcurrent <= 1, `${maxConcurrent} connections at once`);
    assert.match(server.logs(), /round took longer than the interval/);
  } finally {
    clearInterval(sampler);
    assert.equal(await server.stop(), 0);
    await host.close();
  }
});
