// Eight days of rounds on a fake clock (TCP every 5 minutes, the KMS sweep every 10) over
// five hosts with a scripted week: an outage, a count that falls below N, a refused
// product, a host that goes down for good. The history's "since" times, uptime and
// series, and the sparklines the host page draws from them, are checked against the
// times the script set — exact, since every wait is the fake clock's.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildStatusView, type StatusView } from '../../../src/monitor/status-view.js';
import { renderHostPage } from '../../../src/web/status-page/render-page.js';
import { sparklineGeometry } from '../../../src/web/status-page/sparkline.js';
import { domainsOf, fakeMonitor, planOf, OFFICE, WINDOWS } from '../fake-world.js';

const CORP = 'corp.example';
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const host = (name: string) => `${name}.${CORP}`;
const key = (name: string) => `${host(name)}:1688`;
const iso = (ms: number) => new Date(ms).toISOString();

describe('history over a week of sweeps (fake clock)', () => {
  const m = fakeMonitor(
    planOf({
      domains: domainsOf(CORP),
      products: [WINDOWS, OFFICE],
      intervalMs: 5 * MIN,
      kmsIntervalMs: 10 * MIN,
      historyRetentionMs: 7 * DAY,
    }),
  );
  const t0 = m.start;
  let view: StatusView;
  const hostOf = (name: string) => view.hosts.find((h) => h.host === host(name))!;

  /** Runs the poller until `t0 + at`, then lets `change` edit the world. */
  async function until(at: number, change: () => void = () => {}): Promise<void> {
    await m.clock.advance(t0 + at - m.clock.now());
    change();
  }

  before(async () => {
    m.world.records.set(CORP, ['a', 'b', 'c', 'd', 'e'].map(host));
    m.poller.start();
    // Each change is made just before the round at that time, which is the first to see it.
    await until(2 * DAY + 12 * HOUR - 1, () => m.world.down.add(host('b')));
    await until(2 * DAY + 18 * HOUR - 1, () => m.world.down.delete(host('b')));
    await until(5 * DAY - 1, () => m.world.counts.set(host('c'), 10));
    await until(6 * DAY + 6 * HOUR - 1, () => m.world.down.add(host('e')));
    await until(6 * DAY + 10 * HOUR - 1, () =>
      m.world.refusals.set(host('d'), new Set(['office'])),
    );
    await until(8 * DAY);
    await m.poller.stop();
    view = buildStatusView(m.state, [WINDOWS, OFFICE], {
      historyWindowMs: 7 * DAY,
      now: m.clock.now(),
    });
  });

  it('ran the week as scripted: a round every 5 min, a sweep every 10', () => {
    assert.equal(m.state.poll.rounds, 8 * 24 * 12 + 1);
    assert.equal(m.state.poll.kmsSweeps, 8 * 24 * 6 + 1);
  });

  it('keeps the last 7 days of sweeps: 1,009 samples a product, the oldest at now − 7 d', () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const h = hostOf(name).history!;
      assert.equal(h.windowSeconds, (7 * DAY) / 1000);
      for (const p of h.products) {
        assert.equal(p.samples.at.length, 7 * 24 * 6 + 1, `${name} ${p.product}`);
        assert.equal(p.samples.at[0], (t0 + DAY) / 1000);
        assert.equal(p.samples.at.at(-1), (t0 + 8 * DAY) / 1000);
      }
    }
  });

  it('"down since" is the first round that found the host down; uptime counts the outage', () => {
    const b = hostOf('b').history!.reachability;
    assert.equal(b.up, true);
    assert.equal(b.since, iso(t0 + 2 * DAY + 18 * HOUR));
    assert.equal(b.downSince, null);
    assert.equal(b.uptime, 1 - 6 / (7 * 24));
    assert.deepEqual(b.transitions, [
      { at: iso(t0), up: true },
      { at: iso(t0 + 2 * DAY + 12 * HOUR), up: false },
      { at: iso(t0 + 2 * DAY + 18 * HOUR), up: true },
    ]);
    const e = hostOf('e').history!.reachability;
    assert.equal(e.up, false);
    assert.equal(e.downSince, iso(t0 + 6 * DAY + 6 * HOUR));
    assert.equal(e.uptime, 1 - (42 * HOUR) / (7 * DAY));
    const a = hostOf('a').history!.reachability;
    assert.equal(a.uptime, 1);
    assert.equal(a.since, iso(t0));
    assert.equal(a.firstSeen, iso(t0), 'up at least since the first round');
    assert.equal(e.firstSeen, iso(t0));
  });

  it('"refused since" and "below N since" are the first sweep that saw them', () => {
    const office = hostOf('d').history!.products.find((p) => p.product === 'office')!;
    assert.equal(office.phase, 'refused');
    assert.equal(office.refusedSince, iso(t0 + 6 * DAY + 10 * HOUR));
    const windows = hostOf('d').history!.products.find((p) => p.product === 'windows')!;
    assert.equal(windows.phase, 'ok');
    assert.equal(windows.refusedSince, null);
    assert.equal(windows.phaseSince, iso(t0), 'answering since the first sweep');
    assert.equal(windows.observedSince, iso(t0));
    const c = hostOf('c').history!.products.find((p) => p.product === 'windows')!;
    assert.equal(c.phase, 'below');
    assert.equal(c.phaseSince, iso(t0 + 5 * DAY));
    // Office's N is 5: a count of 10 is enough for it.
    assert.equal(hostOf('c').history!.products.find((p) => p.product === 'office')!.phase, 'ok');
    const e = hostOf('e').history!.products.find((p) => p.product === 'windows')!;
    assert.equal(e.phase, 'unreached');
    assert.equal(e.phaseSince, iso(t0 + 6 * DAY + 6 * HOUR));
    // 42 h of 168 failed: 252 of the 1,009 sweeps.
    assert.equal(e.samples.reason.filter((r) => r === 'connect_refused').length, 42 * 6 + 1);
    assert.equal(e.successRatio, (1009 - 253) / 1009);
  });

  it('the count sparkline: the line at N, the drop below it on day 5, failures ticked', () => {
    const from = t0 + DAY;
    const to = t0 + 8 * DAY;
    const c = hostOf('c').history!.products.find((p) => p.product === 'windows')!;
    const failed = c.samples.reason.map((r) => r !== null);
    const options = {
      label: 'c',
      from,
      to,
      yMax: 50,
      threshold: 25,
      fold: 'min',
      kind: 'k',
    } as const;
    const g = sparklineGeometry({ at: c.samples.at, values: c.samples.count, failed }, options);
    // 240 columns over 7 days; the scale is 0..2N with 2 px of padding.
    assert.equal(g.thresholdY, 18);
    assert.equal(g.runs.length, 1, 'no failure, no gap: one line');
    const points = g.runs[0]!;
    assert.equal(points.length, 240);
    const drop = Math.floor(((5 * DAY - DAY) / (7 * DAY)) * 240); // column 137
    assert.ok(
      points.slice(0, drop).every(([, y]) => y === 2),
      'count 50 at the top',
    );
    assert.ok(
      points.slice(drop).every(([, y]) => Math.abs(y - 27.6) < 1e-9),
      'count 10',
    );
    assert.equal(points[drop]![0], drop + 0.5);
    assert.deepEqual(g.failures, []);

    const e = hostOf('e').history!.products.find((p) => p.product === 'windows')!;
    const ge = sparklineGeometry(
      {
        at: e.samples.at,
        values: e.samples.count,
        failed: e.samples.reason.map((r) => r !== null),
      },
      options,
    );
    const down = ((6 * DAY + 6 * HOUR - DAY) / (7 * DAY)) * 240; // column 180
    assert.equal(ge.failures.length, 240 - down);
    assert.equal(ge.failures[0], down + 0.5);
    assert.equal(ge.runs.at(-1)!.at(-1)![0], down - 0.5, 'the line stops where it failed');
  });

  it('the host page shows the times, the uptime and valid inline sparklines', () => {
    const pageOf = (name: string) => {
      const v = buildStatusView(m.state, [WINDOWS, OFFICE], {
        host: key(name),
        historyWindowMs: Number.POSITIVE_INFINITY,
        now: m.clock.now(),
      });
      return renderHostPage(v, key(name), { refreshSeconds: 0 });
    };
    const e = pageOf('e');
    assert.match(
      e,
      /down<\/span\s*> since <time class="since" datetime="2026-01-07T06:00:00.000Z"\s*>2026-01-07 06:00:00 UTC/,
    );
    assert.match(e, /uptime <strong>75\.0 %<\/strong> over\s+7 d/);
    const d = pageOf('d');
    assert.match(
      d,
      /refused<\/span\s*> since <time class="since" datetime="2026-01-07T10:00:00.000Z"/,
    );
    const b = pageOf('b');
    assert.match(b, /uptime <strong>96\.4 %<\/strong>/);
    assert.match(b, /up<\/span\s*> since <time class="since" datetime="2026-01-03T18:00:00.000Z"/);
    assert.match(
      pageOf('a'),
      /up<\/span\s*> at least since <time class="since" datetime="2026-01-01T00:00:00.000Z"/,
    );
    const svgs = e.match(/<svg[\s\S]*?<\/svg\s*>/g) ?? [];
    assert.equal(svgs.length, 4, 'count and latency for two products');
    for (const svg of svgs) {
      assert.doesNotMatch(svg, /<script|style=|on\w+=|href/i);
      assert.match(svg, /^<svg\s+class="spark spark-(count|latency)"/);
      assert.match(svg, /role="img"\s+aria-label="[^"<]+"/);
    }
    assert.match(svgs[0]!, /<line class="spark-threshold" x1="0" x2="240" y1="18" y2="18">/);
    assert.match(svgs[0]!, /<path class="spark-fail" d="M180\.5 36v-4M181\.5 36v-4/);
  });
});
