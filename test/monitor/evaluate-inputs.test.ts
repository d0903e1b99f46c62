/**
 * The comparisons the evaluation memo keeps parts by (src/monitor/evaluate-inputs.ts)
 * follow their field classification: every `read` field of a TCP result, a KMS result and
 * a lookup makes two values differ, no `timing` field does. And evaluate() really ignores
 * the timing fields: the rich state's evaluation is the same with every timing changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/monitor/evaluate.js';
import {
  KMS_FIELDS,
  LOOKUP_FIELDS,
  TCP_FIELDS,
  sameKms,
  sameLookup,
  sameTcp,
} from '../../src/monitor/evaluate-inputs.js';
import { buildStatusView, type StatusView } from '../../src/monitor/status-view.js';
import { RICH_PRODUCTS, richState } from '../metrics/rich-state.js';

/** A value of the same kind as `v` that differs from it. */
function other(v: unknown): unknown {
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'string') return `${v}x`;
  if (typeof v === 'boolean') return !v;
  if (v === null || v === undefined) return { reason: 'timeout', code: null, message: 'm' };
  if (Array.isArray(v)) return [...v, v[0] ?? { host: 'x' }];
  return { ...(v as object), extra: 1 };
}

function checkFields<T extends object>(
  what: string,
  sample: T,
  fields: Record<string, 'read' | 'timing'>,
  same: (a: T, b: T) => boolean,
): void {
  assert.ok(same(sample, { ...sample }), `${what}: a copy is the same`);
  for (const [field, kind] of Object.entries(fields)) {
    const changed = { ...sample, [field]: other((sample as Record<string, unknown>)[field]) };
    assert.equal(same(sample, changed), kind === 'timing', `${what}.${field} (${kind})`);
  }
}

test('the comparisons follow the field classification', () => {
  const view = buildStatusView(richState(), RICH_PRODUCTS, { historyLimit: 0 });
  const host = view.hosts.find((h) => h.tcp?.up && h.products.length > 0)!;
  checkFields('tcp', host.tcp!, TCP_FIELDS, sameTcp);
  checkFields('kms', host.products[0]!, KMS_FIELDS, sameKms);
  const lookup = view.domains.flatMap((d) => d.resolvers).find((r) => r.records.length > 0)!;
  checkFields('lookup', lookup, LOOKUP_FIELDS, sameLookup);
});

/** Every timing field anywhere in the view set to a value of its own. */
function retimed(view: StatusView): StatusView {
  let n = 0;
  const walk = (v: unknown, key: string): unknown => {
    if (key === 'durationSeconds') return 100 + ++n;
    if (key === 'timestamp') return new Date(Date.UTC(2030, 0, 1, 0, 0, ++n)).toISOString();
    if (key === 'phases') return { connect: ++n, bind: ++n, request: ++n };
    if (Array.isArray(v)) return v.map((x) => walk(x, ''));
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
  };
  const out = { ...view, hosts: walk(view.hosts, '') as StatusView['hosts'] };
  out.domains = walk(view.domains, '') as StatusView['domains'];
  assert.ok(n > 20, 'the rich state has timings to change');
  return out;
}

test('evaluate() ignores the timing fields', () => {
  const view = buildStatusView(richState(), RICH_PRODUCTS, { historyLimit: 0 });
  assert.deepEqual(evaluate(retimed(view)), evaluate(view));
});
