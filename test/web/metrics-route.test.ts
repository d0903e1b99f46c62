// GET /metrics over real HTTP: gzip when the client accepts it (the same text once
// decompressed, compressed once per state version), plain otherwise, and HEAD answering
// the headers without rendering a body.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { cachedMetrics } from '../../src/metrics/cached-render.js';
import { ExporterStatus } from '../../src/metrics/exporter-status.js';
import { renderStateMetrics } from '../../src/metrics/render.js';
import type { MetricsSource } from '../../src/metrics/source.js';
import type { MonitorState } from '../../src/monitor/state.js';
import { acceptsGzip } from '../../src/web/accept-encoding.js';
import { createWebServer, type WebServer } from '../../src/web/server.js';
import { NO_WEB_CONFIG } from '../../src/web/web-config.js';
import { RICH_PRODUCTS, richState } from '../metrics/rich-state.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function send(port: number, method: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: '/metrics', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('acceptsGzip', () => {
  it('reads the codings and their q values', () => {
    assert.equal(acceptsGzip('gzip'), true);
    assert.equal(acceptsGzip('deflate, gzip;q=0.5'), true);
    assert.equal(acceptsGzip('identity, *;q=1'), true);
    assert.equal(acceptsGzip('GZIP'), true);
    assert.equal(acceptsGzip(undefined), false);
    assert.equal(acceptsGzip(''), false);
    assert.equal(acceptsGzip('identity'), false);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip('gzip;q=0, *'), false);
    assert.equal(acceptsGzip('*;q=0, gzip'), true);
    assert.equal(acceptsGzip(['identity', 'x-gzip']), true);
    assert.equal(acceptsGzip('gzip;q=0.000, deflate'), false);
    assert.equal(acceptsGzip('x-gzip'), true);
    assert.equal(acceptsGzip(['br', 'gzip']), true);
  });
});

describe('GET and HEAD /metrics', () => {
  let state: MonitorState;
  let source: MetricsSource;
  let server: WebServer;
  let port: number;
  /** Bodies asked of the source: a HEAD must ask for none. */
  let stateRenders = 0;
  before(async () => {
    state = richState();
    const exporter = new ExporterStatus();
    exporter.configReloaded(true);
    const inner = cachedMetrics({
      state,
      products: () => RICH_PRODUCTS,
      exporter,
      process: new Registry(),
    });
    source = {
      contentType: inner.contentType,
      render: () => inner.render(),
      body: (encoding) => {
        stateRenders++;
        return inner.body(encoding);
      },
    };
    server = await createWebServer({
      logger: pino({ level: 'silent' }),
      webConfig: NO_WEB_CONFIG,
      metrics: source,
      lifecycle: { isReady: () => true, reload: async () => ({ ok: true }) },
      maxConnections: 16,
    });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    port = (server.app.server.address() as AddressInfo).port;
  });
  after(async () => {
    await server.close(1000);
  });

  it('sends the text plainly to a client that does not ask for gzip', async () => {
    const plain = await send(port, 'GET');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers['vary'], 'Accept-Encoding');
    assert.equal(Number(plain.headers['content-length']), plain.body.length);
    assert.equal(plain.body.toString(), await source.render());
    assert.ok(plain.body.toString().startsWith(renderStateMetrics(state, RICH_PRODUCTS)));
  });

  it('gzips for a client that accepts it: the same text once decompressed', async () => {
    const plain = await send(port, 'GET', { 'accept-encoding': 'identity' });
    const zipped = await send(port, 'GET', { 'accept-encoding': 'gzip, deflate' });
    assert.equal(zipped.status, 200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(Number(zipped.headers['content-length']), zipped.body.length);
    assert.ok(zipped.body.length < plain.body.length / 3, 'compressed');
    assert.equal(gunzipSync(zipped.body).toString(), plain.body.toString());
    // A client refusing gzip with q=0 gets plain text.
    const refused = await send(port, 'GET', { 'accept-encoding': 'gzip;q=0' });
    assert.equal(refused.headers['content-encoding'], undefined);
  });

  it('compresses the state text once per state version, again after a change', async () => {
    // The last member is the fresh tail (process and exporter families).
    const stateMembers = async () => (await source.body('gzip')).slice(0, -1);
    const first = await stateMembers();
    const second = await stateMembers();
    assert.ok(
      first.length > 0 && first.every((member, i) => member === second[i]),
      'the same compressed buffers are reused',
    );
    state.hostsCut = 7;
    state.generation++;
    const changed = await stateMembers();
    assert.ok(
      changed.some((member) => !first.includes(member)),
      'what changed is compressed again',
    );
    assert.match(gunzipSync(Buffer.concat(changed)).toString(), /^kms_targets_truncated 7$/m);
    const plain = (await source.body('identity')).slice(0, -1);
    assert.equal(Buffer.concat(plain).toString(), gunzipSync(Buffer.concat(changed)).toString());
  });

  it('answers HEAD with the headers and no body, without building one', async () => {
    const before = stateRenders;
    const head = await send(port, 'HEAD', { 'accept-encoding': 'gzip' });
    assert.equal(head.status, 200);
    assert.match(String(head.headers['content-type']), /^text\/plain/);
    assert.equal(head.body.length, 0);
    assert.equal(stateRenders, before, 'HEAD asked the source for no body');
    await send(port, 'GET');
    assert.equal(stateRenders, before + 1, 'GET did');
  });
});
