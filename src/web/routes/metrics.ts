/** GET /metrics: the exposition text; collectors read the latest state, never probe. */
import type { FastifyInstance } from 'fastify';

export interface MetricsSource {
  contentType: string;
  render(): Promise<string>;
}

export function metricsRoutes(source: MetricsSource) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/metrics', async (_request, reply) =>
      reply.type(source.contentType).send(await source.render()),
    );
  };
}
