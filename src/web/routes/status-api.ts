/**
 * GET /api/v1/status: the whole state as JSON (see README, "Status API"). The query is
 * checked strictly (src/web/query.ts): a bad or unknown parameter is a 400 naming it,
 * never a 500 and never silently ignored.
 */
import type { FastifyInstance } from 'fastify';
import { evaluate, type Evaluation } from '../../monitor/evaluate.js';
import { describeFinding } from '../../monitor/findings.js';
import { DEFAULT_RETENTION_MS } from '../../monitor/history/index.js';
import type { StatusView } from '../../monitor/status-view.js';
import { strictQuery, type QuerySpec } from '../query.js';
import { formatDuration } from '../../config/duration.js';
import { HISTORY_PARAM, type HistoryParam } from './history-param.js';

export type StatusSource = (options: {
  historyLimit: number;
  host?: string;
  /** Adds hosts[].history over this window (ms). */
  historyWindowMs?: number;
}) => StatusView;

/**
 * The evaluation of the state the source's whole views show: the monitor passes
 * evaluationOf(), the one /metrics and `check` read, so a request for the whole state
 * renders it instead of evaluating every host and domain again. Called in the same tick
 * as the source, so it is of the state the view shows.
 */
export type EvaluationSource = () => Evaluation;

export interface StatusApiOptions {
  /** The history's retention now (a reload may change it): the longest `?history=` window. */
  retentionMs?: () => number;
  /** Answers a request for the whole state; without it, the view is evaluated. */
  evaluation?: EvaluationSource;
}

const DEFAULT_HISTORY = 200;

export const STATUS_API_QUERY: QuerySpec = {
  history: HISTORY_PARAM,
  host: { kind: 'string', minLength: 1, maxLength: 260 },
};

export function statusApiRoutes(source: StatusSource, options: StatusApiOptions = {}) {
  const retentionMs = options.retentionMs ?? (() => DEFAULT_RETENTION_MS);
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { history?: HistoryParam; host?: string } }>(
      '/api/v1/status',
      strictQuery(STATUS_API_QUERY),
      async (request, reply) => {
        const { history = { recent: DEFAULT_HISTORY }, host } = request.query;
        const retention = retentionMs();
        if ('windowMs' in history && history.windowMs > retention) {
          return reply.code(400).send({
            error: `query parameter history: ${formatDuration(history.windowMs)} is longer than the history is kept (history.retention: ${formatDuration(retention)})`,
          });
        }
        const view = source({
          historyLimit: 'recent' in history ? history.recent : DEFAULT_HISTORY,
          ...(host === undefined ? {} : { host }),
          ...('windowMs' in history ? { historyWindowMs: history.windowMs } : {}),
        });
        if (host !== undefined && view.hosts.length === 0) {
          return reply
            .code(404)
            .send({ error: `no host ${JSON.stringify(host)} in the current state` });
        }
        // The one evaluation: the verdict, the findings (with the catalogue's meaning and
        // fix) and what each domain's clients get. Narrowed to a host, only its findings.
        const evaluation =
          (host === undefined ? options.evaluation?.() : undefined) ?? evaluate(view);
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
