/** GET /metrics: renders the registry; collectors read the latest state, never probe. */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export function metricsRoutes(registry: Registry) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/metrics', async (_request, reply) => {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    });
  };
}
