import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gauge, Registry } from 'prom-client';
import { cachedMetrics } from '../../src/metrics/cached-render.js';

test('the state families render again only when the version changes; the process ones every time', async () => {
  const stateRegistry = new Registry();
  const processRegistry = new Registry();
  let stateRenders = 0;
  let processRenders = 0;
  new Gauge({
    name: 'kms_example',
    help: 'state',
    registers: [stateRegistry],
    collect() {
      stateRenders++;
      this.set(stateRenders);
    },
  });
  new Gauge({
    name: 'process_example',
    help: 'process',
    registers: [processRegistry],
    collect() {
      processRenders++;
      this.set(processRenders);
    },
  });
  let version = 1;
  const metrics = cachedMetrics(
    () => stateRegistry.metrics(),
    processRegistry,
    () => [version],
  );
  const first = await metrics.render();
  const second = await metrics.render();
  assert.equal(stateRenders, 1);
  assert.equal(processRenders, 2);
  assert.match(first, /^kms_example 1$/m);
  assert.match(second, /^kms_example 1$/m);
  assert.match(second, /^process_example 2$/m);
  version = 2;
  assert.match(await metrics.render(), /^kms_example 2$/m);
  assert.equal(stateRenders, 2);
  assert.equal(metrics.contentType, processRegistry.contentType);
});
