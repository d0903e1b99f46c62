// The plugin over HTTP (fastify inject): headers (CSP above all), the pages' content for
// each kind of domain and host (on /domain/<name>), /host/:host by key, by name and as a
// 404, the static files, and that a request only reads the view the source returns.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  CONTENT_SECURITY_POLICY,
  statusPageRoutes,
  type StatusPageSource,
} from '../../src/web/status-page/routes.js';
import { evaluate } from '../../src/monitor/evaluate.js';
import type { StatusView } from '../../src/monitor/status-view.js';
import { host, scenariosView, view } from './status-page-views.js';

const CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The source as the monitor app builds it: narrowed by host like buildStatusView. */
function sourceOf(make: () => StatusView, calls: Array<Parameters<StatusPageSource>[0]>) {
  const source: StatusPageSource = (options) => {
    calls.push(options);
    const v = make();
    if (options.host === undefined) return v;
    const key = (h: { host: string; port: number }) =>
      h.host.includes(':') ? `[${h.host}]:${h.port}` : `${h.host}:${h.port}`;
    return {
      ...v,
      hosts: v.hosts.filter((h) => key(h) === options.host || h.host === options.host),
    };
  };
  return source;
}

/** Text of the page without tags, whitespace collapsed: what a reader sees. */
function text(page: string): string {
  return page
    .replace(
      /<\/?(p|div|li|tr|td|th|h\d|dt|dd|br|section|article|table|caption|ul|thead|tbody|nav|header|main|footer)\b[^>]*>/g,
      ' ',
    )
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The <section> or <article> whose id is `id`, as text. */
function block(page: string, id: string): string {
  const start = page.indexOf(`id="${id}"`);
  assert.ok(start >= 0, `no element with id ${id}`);
  const open = page.lastIndexOf('<', start);
  const tag = /^<(\w+)/.exec(page.slice(open))![1]!;
  const end = page.indexOf(`</${tag}>`, start);
  return text(page.slice(open, end));
}

describe('status page routes', () => {
  let app: FastifyInstance;
  const calls: Array<Parameters<StatusPageSource>[0]> = [];
  let current: () => StatusView = scenariosView;

  before(async () => {
    app = Fastify();
    await app.register(statusPageRoutes(sourceOf(() => current(), calls)));
    await app.ready();
  });
  after(() => app.close());

  it('serves / as HTML with the Content-Security-Policy and no caching', async () => {
    const res = await app.inject('/');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['content-security-policy'], CSP);
    assert.equal(CONTENT_SECURITY_POLICY, CSP);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.match(res.body, /^<!doctype html>/);
  });

  it('the summary is evaluate()’s: overall status, domains OK, hosts up, below threshold', async () => {
    const v = scenariosView();
    const judged = evaluate(v);
    const page = (await app.inject('/')).body;
    const summary = text(
      page.slice(
        page.indexOf('class="summary"'),
        page.indexOf('</ul>', page.indexOf('class="summary"')),
      ),
    );
    assert.equal(judged.status, 'critical');
    assert.match(summary, /Overall CRITICAL/);
    assert.match(summary, /Domains OK 1 of 8/);
    assert.match(summary, /Hosts up 8 of 9 1 down/);
    assert.match(summary, /Products below threshold 1 of 24/);
    assert.match(summary, /Exchanges failing 1 of 24/);
    assert.match(page, /<title>CRITICAL · KMS monitor<\/title>/);
    for (const p of judged.problems) assert.ok(text(page).includes(p.message), p.message);
  });

  /** The page of a domain, which holds its records and the cards of its hosts. */
  const domainPage = async (name: string) => {
    const res = await app.inject(`/domain/${name}`);
    assert.equal(res.statusCode, 200, name);
    return res.body;
  };

  it('each domain shows its status, records per resolver and what is wrong', async () => {
    const healthy = block(await domainPage('healthy.lab.test'), 'domain-healthy.lab.test');
    assert.match(healthy, /healthy\.lab\.test ✓ OK/);
    // Two resolvers with the same records: one table, both TTLs.
    assert.match(
      healthy,
      /Resolver 127\.0\.0\.1:5353 ✓ NOERROR .* Resolver 127\.0\.0\.2:5353 ✓ NOERROR/,
    );
    assert.match(healthy, /The same 2 records at every resolver/);
    assert.match(
      healthy,
      /1 0 60 60% kms1\.healthy\.lab\.test 1688 300 s \(5 min\) \/ 290 s 127\.0\.0\.1 ✓ up/,
    );
    assert.equal(healthy.match(/kms1\.healthy\.lab\.test 1688/g)?.length, 1);
    assert.match(healthy, /2 0 40 40% kms2\.healthy\.lab\.test 1688/);

    const norecord = block(await domainPage('norecord.lab.test'), 'domain-norecord.lab.test');
    assert.match(norecord, /CRITICAL/);
    assert.match(
      norecord,
      /No _vlmcs\._tcp record \(nxdomain: .*\): clients in this domain cannot find a KMS host and fail with 0xC004F074/,
    );

    const broken = block(await domainPage('broken.lab.test'), 'domain-broken.lab.test');
    assert.match(broken, /lookup failed: timeout/);
    assert.match(broken, /no answer from 127\.0\.0\.1:5353 within 2000 ms/);

    const split = block(await domainPage('split.lab.test'), 'domain-split.lab.test');
    assert.match(split, /⚠ WARNING/);
    assert.match(split, /Resolvers disagree/);
    assert.match(split, /kms2\.split\.lab\.test ≠ not at every resolver/);
    assert.match(
      split,
      /Returned by other resolvers but not by this one: kms2\.split\.lab\.test:1688/,
    );

    const stale = block(await domainPage('stale.lab.test'), 'domain-stale.lab.test');
    assert.match(stale, /kms-old\.stale\.lab\.test 1688 .* ✖ down/);
    const single = block(await domainPage('single.lab.test'), 'domain-single.lab.test');
    assert.match(single, /publishes a single KMS host/);
  });

  it('host cards: reachability, count vs threshold with the cap, ePID decoded, HWID, intervals, errors explained', async () => {
    let page = await domainPage('healthy.lab.test');
    const healthy = block(page, 'host-kms1.healthy.lab.test:1688');
    assert.match(healthy, /✓ reachable TCP connect to 127\.0\.0\.1 in 0\.4 ms, 10 s ago/);
    assert.match(
      healthy,
      /lab-windows ✓ activates 50 of N = 25 \(at 2N = 50: there may be more clients\)/,
    );
    assert.match(healthy, /incl\. this monitor/);
    assert.match(
      healthy,
      /ePID 03612-04573-012-100001-03-1033-20348\.0000-0452024 Windows Server 2022 \(build 20348\) · key installed 2024-02-14 · CSVLK Windows Server 2022 \(for lab-windows, lab-windows-server\)/,
    );
    assert.match(healthy, /HWID 1AB0C0FFEE000001/);
    assert.match(healthy, /Intervals activation 2 h, renewal 7 d/);
    assert.match(page, /href="\.\.\/host\/kms1\.healthy\.lab\.test%3A1688"/);

    page = await domainPage('lowcount.lab.test');
    const low = block(page, 'host-kms.lowcount.lab.test:1688');
    assert.match(low, /⚠ below threshold 12 of N = 25 \(reported up to 2N = 50\)/);
    assert.match(low, /0xC004F038 \(SL_E_VL_NOT_ENOUGH_COUNT\)/);
    assert.match(low, /Fix: More machines must contact the host/);
    assert.match(page, /class="fill p24"/, 'the bar is 12 of 2N = 50');

    const noOffice = block(
      await domainPage('nooffice.lab.test'),
      'host-kms.nooffice.lab.test:1688',
    );
    assert.match(noOffice, /lab-office ✖ kms_error 0xC004F042/);
    assert.match(
      noOffice,
      /Meaning: SL_E_VL_KEY_MANAGEMENT_SERVICE_ID_MISMATCH: The KMS host cannot activate this product/,
    );
    assert.match(noOffice, /Fix: Install a CSVLK that covers this product/);

    const down = block(await domainPage('stale.lab.test'), 'host-kms-old.stale.lab.test:1688');
    assert.match(down, /✖ unreachable TCP connect to 127\.0\.0\.\d+ failed/);
    assert.match(down, /stale SRV record\?/);
    assert.match(down, /connect_refused/);
    assert.match(down, /Windows clients report this as 0x800706BA/);
  });

  it('the recent events are the failures, linked to the hosts', async () => {
    const page = (await app.inject('/')).body;
    const all = text(page);
    const events = all.slice(all.indexOf('Recent events'));
    assert.match(events, /kms-old\.stale\.lab\.test:1688 ✖ connect_refused down once/);
    assert.match(
      events,
      /kms\.nooffice\.lab\.test:1688 ✖ kms_error fails lab-office once 0xC004F042/,
    );
    assert.match(page, /<a href="host\/kms-old\.stale\.lab\.test%3A1688">/);
  });

  it('/host/:host by key, by name and with an IPv6 key; links back to /', async () => {
    for (const path of [
      '/host/kms.nooffice.lab.test%3A1688',
      '/host/kms.nooffice.lab.test:1688',
      '/host/kms.nooffice.lab.test',
    ]) {
      const res = await app.inject(path);
      assert.equal(res.statusCode, 200, path);
      assert.equal(res.headers['content-security-policy'], CSP);
      const t = text(res.body);
      assert.match(t, /KMS host kms\.nooffice\.lab\.test:1688 ⚠ WARNING/);
      assert.match(
        t,
        /Published in DNS Domain Resolver Priority Weight TTL Addresses nooffice\.lab\.test 127\.0\.0\.1:5353 0 0/,
      );
      assert.match(t, /Probe log .* ✖ kms_error fails lab-office/);
      assert.match(res.body, /href="\.\.\/static\/status\.css\?v=/);
      assert.match(res.body, /<a href="\.\.\/">← All domains and hosts<\/a>/);
    }
    current = () => view([], [host('::1', [], null, { port: 1688 })]);
    try {
      const res = await app.inject(`/host/${encodeURIComponent('[::1]:1688')}`);
      assert.equal(res.statusCode, 200);
      assert.match(text(res.body), /KMS host \[::1\]:1688 ✓ OK/);
    } finally {
      current = scenariosView;
    }
  });

  it('/host/:host answers 404 with a page for a host the state does not know', async () => {
    for (const path of ['/host/nope.example.test', '/host/%3Cscript%3E', '/host/']) {
      const res = await app.inject(path);
      assert.equal(res.statusCode, 404, path);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(res.headers['content-security-policy'], CSP);
      assert.match(res.body, /No such KMS host/);
      assert.doesNotMatch(res.body, /<script/);
    }
    assert.match((await app.inject('/host/%3Cscript%3E')).body, /<code>&lt;script&gt;<\/code>/);
    // A host name may be 253 characters; a name longer than any can be is a 400 that says so.
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}:1688`;
    assert.equal((await app.inject(`/host/${long}`)).statusCode, 404);
    assert.equal((await app.inject(`/domain/${long}`)).statusCode, 404);
    for (const page of ['host', 'domain']) {
      const res = await app.inject(`/${page}/${'a'.repeat(300)}`);
      assert.equal(res.statusCode, 400, page);
      assert.equal(res.body, 'the name in the path is longer than 260 characters\n');
    }
  });

  it('the stylesheet and script are files of the same origin, cacheable, versioned by content', async () => {
    const page = (await app.inject('/')).body;
    const css = /href="(static\/status\.css\?v=[0-9a-f]{12})"/.exec(page)?.[1];
    const js = /src="(static\/refresh\.js\?v=[0-9a-f]{12})"/.exec(page)?.[1];
    assert.ok(css && js);
    const style = await app.inject(`/${css}`);
    assert.equal(style.statusCode, 200);
    assert.equal(style.headers['content-type'], 'text/css; charset=utf-8');
    assert.match(style.headers['cache-control'] ?? '', /max-age=86400/);
    assert.match(style.body, /prefers-color-scheme: dark/);
    const script = await app.inject(`/${js}`);
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.match(script.body, /sessionStorage/);
  });

  it('a large page is gzipped for clients that accept it, off the event loop', async () => {
    // `/` is small whatever the estate; a filtered page of 50 domains is not.
    const many = scenariosView();
    many.domains = Array.from({ length: 10 }, (_, i) =>
      many.domains.map((d) => ({ ...d, domain: `site${i}.${d.domain}` })),
    ).flat();
    current = () => many;
    try {
      const plain = await app.inject('/?status=problem');
      assert.ok(plain.body.length > 16 * 1024, `${plain.body.length} bytes`);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(plain.headers['vary'], 'Accept-Encoding');
      const zipped = await app.inject({
        url: '/?status=problem',
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      });
      assert.equal(zipped.statusCode, 200);
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.equal(zipped.headers['content-security-policy'], CSP);
      const body = gunzipSync(zipped.rawPayload).toString('utf8');
      assert.equal(
        body.replace(/Generated [^·]*·/, ''),
        plain.body.replace(/Generated [^·]*·/, ''),
      );
      assert.ok(zipped.rawPayload.length < plain.rawPayload.length / 4);
      // A q of 0 refuses gzip, though the word is in the header.
      const refused = await app.inject({
        url: '/?status=problem',
        headers: { 'accept-encoding': 'gzip;q=0, identity' },
      });
      assert.equal(refused.headers['content-encoding'], undefined);
      assert.equal(
        refused.body.replace(/Generated [^·]*·/, ''),
        plain.body.replace(/Generated [^·]*·/, ''),
      );
    } finally {
      current = scenariosView;
    }
    // A small page (the 404) is not worth compressing.
    const small = await app.inject({ url: '/host/nope', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(small.headers['content-encoding'], undefined);
  });

  it('auto-refresh: 15 s by default, ?refresh=N overrides, 0 turns it off, nonsense is a 400', async () => {
    assert.match((await app.inject('/')).body, /<body data-refresh-seconds="15">/);
    assert.match((await app.inject('/')).body, /<noscript><meta http-equiv="refresh" content="15"/);
    assert.match((await app.inject('/?refresh=60')).body, /data-refresh-seconds="60"/);
    const off = (await app.inject('/?refresh=0')).body;
    assert.doesNotMatch(off, /data-refresh-seconds|<script|http-equiv/);
    assert.equal((await app.inject('/?refresh=abc')).statusCode, 400);
    assert.equal((await app.inject('/?refresh=99999')).statusCode, 400);
  });

  it('a request reads the view once and renders it without changing it', async () => {
    calls.length = 0;
    const frozen = deepFreeze(scenariosView());
    current = () => frozen;
    try {
      assert.equal((await app.inject('/')).statusCode, 200);
      assert.equal((await app.inject('/host/kms.single.lab.test:1688')).statusCode, 200);
    } finally {
      current = scenariosView;
    }
    assert.deepEqual(calls, [
      { historyLimit: 1000 },
      {
        historyLimit: 200,
        host: 'kms.single.lab.test:1688',
        historyWindowMs: Number.POSITIVE_INFINITY,
      },
    ]);
  });

  it('/ renders the evaluation the options hand over instead of evaluating again', async () => {
    // The monitor hands over evaluationOf(), the evaluation /metrics and check read: the
    // page must show that one. A marker in one problem tells which evaluation it shows.
    const v = scenariosView();
    const own = evaluate(v);
    const first = own.problems[0]!;
    const handed = {
      ...own,
      problems: [
        { ...first, message: 'marker of the handed-over evaluation' },
        ...own.problems.slice(1),
      ],
    };
    let asked = 0;
    const withEvaluation = Fastify();
    await withEvaluation.register(
      statusPageRoutes(() => v, {
        evaluation: () => {
          asked++;
          return handed;
        },
      }),
    );
    try {
      const page = text((await withEvaluation.inject('/')).body);
      assert.match(page, /marker of the handed-over evaluation/);
      assert.equal(asked, 1);
    } finally {
      await withEvaluation.close();
    }
  });

  it('renders the not-ready state and an empty monitor', async () => {
    current = () => view([], [], { ready: false, products: [] });
    try {
      const t = text((await app.inject('/')).body);
      assert.match(t, /first round of probes is still running/);
      assert.match(t, /UNKNOWN/);
      assert.match(t, /No KMS host found yet/);
    } finally {
      current = scenariosView;
    }
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
