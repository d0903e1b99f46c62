import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLabKmsHost } from '../../src/lab/index.js';
import { startServer } from '../helpers/cli.js';
import { eventually, scrape, valueOf } from '../helpers/metrics.js';
import { labProducts, writeConfig } from './lab-setup.js';

test('a round slower than the interval delays the next one and is counted, never doubled', async () => {
  // Every answer takes 1.5 s, the interval is 1 s: each round overruns.
  const host = await startLabKmsHost({ counts: { windows: 30 }, delays: { response: 1500 } });
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
      'three rounds done',
      async () => {
        const now = await scrape(server.url);
        return valueOf(now, 'kms_poll_rounds_total') >= 3 ? now : undefined;
      },
      60_000,
    );
    const rounds = valueOf(m, 'kms_poll_rounds_total');
    assert.ok(valueOf(m, 'kms_poll_overruns_total') >= rounds - 1, 'overruns counted');
    assert.ok(valueOf(m, 'kms_poll_duration_seconds') >= 1.5);
    assert.equal(valueOf(m, 'kms_probe_success', { product: 'lab-windows' }), 1);
    // One host, one connection at a time: rounds never ran side by side.
    assert.equal(maxConcurrent, 1);
    assert.match(server.logs(), /round took longer than the interval/);
  } finally {
    clearInterval(sampler);
    assert.equal(await server.stop(), 0);
    await host.close();
  }
});
