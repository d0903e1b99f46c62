// /api/v1/status answers the whole state with the evaluation the monitor hands over
// (evaluationOf(), the one /metrics and check read), not one of its own; narrowed to a
// host (?host=) it still evaluates that narrower view.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { statusApiRoutes } from '../../src/web/routes/status-api.js';
import { evaluate, type Evaluation } from '../../src/monitor/evaluate.js';
import { buildStatusView } from '../../src/monitor/status-view.js';
import { domainsOf, fakeMonitor, planOf, WINDOWS } from '../monitor/fake-world.js';

const CORP = 'corp.example';
const MARKER = 'marker of the handed-over evaluation';

describe('/api/v1/status and the handed-over evaluation', () => {
  const m = fakeMonitor(planOf({ domains: domainsOf(CORP), intervalMs: 60_000 }));
  const source = (options: Parameters<Parameters<typeof statusApiRoutes>[0]>[0]) =>
    buildStatusView(m.state, [WINDOWS], { ...options, now: m.clock.now() });
  let app: FastifyInstance;
  let asked = 0;
  let handed: Evaluation;

  before(async () => {
    // One host up, one down: the evaluation has a host finding to mark.
    m.world.records.set(CORP, ['kms1.corp.example', 'kms2.corp.example']);
    m.world.down.add('kms2.corp.example');
    m.poller.start();
    await m.clock.advance(60_000);
    await m.poller.stop();
    const own = evaluate(source({ historyLimit: 0 }));
    const first = own.problems.find((p) => p.host !== undefined);
    assert.ok(first, 'the fake world gives a host finding');
    handed = {
      ...own,
      problems: own.problems.map((p) => (p === first ? { ...p, message: MARKER } : p)),
    };
    app = Fastify();
    await app.register(
      statusApiRoutes(source, {
        evaluation: () => {
          asked++;
          return handed;
        },
      }),
    );
  });
  after(() => app.close());

  const findings = async (query: string) => {
    const res = await app.inject(`/api/v1/status${query}`);
    assert.equal(res.statusCode, 200);
    return (JSON.parse(res.body) as { findings: Array<{ message: string; host?: string }> })
      .findings;
  };

  it('the whole state is answered with the evaluation handed over, asked once', async () => {
    asked = 0;
    const all = await findings('');
    assert.ok(all.some((f) => f.message === MARKER));
    assert.equal(asked, 1);
  });

  it('a host narrowed by ?host= is evaluated from its own view', async () => {
    asked = 0;
    const one = await findings('?host=kms2.corp.example:1688');
    assert.ok(one.length > 0);
    assert.ok(one.every((f) => f.message !== MARKER));
    assert.equal(asked, 0);
  });
});
