// SeriesLabels across renders: a host's and a lookup's series are the same objects from one
// render to the next (the kept families find unchanged series by identity), their label
// bytes made once, and what a render no longer names is forgotten at its end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SrvLookupResult } from '../../src/dns/index.js';
import type { KmsProductResult } from '../../src/kms/client/index.js';
import { SeriesLabels } from '../../src/metrics/series-labels.js';
import type { HostState } from '../../src/monitor/state.js';

// Only the fields SeriesLabels reads: a host's target, a result's product, a lookup's names.
const host = (name: string, port = 1688) =>
  ({ target: { key: `${name}:${port}`, host: name, port } }) as unknown as HostState;
const result = (product: string) => ({ product }) as unknown as KmsProductResult;
const lookup = (domain: string, resolver: string) =>
  ({ domain, resolver }) as unknown as SrvLookupResult;

test('series are kept from render to render, with their label bytes', () => {
  const labels = new SeriesLabels();
  const a = host('kms1.corp.example');
  const first = labels.host(a);
  const windows = labels.result(first, result('windows'));
  const corp = labels.lookup(lookup('corp.example', '127.0.0.1:53'));
  labels.renderDone();

  const again = labels.host(host('kms1.corp.example'));
  assert.equal(again.series, first.series);
  assert.equal(labels.result(again, result('windows')), windows);
  assert.equal(labels.lookup(lookup('corp.example', '127.0.0.1:53')), corp);
  assert.equal(Buffer.from(first.series.labels).toString(), 'host="kms1.corp.example",port="1688"');
  assert.equal(
    Buffer.from(corp.labels).toString(),
    'domain="corp.example",resolver="127.0.0.1:53"',
  );
  labels.renderDone();
});

test('what a render does not name is forgotten at its end, and made anew if it returns', () => {
  const labels = new SeriesLabels();
  const kept = labels.host(host('kms1.corp.example'));
  const gone = labels.host(host('kms2.corp.example'));
  const keptLookup = labels.lookup(lookup('corp.example', '127.0.0.1:53'));
  const goneLookup = labels.lookup(lookup('corp.example', '127.0.0.2:53'));
  labels.lookup(lookup('old.example', '127.0.0.1:53'));
  labels.renderDone();

  // The next render names one host and one lookup of each kind only.
  assert.equal(labels.host(host('kms1.corp.example')).series, kept.series);
  assert.equal(labels.lookup(lookup('corp.example', '127.0.0.1:53')), keptLookup);
  labels.renderDone();
  assert.ok(labels.hostLabels('kms1.corp.example:1688', 'kms1.corp.example', 1688));
  assert.equal(labels.hostLabels('kms2.corp.example:1688', 'kms2.corp.example', 1688), undefined);

  // Back in a later render: new series objects, as for a host never seen.
  assert.notEqual(labels.host(host('kms2.corp.example')).series, gone.series);
  assert.notEqual(labels.lookup(lookup('corp.example', '127.0.0.2:53')), goneLookup);
  labels.renderDone();
});

test('a host whose name or port changed under the same key gets new label bytes', () => {
  const labels = new SeriesLabels();
  const before = labels.host(host('kms1.corp.example', 1688));
  labels.renderDone();
  const moved = {
    target: { key: 'kms1.corp.example:1688', host: 'kms1.corp.example', port: 1689 },
  } as unknown as HostState;
  const after = labels.host(moved);
  assert.notEqual(after.series, before.series);
  assert.equal(Buffer.from(after.series.labels).toString(), 'host="kms1.corp.example",port="1689"');
  labels.renderDone();
});
