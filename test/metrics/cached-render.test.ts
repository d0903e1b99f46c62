import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gauge, Registry } from 'prom-client';
import { cachedMetrics } from '../../src/metrics/cached-render.js';
import { ExporterStatus } from '../../src/metrics/exporter-status.js';
import { processMetricsRegistry } from '../../src/metrics/process-metrics.js';
import { renderExporterMetrics, renderStateMetrics } from '../../src/metrics/render.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';
import { RICH_PRODUCTS, richState } from './rich-state.js';

test('the state families render again only when the state or the products change', async () => {
  const state = richState();
  let products = RICH_PRODUCTS;
  const process = new Registry();
  let processRenders = 0;
  new Gauge({
    name: 'process_example',
    help: 'process',
    registers: [process],
    collect() {
      this.set(++processRenders);
    },
  });
  const exporter = new ExporterStatus();
  exporter.configReloaded(true);
  const metrics = cachedMetrics({ state, products: () => products, exporter, process });

  assert.match(await metrics.render(), /^kms_targets_truncated 1$/m);
  // A change that does not bump the generation is not seen: the text is the cached one.
  state.hostsCut = 5;
  const second = await metrics.render();
  assert.match(second, /^kms_targets_truncated 1$/m);
  // Process and exporter families move on every scrape all the same.
  assert.match(second, /^process_example 2$/m);
  exporter.configReloaded(false);
  assert.match(await metrics.render(), /^kms_exporter_config_last_reload_successful 0$/m);

  state.generation++;
  assert.match(await metrics.render(), /^kms_targets_truncated 5$/m);
  state.hostsCut = 6;
  products = RICH_PRODUCTS.slice(0, 1);
  const reloaded = await metrics.render();
  assert.match(reloaded, /^kms_targets_truncated 6$/m);
  assert.doesNotMatch(reloaded, /kms_activation_threshold\{product="office-2016"\}/);
  assert.equal(metrics.contentType, process.contentType);
});

test('the page is the state families, the process families, then the exporter families', async () => {
  const state = richState();
  const exporter = new ExporterStatus();
  exporter.configReloaded(true);
  const process = processMetricsRegistry();
  const page = await cachedMetrics({
    state,
    products: () => RICH_PRODUCTS,
    exporter,
    process,
  }).render();
  const stateText = renderStateMetrics(state, RICH_PRODUCTS);
  const exporterText = renderExporterMetrics(exporter);
  assert.ok(page.startsWith(`${stateText}\n# HELP process_`), 'state families first');
  assert.ok(page.endsWith(`\n\n${exporterText}\n`), 'exporter families last');
  assert.match(page, /^nodejs_heap_size_total_bytes \d+/m);
  // The _total gauges prom-client adds are left out (promtool objects to them).
  assert.doesNotMatch(page, /^nodejs_active_handles_total/m);
  const lint = promtoolCheckMetrics(page);
  assert.ok(lint.ok, lint.output);
});
