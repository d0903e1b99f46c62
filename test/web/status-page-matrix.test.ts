// The matrix on `/` (render-matrix.ts): its cells are evaluate()'s verdicts, problems come
// first, a large estate stays one screen, the filters narrow it and reject nonsense with a
// 400; /domain/<name> and its 404; the probe log folded into events (events.ts).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { evaluate } from '../../src/monitor/evaluate.js';
import type { HistoryEntry } from '../../src/monitor/history.js';
import type { StatusView } from '../../src/monitor/status-view.js';
import { foldHistory } from '../../src/web/status-page/events.js';
import {
  answer,
  FIRST_SCREEN,
  PAGE_ROWS,
  type MatrixRow,
} from '../../src/web/status-page/render-matrix.js';
import type { DomainProductVerdict, Severity } from '../../src/monitor/evaluate.js';
import { renderHostPage } from '../../src/web/status-page/render-page.js';
import { statusPageRoutes } from '../../src/web/status-page/routes.js';
import { scenariosView } from './status-page-views.js';

interface Row {
  domain: string;
  severity: string;
  cells: Array<{ status: string; working: number }>;
}

/** The domain rows of the matrix as the page has them (summary lines left out). */
function matrixRows(page: string): Row[] {
  const table = page.slice(
    page.indexOf('<table class="matrix">'),
    page.indexOf('</table>', page.indexOf('<table class="matrix">')),
  );
  const rows: Row[] = [];
  for (const m of table.matchAll(/<tr class="(\w+)">([\s\S]*?)<\/tr>/g)) {
    const body = m[2]!;
    const domain = /href="domain\/([^"]+)"/.exec(body)?.[1];
    if (domain === undefined) continue;
    const cells = [
      ...body.matchAll(/<td data-label="[^"]*" class="v (\w+)">[\s\S]*?<\/span> (\d+)<\/a/g),
    ].map((c) => ({ status: c[1]!, working: Number(c[2]) }));
    rows.push({ domain: decodeURIComponent(domain), severity: m[1]!, cells });
  }
  return rows;
}

const RANK: Record<string, number> = { ok: 0, warning: 1, unknown: 2, critical: 3 };

/** The scenarios `copies` times over, as many domains (and their hosts) as that makes. */
function estate(copies: number): StatusView {
  const base = scenariosView();
  const rename = (name: string, i: number) => name.replace('.lab.test', `.site${i}.lab.test`);
  const out: StatusView = { ...base, domains: [], hosts: [], history: [] };
  for (let i = 0; i < copies; i++) {
    out.domains.push(
      ...base.domains.map((d) => ({
        ...d,
        domain: rename(d.domain, i),
        resolvers: d.resolvers.map((r) => ({
          ...r,
          records: r.records.map((rec) => ({ ...rec, host: rename(rec.host, i) })),
        })),
      })),
    );
    out.hosts.push(
      ...base.hosts.map((h) => ({
        ...h,
        host: rename(h.host, i),
        domains: h.domains.map((d) => rename(d, i)),
      })),
    );
  }
  return out;
}

describe('the matrix on /', () => {
  let app: FastifyInstance;
  let current: () => StatusView = scenariosView;
  before(async () => {
    app = Fastify();
    await app.register(statusPageRoutes(() => current()));
    await app.ready();
  });
  after(() => app.close());
  const get = async (url: string) => {
    const res = await app.inject(url);
    assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`);
    return res.body;
  };

  it('each cell is evaluate()’s verdict and working hosts, rows problems first', async () => {
    const v = scenariosView();
    const judged = evaluate(v);
    const rows = matrixRows(await get('/'));
    assert.equal(rows.length, v.domains.length);
    for (let i = 1; i < rows.length; i++) {
      assert.ok(RANK[rows[i - 1]!.severity]! >= RANK[rows[i]!.severity]!, 'worst first');
    }
    for (const r of rows) {
      assert.equal(r.severity, judged.domainStatus.get(r.domain), r.domain);
      const verdicts = judged.verdicts.filter((x) => x.domain === r.domain);
      assert.deepEqual(
        r.cells,
        verdicts.map((x) => ({ status: x.status, working: x.workingHosts })),
        r.domain,
      );
    }
    // A domain where one host is below N still activates with the other: 1 working machine.
    const low = rows.find((r) => r.domain === 'lowcount.lab.test')!;
    assert.deepEqual(low.cells[0], { status: 'ok', working: 1 });
    assert.ok(
      rows
        .find((r) => r.domain === 'norecord.lab.test')!
        .cells.every((c) => c.status === 'critical'),
    );
  });

  it('1,000 domains stay one screen: problems, then a line per status with a link', async () => {
    const big = estate(125);
    current = () => big;
    try {
      const page = await get('/');
      const rows = matrixRows(page);
      assert.ok(rows.length <= FIRST_SCREEN, `${rows.length} rows`);
      assert.ok(
        rows.every((r) => r.severity !== 'ok'),
        'the rows shown are problems',
      );
      const judged = evaluate(big);
      const okCount = [...judged.domainStatus.values()].filter((s) => s === 'ok').length;
      assert.match(page, new RegExp(`${okCount} domains can activate every product:`));
      assert.match(page, /<a href="\.\/\?status=ok">list them<\/a>/);
      assert.ok(gzipSync(page).length < 150 * 1024);
      assert.ok(page.length < 100 * 1024, `${page.length} bytes of HTML`);
    } finally {
      current = scenariosView;
    }
  });

  it('?status, ?product, ?domain and ?page narrow it', async () => {
    const critical = matrixRows(await get('/?status=critical'));
    assert.deepEqual(critical.map((r) => r.domain).sort(), [
      'broken.lab.test',
      'norecord.lab.test',
    ]);
    const problems = matrixRows(await get('/?status=problem'));
    assert.equal(problems.length, scenariosView().domains.length - 1);
    assert.ok(problems.every((r) => r.severity !== 'ok'));

    const office = await get('/?product=lab-office');
    assert.equal(matrixRows(office)[0]!.cells.length, 1);
    assert.match(office, /<th scope="col"><code>lab-office<\/code><\/th>/);
    assert.doesNotMatch(office, /<th scope="col"><code>lab-windows<\/code><\/th>/);
    // With a product, the status is the domain's verdict for that product.
    const noOffice = matrixRows(await get('/?product=lab-office&status=critical'));
    assert.deepEqual(noOffice.map((r) => r.domain).sort(), [
      'broken.lab.test',
      'norecord.lab.test',
    ]);

    assert.deepEqual(
      matrixRows(await get('/?domain=SPLIT')).map((r) => r.domain),
      ['split.lab.test'],
    );
    assert.match(await get('/?domain=nothing-like-it'), /No domain matches/);
    // The search box keeps the other filters.
    assert.match(await get('/?status=ok'), /<input type="hidden" name="status" value="ok"/);

    const big = estate(15); // 120 domains, 105 with problems
    current = () => big;
    try {
      const first = await get('/?status=problem');
      assert.equal(matrixRows(first).length, PAGE_ROWS);
      assert.match(first, /Domains 1–50 of 105/);
      assert.match(first, /href="\.\/\?status=problem&amp;page=2" rel="next"/);
      const third = await get('/?status=problem&page=3');
      assert.equal(matrixRows(third).length, 5);
      assert.match(third, /Domains 101–105 of 105/);
      assert.match(await get('/?status=problem&page=9'), /Page 9 is past the last \(3\)/);
    } finally {
      current = scenariosView;
    }
  });

  it('nonsense in a filter is a 400 naming the parameter', async () => {
    for (const [query, says] of [
      ['status=bad', /status/],
      ['status=OK', /status/],
      ['status=ok&status=ok', /more than once/],
      ['product=windows-99', /product must be a product the monitor probes \(lab-windows/],
      ['product=%3Cscript%3E', /product/],
      ['domain=%3Cscript%3E', /domain/],
      ['domain=' + 'a'.repeat(254), /domain/],
      ['page=0', /page/],
      ['page=1e3', /page/],
      ['page=20001', /page/],
      ['sort=name', /unknown query parameter "sort"/],
    ] as const) {
      const res = await app.inject(`/?${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.match(res.body, says, query);
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    }
  });

  it('/domain/<name>: its verdicts, records and hosts; any case; 404 for a domain not watched', async () => {
    const page = await get('/domain/NoOffice.lab.test');
    assert.match(page, /<h1>Domain nooffice\.lab\.test<\/h1>/);
    assert.match(page, /id="domain-nooffice\.lab\.test"/);
    assert.match(page, /id="host-kms\.nooffice\.lab\.test:1688"/);
    // Its fallback record names a host of another domain: that host's card is here too.
    assert.match(page, /id="host-kms1\.healthy\.lab\.test:1688"/);
    assert.doesNotMatch(await get('/domain/healthy.lab.test'), /id="host-kms\.nooffice/);
    const norecord = await get('/domain/norecord.lab.test');
    assert.match(
      norecord,
      /lab-office<\/code><\/th>\s*<td data-label="Verdict"><span class="tag critical"/,
    );
    assert.match(norecord, /No <code>_vlmcs\._tcp<\/code> record/);
    for (const path of ['/domain/nothing.lab.test', '/domain/', '/domain/%3Cb%3E']) {
      const res = await app.inject(path);
      assert.equal(res.statusCode, 404, path);
      assert.match(res.body, /No such domain/);
    }
    assert.match((await app.inject('/domain/%3Cb%3E')).body, /<code>&lt;b&gt;<\/code>/);
    assert.equal((await app.inject(`/domain/${'a'.repeat(300)}`)).statusCode, 400);
    assert.equal((await app.inject('/domain/healthy.lab.test?status=ok')).statusCode, 400);
  });
});

describe('the probe log as events', () => {
  const at = (minute: number) => new Date(Date.UTC(2025, 5, 2, 9, minute)).toISOString();
  const entry = (
    minute: number,
    success: boolean,
    over: Partial<HistoryEntry> = {},
  ): HistoryEntry => ({
    timestamp: at(minute),
    kind: 'tcp',
    target: 'kms.lab.test:1688',
    detail: null,
    success,
    reason: success ? null : 'connect_refused',
    message: success ? null : `connect ECONNREFUSED after ${minute} ms`,
    durationSeconds: 0.001,
    ...over,
  });

  it('folds repeats into runs with a count, first and last time, and names the change', () => {
    const log = [
      entry(0, true),
      entry(1, true),
      ...Array.from({ length: 50 }, (_, i) => entry(2 + i, false)),
      entry(52, false, { reason: 'timeout', message: 'no answer' }),
      entry(53, true),
      // Another series (a product of the same host) is folded on its own.
      entry(10, false, { kind: 'kms', detail: 'lab-office', reason: 'kms_error' }),
    ].reverse(); // the state hands them newest first
    const events = foldHistory(log);
    const tcp = events.filter((e) => e.kind === 'tcp');
    assert.deepEqual(
      tcp.map((e) => [e.change, e.count, e.first, e.last]),
      [
        ['recovered', 1, at(53), at(53)],
        ['failing differently', 1, at(52), at(52)],
        ['started failing', 50, at(2), at(51)],
        ['ok', 2, at(0), at(1)],
      ],
    );
    assert.equal(tcp[2]!.message, 'connect ECONNREFUSED after 51 ms', 'the newest message');
    const kms = events.find((e) => e.kind === 'kms')!;
    assert.deepEqual([kms.change, kms.count], ['failing', 1]);
  });

  it('a down host’s page shows its 50 failures as one line, in one table', () => {
    const v = scenariosView();
    const down = v.hosts.find((h) => h.host === 'kms-old.stale.lab.test')!;
    const key = `${down.host}:${down.port}`;
    const history = Array.from({ length: 50 }, (_, i) => entry(59 - i, false, { target: key }));
    // No journal lines: the probe log's table is the page's only one.
    const page = renderHostPage({ ...v, hosts: [down], history, events: [] }, key, {
      refreshSeconds: 0,
    });
    assert.equal(page.match(/<table class="(history|events)">/g)?.length, 1, 'one probe table');
    const rows = page.slice(page.indexOf('<table class="events">')).match(/<tr class="failure">/g);
    assert.equal(rows?.length, 1, 'one line for 50 identical failures');
    assert.match(page, /50× at least from <time datetime="2025-06-02T09:10:00.000Z"/);
  });
});

describe("the matrix's one-line answer", () => {
  const row = (domain: string, severity: Severity, product: Severity = 'ok'): MatrixRow => ({
    domain,
    severity,
    verdicts: new Map([['windows', { status: product } as DomainProductVerdict]]),
  });
  const text = (rows: MatrixRow[]) => String(answer(rows, 1)).replace(/\s+/g, ' ').trim();

  it('names a domain that activates everything but is critical (an emulator) as critical, not as a warning', () => {
    const t = text([
      row('rogue.test', 'critical'),
      row('single.test', 'warning'),
      row('ok.test', 'ok'),
    ]);
    assert.match(t, /class="tag critical"[^>]*>.*Yes, but/);
    assert.match(
      t,
      /every domain can activate every product; 1 domain with critical problems; 1 domain with warnings\./,
    );
  });

  it('says No with the count when a product cannot be activated, and Yes when all is well', () => {
    assert.match(
      text([row('lonely.test', 'critical', 'critical'), row('ok.test', 'ok')]),
      /No.*<strong>1 of 2<\/strong> domains cannot activate every product\./,
    );
    assert.match(
      text([row('single.test', 'warning')]),
      /class="tag warning".*Yes, but.*; 1 domain with warnings\./,
    );
    assert.match(
      text([row('a.test', 'ok'), row('b.test', 'ok')]),
      /Yes.*All 2 domains can activate all 1 product\./,
    );
  });
});
