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

test('a list made anew with one entry replaced writes that series again and slices the rest', () => {
  // The evaluation's lists (verdicts, coverage) are new arrays per evaluation holding the
  // objects of the parts it kept: one domain's new verdict must not write all of them.
  interface Verdict {
    domain: string;
    working: number;
  }
  const input = {
    verdicts: Array.from({ length: 2000 }, (_, i): Verdict => ({
      domain: `d${i}.test`,
      working: 2,
    })),
  };
  const family = listFamily<typeof input, Verdict>({
    name: 'test_working_hosts',
    help: 'a family of the test',
    labels: ['domain'],
    series: {
      list: (i) => i.verdicts,
      subject: (v) => v,
      version: () => 0,
      write: (_i, v, out) => out.labelled(`domain="${v.domain}"`, v.working),
    },
  });
  const kept = new KeptFamilies<typeof input>();
  const pool = new ChunkPool(64 << 10);
  const before = kept.write([family], input, pool);
  const chunks = new Set(before.text.map((b) => b.buffer));
  input.verdicts = input.verdicts.slice();
  input.verdicts[1234] = { domain: 'd1234.test', working: 0 };
  const after = kept.write([family], input, pool);
  const text = Buffer.concat(after.text).toString();
  assert.match(text, /\ntest_working_hosts\{domain="d1234\.test"\} 0\n/);
  assert.equal((text.match(/\} 2(\n|$)/g) ?? []).length, 1999);
  // The samples of the other 1,999 domains are the previous body's bytes, not new ones.
  const samples = after.text.filter((b) => !b.toString('latin1', 0, 3).includes('#'));
  const shared = samples.filter((b) => chunks.has(b.buffer));
  const sharedBytes = shared.reduce((n, b) => n + b.length, 0);
  const allBytes = samples.reduce((n, b) => n + b.length, 0);
  assert.ok(sharedBytes > 0.95 * allBytes, `${sharedBytes} of ${allBytes} bytes kept`);
});
