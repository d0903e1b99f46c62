/**
 * The Prometheus-style lifecycle endpoints: /-/healthy (the process serves), /-/ready
 * (the first round of probes is done, so /metrics is meaningful) and POST /-/reload.
 */
import type { FastifyInstance } from 'fastify';

export interface Lifecycle {
  isReady(): boolean;
  /** Re-reads the configuration; resolves with an error message when the new one is bad. */
  reload(): Promise<{ ok: true } | { ok: false; error: string }>;
}

export function lifecycleRoutes(lifecycle: Lifecycle) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/-/healthy', async (_request, reply) => reply.type('text/plain').send('Healthy.\n'));
    app.get('/-/ready', async (_request, reply) =>
      lifecycle.isReady()
        ? reply.type('text/plain').send('Ready.\n')
        : reply.code(503).type('text/plain').send('Not ready: the first round has not finished.\n'),
    );
    app.post('/-/reload', async (_request, reply) => {
      const result = await lifecycle.reload();
      if (result.ok) return reply.type('text/plain').send('Configuration reloaded.\n');
      return reply.code(500).type('text/plain').send(`Reload failed: ${result.error}\n`);
    });
  };
}
