// Strict query strings on every route of `serve` (the built CLI): an unknown, misspelt or
// repeated parameter, or a number that is not a plain decimal integer in range, is a 400
// that names the parameter — never silently ignored or coerced.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery, integerParam } from '../../src/web/query.js';
import { startServer, type RunningServer } from '../helpers/cli.js';

describe('parseQuery', () => {
  const spec = { history: integerParam(0, 1000), host: { kind: 'string' as const, maxLength: 5 } };
  it('plain decimal integers in range, strings within their length', () => {
    assert.deepEqual(parseQuery({ history: '17', host: 'a' }, spec), { history: 17, host: 'a' });
    assert.deepEqual(parseQuery({ history: '0' }, spec), { history: 0 });
    assert.deepEqual(parseQuery({}, spec), {});
  });
  it('refuses hex, exponents, signs, blanks, fractions, out of range, repeats and unknown names', () => {
    for (const bad of ['0x10', '1e3', '+5', '-1', ' 7', '7 ', '', '1.5', '1001', '٣', 'Infinity']) {
      assert.throws(() => parseQuery({ history: bad }, spec), {
        message: `query parameter history must be a decimal integer from 0 to 1000, got ${JSON.stringify(bad)}`,
      });
    }
    assert.throws(() => parseQuery({ history: ['1', '2'] }, spec), {
      message: 'query parameter history is given more than once',
    });
    assert.throws(() => parseQuery({ histroy: '3' }, spec), {
      message: 'unknown query parameter "histroy"; it takes history, host',
    });
    assert.throws(() => parseQuery({ constructor: '1' }, spec), {
      message: /unknown query parameter "constructor"/,
    });
    assert.throws(() => parseQuery({ x: '1' }, {}), {
      message: 'unknown query parameter "x"; it takes none',
    });
    assert.throws(() => parseQuery({ host: 'toolong' }, spec), {
      message: /host must be 0 to 5 characters/,
    });
  });
});

describe('every route of serve', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer('serve', []);
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });
  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${server.url}${path}`, init);
    return {
      status: res.status,
      body: await res.text(),
      type: res.headers.get('content-type') ?? '',
    };
  };

  it('/api/v1/status: the README examples are 400s naming the parameter, as JSON', async () => {
    const typo = await get('/api/v1/status?histroy=3');
    assert.equal(typo.status, 400);
    assert.match(typo.type, /^application\/json/);
    assert.deepEqual(JSON.parse(typo.body), {
      error: 'unknown query parameter "histroy"; it takes history, host',
    });
    for (const bad of ['0x10', '1e3', '1001', '-1', '']) {
      const res = await get(`/api/v1/status?history=${encodeURIComponent(bad)}`);
      assert.equal(res.status, 400, bad);
      assert.match(res.body, /query parameter history must be a decimal integer from 0 to 1000/);
    }
    assert.equal((await get('/api/v1/status?history=1&history=2')).status, 400);
    assert.equal((await get('/api/v1/status?history=5')).status, 200);
    // A duration asks for the history series, up to history.retention (7d by default).
    assert.equal((await get('/api/v1/status?history=1h')).status, 200);
    const long = await get('/api/v1/status?history=8d');
    assert.equal(long.status, 400);
    assert.match(long.body, /longer than the history is kept \(history\.retention: 1w\)/);
    assert.equal((await get('/api/v1/status')).status, 200);
    assert.equal((await get('/api/v1/status?host=nowhere.test')).status, 404);
  });

  it('the status page and its assets', async () => {
    const page = await get('/?x=1');
    assert.equal(page.status, 400);
    assert.equal(
      page.body,
      'unknown query parameter "x"; it takes refresh, status, product, domain, page\n',
    );
    assert.equal((await get('/?refresh=0x1')).status, 400);
    assert.equal((await get('/?refresh=30')).status, 200);
    assert.equal((await get('/host/kms.test?refresh=1e1')).status, 400);
    const html = (await get('/')).body;
    const css = /href="(static\/status\.css\?v=[0-9a-f]+)"/.exec(html)?.[1];
    assert.ok(css);
    assert.equal((await get(`/${css}`)).status, 200, 'the link the page itself makes');
    assert.equal((await get('/static/status.css')).status, 200);
    assert.equal((await get('/static/status.css?v=zz')).status, 400);
    assert.equal((await get('/static/refresh.js?nocache=1')).status, 400);
  });

  it('/metrics and the lifecycle endpoints take no parameters', async () => {
    for (const path of ['/metrics?x=1', '/-/healthy?verbose', '/-/ready?x=']) {
      const res = await get(path);
      assert.equal(res.status, 400, path);
      assert.match(res.body, /^unknown query parameter "\w+"; it takes none\n$/);
    }
    assert.equal((await get('/-/reload?now=1', { method: 'POST' })).status, 400);
    assert.equal((await get('/metrics')).status, 200);
  });
});
