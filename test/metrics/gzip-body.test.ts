/**
 * The gzip body of /metrics after one result (cached-render.ts, gzip-members.ts): its
 * members are those of the body before except the parts that result's series are in and
 * the families written whole, so the scrape compresses a small share of the text, and the
 * members decompress to a render from scratch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { Registry } from 'prom-client';
import { cachedMetrics } from '../../src/metrics/cached-render.js';
import { ExporterStatus } from '../../src/metrics/exporter-status.js';
import { renderStateMetrics } from '../../src/metrics/render.js';
import { SYNTHETIC_PRODUCTS, syntheticState } from '../../bench/lib/synthetic-state.js';

/** The state's members of a gzip scrape (the last member is the fresh tail). */
async function stateMembers(metrics: ReturnType<typeof cachedMetrics>): Promise<Buffer[]> {
  return (await metrics.body('gzip')).slice(0, -1);
}

/**
 * What `after` compressed that `before` had not: the share of the text, and the sizes of
 * the new members of per-series families' samples (those start with a sample, not a HELP).
 */
function compressedAgain(before: readonly Buffer[], after: readonly Buffer[]) {
  const had = new Set(before);
  let fresh = 0;
  let all = 0;
  const sampleParts: number[] = [];
  for (const member of after) {
    const text = gunzipSync(member);
    all += text.length;
    if (had.has(member)) continue;
    fresh += text.length;
    if (!/^\n*#/.test(text.subarray(0, 10).toString())) sampleParts.push(text.length);
  }
  return { share: fresh / all, sampleParts };
}

/** Only parts of a few families, none larger than a part, and a small share in all. */
function assertFew({ share, sampleParts }: ReturnType<typeof compressedAgain>, what: string) {
  // The families written whole every time (counts, domain status, findings: ~3 % of the
  // text at this size) are compressed again; of the per-series families, the one part per family the
  // changed series is in (256 KiB, a series past the cut): after a KMS result, the 7
  // result families and the host's 3 (a result bumps the host's version).
  assert.ok(share < 0.2, `${what}: ${(share * 100).toFixed(1)} % of the text compressed again`);
  assert.ok(sampleParts.length > 0 && sampleParts.length <= 12, `${what}: ${sampleParts}`);
  assert.ok(
    sampleParts.every((n) => n < 270 << 10),
    `${what}: parts of ${sampleParts} bytes`,
  );
}

test('after one TCP or one KMS result the gzip scrape compresses only a small share of the text', async () => {
  const state = syntheticState(8000);
  const metrics = cachedMetrics({
    state,
    products: () => SYNTHETIC_PRODUCTS,
    exporter: new ExporterStatus(),
    process: new Registry(),
  });
  const first = await stateMembers(metrics);
  assert.ok(first.length > 50, `${first.length} members`);
  const [key, host] = [...state.hosts.entries()][1234]!;
  state.recordTcp(key, { ...host.tcp!, durationSeconds: 0.123456 });
  const second = await stateMembers(metrics);
  assert.equal(
    gunzipSync(Buffer.concat(second)).toString(),
    renderStateMetrics(state, SYNTHETIC_PRODUCTS),
  );
  assertFew(compressedAgain(first, second), 'after a TCP result');
  // A connect time moves no verdict: the largest of the evaluation's families (one sample
  // per domain and product) is not compressed again.
  const had = new Set(first);
  const fresh = second.filter((m) => !had.has(m)).map((m) => gunzipSync(m).toString());
  assert.ok(
    fresh.every((text) => !text.includes('kms_domain_product_working_hosts{')),
    'kms_domain_product_working_hosts compressed again after a TCP result',
  );

  const result = [...host.products.values()][0]!;
  state.recordKms(key, { ...result, durationSeconds: 0.0421 });
  const third = await stateMembers(metrics);
  assert.equal(
    gunzipSync(Buffer.concat(third)).toString(),
    renderStateMetrics(state, SYNTHETIC_PRODUCTS),
  );
  assertFew(compressedAgain(second, third), 'after a KMS result');
});
