/**
 * The render after one result writes only what it changed (src/metrics/kept-families.ts):
 * the buffers of families none of whose series changed are the previous body's own, those
 * of the families of the changed host differ, and the text equals a render from scratch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkPool } from '../../src/metrics/byte-sink.js';
import { KeptFamilies } from '../../src/metrics/kept-families.js';
import { renderStateMetrics, writeKeptStateMetrics } from '../../src/metrics/render.js';
import { SeriesLabels } from '../../src/metrics/series-labels.js';
import type { StateScrape } from '../../src/metrics/state-scrape.js';
import { RICH_PRODUCTS, richState } from './rich-state.js';

/** The family a buffer of a body starts, by its HELP line; '' for a run of samples. */
function familyOf(buffer: Buffer): string {
  return /^\n*# HELP (\S+)/.exec(buffer.subarray(0, 200).toString())?.[1] ?? '';
}

test('after one TCP result only the host families and the whole-written ones are new buffers', () => {
  const state = richState();
  const labels = new SeriesLabels();
  const kept = new KeptFamilies<StateScrape>();
  const pool = new ChunkPool();
  const render = () => writeKeptStateMetrics(state, RICH_PRODUCTS, labels, kept, pool).text;
  const before = render();
  const [key, host] = [...state.hosts.entries()][1]!;
  state.recordTcp(key, { ...host.tcp!, durationSeconds: 0.123456 });
  const after = render();
  assert.equal(Buffer.concat(after).toString(), renderStateMetrics(state, RICH_PRODUCTS));

  // A per-series family is its head then its samples: name each samples buffer by its head.
  const named = (body: Buffer[]) => {
    const out = new Map<string, Buffer>();
    body.forEach((b, i) => {
      const name = familyOf(b);
      const next = body[i + 1];
      if (name !== '' && next !== undefined && familyOf(next) === '' && b.length < 4096)
        out.set(name, next);
    });
    return out;
  };
  const was = named(before);
  const now = named(after);
  assert.ok(now.size >= 10, `per-series families found: ${[...now.keys()].join(', ')}`);
  // The host's connect time moved: its family is written again; no result moved.
  assert.notEqual(
    now.get('kms_host_connect_duration_seconds'),
    was.get('kms_host_connect_duration_seconds'),
  );
  for (const name of [
    'kms_host_info',
    'kms_probe_success',
    'kms_host_active_clients',
    'kms_srv_lookup_success',
  ])
    assert.equal(now.get(name), was.get(name), `${name} kept as it was`);
});
