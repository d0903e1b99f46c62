// The declarations are the truth of /metrics: names unique and well formed, and every
// sample carrying exactly its family's declared labels, in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExporterStatus } from '../../src/metrics/exporter-status.js';
import { EXPORTER_FAMILIES, STATE_FAMILIES } from '../../src/metrics/families/index.js';
import { renderExporterMetrics, renderStateMetrics } from '../../src/metrics/render.js';
import { SYNTHETIC_PRODUCTS, syntheticState } from '../../bench/lib/synthetic-state.js';
import { parseMetrics } from '../helpers/metrics.js';
import { RICH_PRODUCTS, richState } from './rich-state.js';

const FAMILIES = [...STATE_FAMILIES, ...EXPORTER_FAMILIES];

test('family names are unique, kms_ prefixed, and _total exactly for counters', () => {
  const names = FAMILIES.map((f) => f.name);
  assert.equal(new Set(names).size, names.length, 'a name declared twice');
  for (const f of FAMILIES) {
    assert.match(f.name, /^kms_[a-z0-9_]+$/);
    assert.equal(f.name.endsWith('_total'), f.type === 'counter', f.name);
    assert.equal(new Set(f.labels).size, f.labels.length, `${f.name}: a label twice`);
    assert.ok(f.help.length > 0, `${f.name}: no HELP`);
  }
});

test('every sample carries exactly the labels its family declares, in order', () => {
  const exporter = new ExporterStatus();
  exporter.configReloaded(true);
  const texts = [
    renderStateMetrics(richState(), RICH_PRODUCTS),
    renderStateMetrics(syntheticState(40), SYNTHETIC_PRODUCTS),
    renderExporterMetrics(exporter),
  ];
  const byName = new Map(FAMILIES.map((f) => [f.name, f]));
  const seen = new Set<string>();
  for (const sample of texts.flatMap((t) => parseMetrics(t))) {
    const family = byName.get(sample.name);
    assert.ok(family, `${sample.name} is not declared`);
    assert.deepEqual(Object.keys(sample.labels), family.labels, sample.name);
    seen.add(sample.name);
  }
  // The rich state leaves no family without a sample, so the check above covers them all.
  assert.deepEqual(
    FAMILIES.map((f) => f.name).filter((n) => !seen.has(n)),
    [],
    'families without samples in the rich state',
  );
});
