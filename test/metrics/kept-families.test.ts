/**
 * The render after one result writes only what it changed (src/metrics/kept-families.ts):
 * the buffers of families none of whose series changed are the previous body's own, those
 * of the families of the changed host differ, and the text equals a render from scratch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkPool } from '../../src/metrics/byte-sink.js';
import { listFamily } from '../../src/metrics/family.js';
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

test('a render that writes every family again writes into the chunks of the body it replaces', () => {
  // 20 families of 1,000 series in a pool of 64 KiB chunks: a body of ~20 chunks, every
  // series new at each render (a round's end). Once the previous body is let go, each of
  // its chunks comes back as the render passes it, so two renders need little more than
  // one body's chunks; held as one group, they came back only after the whole render.
  interface Series {
    id: number;
    subject: object;
  }
  const input = { round: 0, series: [] as Series[] };
  const renew = () => {
    input.round++;
    input.series = Array.from({ length: 1000 }, (_, id) => ({ id, subject: {} }));
  };
  const families = Array.from({ length: 20 }, (_, f) =>
    listFamily<typeof input, Series>({
      name: `test_family_${f}`,
      help: 'a family of the test',
      labels: ['host'],
      series: {
        list: (i) => i.series,
        subject: (s) => s.subject,
        version: () => 0,
        write: (i, s, out) => out.labelled(`host="kms-${s.id}.example.test"`, i.round),
      },
    }),
  );
  const kept = new KeptFamilies<typeof input>();
  const pool = new ChunkPool(64 << 10);
  const chunksOf = (body: Buffer[]) =>
    new Set(body.map((b) => b.buffer).filter((m) => m.byteLength === 64 << 10));
  renew();
  const first = kept.write(families, input, pool);
  const before = chunksOf(first.text);
  assert.ok(before.size >= 12, `the body fills ${before.size} chunks`);
  first.release();
  renew();
  const second = kept.write(families, input, pool);
  const after = chunksOf(second.text);
  const both = new Set([...before, ...after]);
  assert.ok(
    both.size <= before.size + 2,
    `two renders used ${both.size} chunks for bodies of ${before.size} and ${after.size}`,
  );
  // And nothing the second body reads was written over: its text is the second round's.
  const text = Buffer.concat(second.text).toString();
  assert.equal((text.match(/ 2\n/g) ?? []).length + (text.endsWith(' 2') ? 1 : 0), 20_000);
  assert.doesNotMatch(text, / 1(\n|$)/);
});
