/**
 * The HTTP(S) server: fastify with the exporter's endpoints, basic auth, TLS and extra
 * headers from the web configuration (swappable on reload), strict query strings on
 * every route, bounded timeouts and connections, and a shutdown with a deadline. Routes
 * live in plugins of their own; this file assembles them.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { BcryptQueue } from './auth/bcrypt-queue.js';
import { BasicAuthenticator } from './basic-auth.js';
import { clientCertificateVerdict } from './client-certificates.js';
import { ConnectionTracker, type ConnectionStats } from './connections.js';
import { strictQueryHook } from './query.js';
import type { TlsSettings, WebConfig } from './web-config.js';
import type { MetricsSource } from '../metrics/source.js';
import { metricsRoutes } from './routes/metrics.js';
import { lifecycleRoutes, type Lifecycle } from './routes/lifecycle.js';

/**
 * Timeouts (ms) that keep a slow or silent client from holding a socket: the whole request
 * must arrive in 30 s and its headers in 10 s (checked every 2 s), a TLS handshake must
 * finish in 10 s, a keep-alive connection may idle 20 s between requests (longer than a
 * 15 s scrape interval) and any socket 30 s without a byte.
 */
export const HTTP_TIMEOUTS = {
  requestTimeout: 30_000,
  headersTimeout: 10_000,
  connectionsCheckingInterval: 2_000,
  keepAliveTimeout: 20_000,
  handshakeTimeout: 10_000,
  socketTimeout: 30_000,
} as const;

/** Endpoints --web.unauthenticated-health opens (GET and HEAD only). */
const HEALTH_ROUTES = new Set(['/-/healthy', '/-/ready']);

export interface WebServerOptions {
  logger: Logger;
  webConfig: WebConfig;
  metrics: MetricsSource;
  lifecycle: Lifecycle;
  /** Cap on open HTTP connections (see fd-limit.ts). */
  maxConnections: number;
  /** /-/healthy and /-/ready answer without credentials when basic auth is on. */
  unauthenticatedHealth?: boolean;
  /** Extra route plugins (status page, API) registered by later layers. */
  plugins?: Array<(app: FastifyInstance) => Promise<void>>;
}

export interface WebServer {
  app: FastifyInstance;
  /**
   * Applies a re-read web configuration: TLS material and client-certificate policy for
   * new connections, users and headers for new requests. Throws (changing nothing) when
   * it would turn TLS on or off, which needs a new listener.
   */
  applyWebConfig(config: WebConfig): void;
  setMaxConnections(max: number): void;
  connections(): ConnectionStats;
  /**
   * Stops accepting, closes idle connections, lets requests in progress finish for
   * `graceMs`, then destroys what is left. Resolves with the number destroyed.
   */
  close(graceMs: number): Promise<number>;
}

/**
 * A request Node's HTTP parser refuses gets a bare status line, `Connection: close` and no
 * body, then the socket closes. (Fastify's default sends a body without closing first, so
 * a keep-alive client would read it as the answer to its next request.) Headers or a
 * request that did not arrive in time get a 408.
 */
function answerUnparseableRequest(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? '431 Request Header Fields Too Large'
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : '400 Bad Request';
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}

function createNodeServer(
  tls: TlsSettings | null,
  handler: Parameters<typeof createHttpServer>[1],
): HttpServer | HttpsServer {
  const { socketTimeout, handshakeTimeout, ...http } = HTTP_TIMEOUTS;
  const server = tls
    ? createHttpsServer({ ...http, ...tls.options, handshakeTimeout }, handler)
    : createHttpServer(http, handler);
  server.setTimeout(socketTimeout);
  return server;
}

interface Live {
  config: WebConfig;
  auth: BasicAuthenticator;
}

function sameUsers(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [user, hash] of a) if (b.get(user) !== hash) return false;
  return true;
}

/** The compiler factory of a server whose routes declare no schemas: a route that did fails. */
function noSchemaCompiler(): () => never {
  return () => {
    throw new Error('kms-monitor routes declare no schemas: check it in the handler instead');
  };
}

export async function createWebServer(options: WebServerOptions): Promise<WebServer> {
  const log = options.logger;
  const initialTls = options.webConfig.tls;
  // One worker for every authenticator: a reload swaps users, not the thread.
  const bcrypt = new BcryptQueue();
  let live: Live = {
    config: options.webConfig,
    auth: new BasicAuthenticator(options.webConfig.users, bcrypt),
  };

  const app = Fastify({
    loggerInstance: options.logger,
    // Scrapes every few seconds would drown the log; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Bounded like everything else: no endpoint takes a body beyond a few bytes.
    bodyLimit: 64 * 1024,
    requestTimeout: HTTP_TIMEOUTS.requestTimeout,
    keepAliveTimeout: HTTP_TIMEOUTS.keepAliveTimeout,
    clientErrorHandler: answerUnparseableRequest,
    // Fastify's own options cannot set headersTimeout, the checking interval or the
    // handshake timeout; the factory builds the Node server with all of them.
    serverFactory: (handler) => createNodeServer(initialTls, handler),
    // Only for the scheme of the address fastify reports; the factory made the server.
    ...(initialTls ? { https: initialTls.options } : {}),
    // No route declares a schema (query.ts checks query strings itself, to name the bad
    // parameter), so fastify's default compilers, ajv and fast-json-stringify, would be
    // loaded for nothing: ~1.3 MiB of an idle serve's heap after GC.
    schemaController: {
      compilersFactory: { buildValidator: noSchemaCompiler, buildSerializer: noSchemaCompiler },
    },
  }) as unknown as FastifyInstance;

  const tracker = new ConnectionTracker(app.server, options.maxConnections);
  if (initialTls) {
    // Before the HTTP layer's own listener, so a refused client never reaches the parser.
    app.server.prependListener('secureConnection', (socket: TLSSocket) => {
      const policy = live.config.tls?.clientAuth ?? 'NoClientCert';
      const refused = clientCertificateVerdict(socket, policy);
      if (refused) {
        log.debug({ remote: socket.remoteAddress, reason: refused }, 'TLS connection refused');
        socket.destroy();
      }
    });
  }

  // Every route validates its query string, whether or not it declares parameters.
  app.addHook('onRoute', (route) => {
    const existing = route.preValidation;
    const hooks = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    if (!hooks.includes(strictQueryHook)) route.preValidation = [strictQueryHook, ...hooks];
  });

  // Configured headers go first, so a route that sets its own (the status page's
  // Content-Security-Policy) wins, as in exporter-toolkit; 401s carry them too.
  app.addHook('onRequest', async (_request, reply) => {
    for (const [name, value] of Object.entries(live.config.headers ?? {})) {
      reply.header(name, value);
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    const { auth } = live;
    if (!auth.enabled) return;
    if (
      options.unauthenticatedHealth &&
      HEALTH_ROUTES.has(request.routeOptions.url ?? '') &&
      (request.method === 'GET' || request.method === 'HEAD')
    ) {
      return;
    }
    let outcome;
    try {
      outcome = await auth.check(request.headers.authorization, request.socket.remoteAddress ?? '');
    } catch (err) {
      // Not the library's message to the client: it may say more than it should.
      log.error({ err: (err as Error).message }, 'basic auth check failed');
      return reply.code(500).type('text/plain').send('Internal Server Error\n');
    }
    if (outcome === 'ok') return;
    if (outcome === 'busy') {
      return reply
        .code(429)
        .header('Retry-After', '1')
        .type('text/plain')
        .send('Too many logins are being checked; retry in a moment.\n');
    }
    return reply
      .code(401)
      .header('WWW-Authenticate', 'Basic realm="kms-monitor", charset="UTF-8"')
      .type('text/plain')
      .send('Unauthorized\n');
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
  });

  await app.register(metricsRoutes(options.metrics));
  await app.register(lifecycleRoutes(options.lifecycle));
  for (const plugin of options.plugins ?? []) await app.register(plugin);

  return {
    app,
    applyWebConfig(config) {
      if ((config.tls === null) !== (initialTls === null)) {
        throw new Error(
          `a reload cannot turn TLS ${config.tls ? 'on' : 'off'}: the listener is already ${initialTls ? 'HTTPS' : 'HTTP'}; restart kms-monitor for that`,
        );
      }
      if (config.tls) {
        const server = app.server as unknown as HttpsServer & {
          requestCert: boolean;
          rejectUnauthorized: boolean;
        };
        server.setSecureContext(config.tls.options);
        // Read by Node for every new TLS connection; setSecureContext leaves them alone.
        server.requestCert = config.tls.options.requestCert;
        server.rejectUnauthorized = config.tls.options.rejectUnauthorized;
      }
      // Unchanged users keep their authenticator and so their cached logins.
      const auth = sameUsers(config.users, live.config.users)
        ? live.auth
        : new BasicAuthenticator(config.users, bcrypt);
      live = { config, auth };
    },
    setMaxConnections: (max) => tracker.setMaxConnections(max),
    connections: () => tracker.stats(),
    async close(graceMs) {
      const closed = app.close();
      const forced = await tracker.drain(graceMs);
      await closed;
      await bcrypt.close();
      return forced;
    },
  };
}
