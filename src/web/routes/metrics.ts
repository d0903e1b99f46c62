/**
 * GET /metrics: the exposition text; the source reads the latest state, never probes.
 * The body goes out as the source's prebuilt buffers, gzipped when the client accepts it
 * (Prometheus does). HEAD answers the headers without building a body.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MetricsSource } from '../../metrics/source.js';
import { acceptsGzip } from '../accept-encoding.js';

export function metricsRoutes(source: MetricsSource) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    // Declared before GET, so fastify does not add its own HEAD (which runs the GET handler).
    app.head('/metrics', async (_request, reply) =>
      reply.type(source.contentType).header('Vary', 'Accept-Encoding').send(),
    );
    app.get('/metrics', async (request: FastifyRequest, reply: FastifyReply) => {
      const gzip = acceptsGzip(request.headers['accept-encoding']);
      // The source writes later bodies into these buffers once the response has closed
      // (sent, or the client gone): never while they may still be written to the socket.
      const sent = new Promise((resolve) => reply.raw.once('close', resolve));
      const chunks = await source.body(gzip ? 'gzip' : 'identity', sent);
      reply.type(source.contentType).header('Vary', 'Accept-Encoding');
      if (gzip) reply.header('Content-Encoding', 'gzip');
      reply.header(
        'Content-Length',
        chunks.reduce((n, c) => n + c.length, 0),
      );
      return reply.send(Readable.from(chunks, { objectMode: false }));
    });
  };
}
