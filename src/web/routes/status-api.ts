/**
 * GET /api/v1/status: the whole state as JSON (see README, "Status API"). The query is
 * checked strictly (src/web/query.ts): a bad or unknown parameter is a 400 naming it,
 * never a 500 and never silently ignored.
 */
import type { FastifyInstance } from 'fastify';
import { evaluate } from '../../monitor/evaluate.js';
import { describeFinding } from '../../monitor/findings.js';
import type { StatusView } from '../../monitor/status-view.js';
import { integerParam, strictQuery, type QuerySpec } from '../query.js';

export type StatusSource = (options: { historyLimit: number; host?: string }) => StatusView;

const DEFAULT_HISTORY = 200;

export const STATUS_API_QUERY: QuerySpec = {
  history: integerParam(0, 1000),
  host: { kind: 'string', minLength: 1, maxLength: 260 },
};

export function statusApiRoutes(source: StatusSource) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { history?: number; host?: string } }>(
      '/api/v1/status',
      strictQuery(STATUS_API_QUERY),
      async (request, reply) => {
        const { history = DEFAULT_HISTORY, host } = request.query;
        const view = source({ historyLimit: history, ...(host === undefined ? {} : { host }) });
        if (host !== undefined && view.hosts.length === 0) {
          return reply
            .code(404)
            .send({ error: `no host ${JSON.stringify(host)} in the current state` });
        }
        // The one evaluation: the verdict, the findings (with the catalogue's meaning and
        // fix) and what each domain's clients get. Narrowed to a host, only its findings.
        const evaluation = evaluate(view);
        const body = {
          ...view,
          status: evaluation.status,
          findings: evaluation.problems
            .filter((f) => host === undefined || f.host !== undefined)
            .map(describeFinding),
          verdicts: host === undefined ? evaluation.verdicts : [],
          domainStatus: host === undefined ? Object.fromEntries(evaluation.domainStatus) : {},
          readiness: host === undefined ? evaluation.readiness : [],
          coverage: evaluation.coverage,
        };
        return reply.header('Cache-Control', 'no-store').send(body);
      },
    );
  };
}
