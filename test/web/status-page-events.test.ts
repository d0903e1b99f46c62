// Recent events from the monitor's own journal, end to end: a poller over a fake world on
// a fake clock, then `/`, `/domain/<name>` and /api/v1/status as they render its state.
// A flapping host is one line on `/` with its count and first time, problems standing
// come first, a record that appeared and went is on its domain's page, and the API's
// `events` array is the same journal.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { statusApiRoutes } from '../../src/web/routes/status-api.js';
import { buildStatusView, type StatusView } from '../../src/monitor/status-view.js';
import { renderStatusPage } from '../../src/web/status-page/render-page.js';
import { narrowToDomain, renderDomainPage } from '../../src/web/status-page/render-domain-page.js';
import { FINDINGS } from '../../src/monitor/findings.js';
import { domainsOf, fakeMonitor, planOf, WINDOWS } from '../monitor/fake-world.js';

const CORP = 'corp.example';
const LAB = 'lab.example';
const MIN = 60_000;

/** The page as text, tags dropped, as a reader sees it. */
const text = (page: string) =>
  page
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

describe('recent events on the status page and the API', () => {
  const m = fakeMonitor(
    planOf({ domains: domainsOf(CORP, LAB), intervalMs: MIN, kmsIntervalMs: 10 * MIN }),
  );
  const view = (): StatusView => buildStatusView(m.state, [WINDOWS], { now: m.clock.now() });
  const iso = (ms: number) => new Date(m.start + ms).toISOString();
  let app: FastifyInstance;

  before(async () => {
    m.world.records.set(CORP, ['kms1.corp.example', 'kms2.corp.example']);
    m.world.records.set(LAB, ['kms.lab.example']);
    m.poller.start();
    await m.clock.advance(5 * MIN);
    // kms2 flaps: down for a minute, three times.
    for (let i = 0; i < 3; i++) {
      m.world.down.add('kms2.corp.example');
      await m.clock.advance(MIN);
      m.world.down.delete('kms2.corp.example');
      await m.clock.advance(MIN);
    }
    // Rounds run each minute from 0; a change made once the clock is at t is seen by the
    // round at t + 1 min.
    // A record appears in corp and goes again; lab's host goes down and stays down.
    m.world.records.set(CORP, ['kms1.corp.example', 'kms2.corp.example', 'kms3.corp.example']);
    await m.clock.advance(MIN);
    m.world.records.set(CORP, ['kms1.corp.example', 'kms2.corp.example']);
    m.world.down.add('kms.lab.example');
    await m.clock.advance(MIN);
    await m.poller.stop();
    app = Fastify();
    await app.register(statusApiRoutes((o) => buildStatusView(m.state, [WINDOWS], o)));
  });
  after(() => app.close());

  it('`/`: problems standing first, the flapping host folded into one line', () => {
    const page = renderStatusPage(view(), { refreshSeconds: 0 });
    const events = text(page.slice(page.indexOf('id="history-h"')));
    const rows = events.split(
      /(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC kms|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC corp|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC lab)/,
    );
    // The critical finding of lab (no working host) before the warnings, before the cleared.
    const first = rows.findIndex((r) => r.includes('no_working_host'));
    const flapping = rows.findIndex((r) => r.includes('host_down') && r.includes('kms2'));
    assert.ok(first > 0 && flapping > first, 'the standing critical problem comes first');
    assert.match(
      events,
      new RegExp(
        `kms2\\.corp\\.example:1688 ✓ cleared host_down ?: ${FINDINGS.host_down.meaning} raised 3×, cleared 3× from 2026-01-01 00:06:00 UTC`,
      ),
    );
    assert.equal(
      page.match(/host_down<\/code>/g)?.length,
      2,
      'one line for kms2 flapping, one for lab’s host',
    );
  });

  it('`/domain/<name>`: its record that appeared and went, and only its own events', () => {
    const corp = renderDomainPage(narrowToDomain(view(), CORP)!, { refreshSeconds: 0 });
    const events = text(corp.slice(corp.indexOf('id="events-h"'), corp.indexOf('id="history-h"')));
    assert.match(
      events,
      /corp\.example ✓ gone SRV record kms3\.corp\.example:1688 in _vlmcs\._tcp\.corp\.example appeared 1×, gone 1× from 2026-01-01 00:12:00 UTC/,
    );
    assert.match(events, /kms2\.corp\.example:1688/);
    assert.doesNotMatch(events, /lab\.example/);
    const lab = renderDomainPage(narrowToDomain(view(), LAB)!, { refreshSeconds: 0 });
    assert.doesNotMatch(text(lab.slice(lab.indexOf('id="events-h"'))), /corp\.example/);
  });

  it('/api/v1/status: `events`, the journal, each with time, kind, where, code and severity', async () => {
    const res = await app.inject('/api/v1/status');
    assert.equal(res.statusCode, 200);
    const body = JSON.parse(res.body) as Required<StatusView>;
    assert.deepEqual(body.events, JSON.parse(JSON.stringify(m.state.events.events())));
    const flap = body.events.find(
      (e) => e.code === 'host_down' && e.host === 'kms2.corp.example:1688',
    )!;
    assert.deepEqual(
      [flap.kind, flap.change, flap.severity, flap.count, flap.first, flap.last],
      ['finding', 'cleared', 'warning', 6, iso(6 * MIN), iso(11 * MIN)],
    );
    const record = body.events.find((e) => e.kind === 'record')!;
    assert.deepEqual(
      [record.domain, record.host, record.change, record.first, record.last],
      [CORP, 'kms3.corp.example:1688', 'gone', iso(12 * MIN), iso(13 * MIN)],
    );
    const narrowed = JSON.parse(
      (await app.inject('/api/v1/status?host=kms.lab.example')).body,
    ) as Required<StatusView>;
    assert.ok(narrowed.events.length > 0);
    assert.ok(narrowed.events.every((e) => e.host === 'kms.lab.example:1688'));
  });
});
