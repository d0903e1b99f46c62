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
import { ExporterStatus } from '../../src/metrics/exporter-status.js';
import { renderExporterMetrics, renderStateMetrics } from '../../src/metrics/render.js';
import { MonitorState } from '../../src/monitor/state.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';
import { RICH_PRODUCTS, richState } from './rich-state.js';

/** Each case: a golden file and the state it renders. */
const CASES = [
  { file: 'metrics.prom', state: richState },
  // Before the first round: families without series still say HELP and TYPE.
  { file: 'metrics-empty.prom', state: () => new MonitorState() },
];

/** /metrics as cached-render.ts writes it, less the process families between the two parts. */
function goldenText(state: MonitorState): string {
  // Fixed versions: the file must not change with a release or a Node.js update.
  const exporter = new ExporterStatus('1.2.3-golden', '22.0.0');
  exporter.configReloaded(true, new Date(Date.UTC(2025, 0, 2, 3, 0, 0)));
  exporter.configReloaded(false);
  return `${renderStateMetrics(state, RICH_PRODUCTS)}\n${renderExporterMetrics(exporter)}\n`;
}

for (const { file, state } of CASES) {
  test(`the metrics of ${file} are the golden file, and promtool accepts them`, () => {
    const golden = new URL(`./golden/${file}`, import.meta.url);
    const text = goldenText(state());
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, text);
    assert.equal(text, readFileSync(golden, 'utf8'));
    const lint = promtoolCheckMetrics(text);
    assert.ok(lint.ok, lint.output);
  });
}
