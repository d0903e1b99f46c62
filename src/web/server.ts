/**
 * The HTTP(S) server: fastify with the exporter's endpoints, basic auth and TLS from the
 * web configuration, and pino as its logger. Routes live in plugins of their own; this
 * file only assembles them.
 */
import type { Duplex } from 'node:stream';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { BasicAuthenticator } from './basic-auth.js';
import type { WebConfig } from './web-config.js';
import { metricsRoutes, type MetricsSource } from './routes/metrics.js';
import { lifecycleRoutes, type Lifecycle } from './routes/lifecycle.js';

export interface WebServerOptions {
  logger: Logger;
  webConfig: WebConfig;
  metrics: MetricsSource;
  lifecycle: Lifecycle;
  /** Extra route plugins (status page, API) registered by later layers. */
  plugins?: Array<(app: FastifyInstance) => Promise<void>>;
}

/**
 * A request Node's HTTP parser refuses gets a bare status line, `Connection: close` and no
 * body, then the socket closes. (Fastify's default sends a body without closing first, so
 * a keep-alive client would read it as the answer to its next request.)
 */
function answerUnparseableRequest(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}

export async function createWebServer(options: WebServerOptions): Promise<FastifyInstance> {
  const { webConfig } = options;
  const tls = webConfig.tls;
  const app = Fastify({
    loggerInstance: options.logger,
    // Scrapes every few seconds would drown the log; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Bounded like everything else: no endpoint takes a body beyond a few bytes.
    bodyLimit: 64 * 1024,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    clientErrorHandler: answerUnparseableRequest,
    ...(tls ? { https: tls.options } : {}),
  }) as unknown as FastifyInstance;

  if (tls?.requireClientCert) {
    app.addHook('onRequest', async (request, reply) => {
      const socket = request.raw.socket as { getPeerCertificate?: () => { raw?: Buffer } };
      if (!socket.getPeerCertificate?.()?.raw) {
        return reply.code(403).send('client certificate required\n');
      }
    });
  }
  const auth = new BasicAuthenticator(webConfig.users);
  if (auth.enabled) {
    app.addHook('onRequest', async (request, reply) => {
      if (!(await auth.check(request.headers.authorization))) {
        return reply
          .code(401)
          .header('WWW-Authenticate', 'Basic realm="kms-monitor", charset="UTF-8"')
          .send('Unauthorized\n');
      }
    });
  }
  app.addHook('onSend', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
  });

  await app.register(metricsRoutes(options.metrics));
  await app.register(lifecycleRoutes(options.lifecycle));
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  return app;
}
