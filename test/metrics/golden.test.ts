/**
 * The /metrics text of a fixed rich state (rich-state.ts) must equal
 * test/metrics/golden/metrics.prom byte for byte, and pass `promtool check metrics`.
 * The process_* and nodejs_* families are left out: their values are the test process's.
 *
 * A deliberate change of the text (a new family, a new HELP): regenerate the file with
 *   UPDATE_GOLDEN=1 npm test -- test/metrics/golden.test.ts
 * and read the diff before committing it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { DirectRenderer } from '../../src/metrics/direct-render.js';
import { registerExporterMetrics } from '../../src/metrics/exporter-metrics.js';
import { registerMonitorMetrics } from '../../src/metrics/monitor-metrics.js';
import { createSrvMetrics } from '../../src/metrics/srv-metrics.js';
import { MonitorState } from '../../src/monitor/state.js';
import { VERSION } from '../../src/version.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';
import { RICH_PRODUCTS, richState } from './rich-state.js';

/** Each case: a golden file and the state it renders. */
const CASES = [
  { file: 'metrics.prom', state: richState },
  // Before the first round: families without series still say HELP and TYPE.
  { file: 'metrics-empty.prom', state: () => new MonitorState() },
];

async function render(state: MonitorState): Promise<string> {
  const registry = new Registry();
  registerMonitorMetrics(registry, state, () => RICH_PRODUCTS);
  for (const gauge of createSrvMetrics(() => [...state.domains.values()].flatMap((d) => d.lookups)))
    registry.registerMetric(gauge);
  const exporter = new Registry();
  const reloads = registerExporterMetrics(exporter);
  reloads.configReloaded(true, new Date(Date.UTC(2025, 0, 2, 3, 0, 0)));
  reloads.configReloaded(false);
  const exporterText = (
    await Promise.all(
      [
        'kms_exporter_build_info',
        'kms_exporter_config_last_reload_successful',
        'kms_exporter_config_last_reload_success_timestamp_seconds',
      ].map((name) => exporter.getSingleMetricAsString(name)),
    )
  )
    .join('\n\n')
    .replace(`version="${VERSION}"`, 'version="1.2.3-golden"')
    .replace(`nodejs_version="${process.versions.node}"`, 'nodejs_version="22.0.0"');
  return `${new DirectRenderer(registry).render(state, RICH_PRODUCTS)}\n${exporterText}\n`;
}

for (const { file, state } of CASES) {
  test(`the metrics of ${file} are the golden file, and promtool accepts them`, async () => {
    const golden = new URL(`./golden/${file}`, import.meta.url);
    const text = await render(state());
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, text);
    assert.equal(text, readFileSync(golden, 'utf8'));
    const lint = promtoolCheckMetrics(text);
    assert.ok(lint.ok, lint.output);
  });
}
