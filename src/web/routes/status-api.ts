/**
 * GET /api/v1/status: the whole state as JSON (see README, "Status API"). Query
 * parameters are checked by a schema; a bad one is a 400 naming it, never a 500.
 */
import type { FastifyInstance } from 'fastify';
import type { StatusView } from '../../monitor/status-view.js';

export type StatusSource = (options: { historyLimit: number; host?: string }) => StatusView;

const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    history: { type: 'integer', minimum: 0, maximum: 1000, default: 200 },
    host: { type: 'string', minLength: 1, maxLength: 260 },
  },
} as const;

export function statusApiRoutes(source: StatusSource) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { history: number; host?: string } }>(
      '/api/v1/status',
      { schema: { querystring: querySchema } },
      async (request, reply) => {
        const { history, host } = request.query;
        const view = source({ historyLimit: history, ...(host === undefined ? {} : { host }) });
        if (host !== undefined && view.hosts.length === 0) {
          return reply
            .code(404)
            .send({ error: `no host ${JSON.stringify(host)} in the current state` });
        }
        return reply.header('Cache-Control', 'no-store').send(view);
      },
    );
  };
}
