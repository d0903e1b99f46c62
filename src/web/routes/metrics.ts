/** GET /metrics: the exposition text; the source reads the latest state, never probes. */
import type { FastifyInstance } from 'fastify';
import type { MetricsSource } from '../../metrics/source.js';

export function metricsRoutes(source: MetricsSource) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/metrics', async (_request, reply) =>
      reply.type(source.contentType).send(await source.render()),
    );
  };
}
