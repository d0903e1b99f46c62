/**
 * The status page as a fastify plugin, in the style of statusApiRoutes: GET / (the domain ×
 * product matrix, filtered by ?status, ?product, ?domain, ?page), GET /domain/<name> (one
 * domain), GET /host/:host (one host: `host` or `host:port`, URL-encoded), and
 * the stylesheet and script under /static/. Pages are rendered from the StatusView the
 * source returns — reading the state only, never probing — and carry a strict
 * Content-Security-Policy: no inline script or style, nothing from another origin.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StatusView } from '../../monitor/status-view.js';
import { acceptsGzip } from '../accept-encoding.js';
import type { EvaluationSource } from '../routes/status-api.js';
import { integerParam, QueryError, strictQuery, type QuerySpec } from '../query.js';
import { SCRIPT_ASSET, STYLESHEET_ASSET, type StaticAsset } from './assets.js';
import { FILTER_QUERY, filterOf } from './filters.js';
import { narrowToDomain, renderDomainNotFound, renderDomainPage } from './render-domain-page.js';
import { renderHostNotFound, renderHostPage, renderStatusPage } from './render-page.js';
import { matrixProducts } from './render-matrix.js';

/** The same signature as the status API's source, so one closure can feed both. */
export type StatusPageSource = (options: {
  historyLimit: number;
  host?: string;
  historyWindowMs?: number;
}) => StatusView;

export interface StatusPageOptions {
  /** Seconds between automatic refreshes of an open page (default 15; `?refresh=N` overrides). */
  refreshSeconds?: number;
  /** What `/` renders; without it, `/` evaluates its view. */
  evaluation?: EvaluationSource;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; " +
  // form-action 'self': the domain search box is a GET form to `/` (works without script).
  "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The history the page reads: enough to reach the older failures (the state keeps 1,000). */
const PAGE_HISTORY = 1000;
const HOST_HISTORY = 200;
/** The host page draws its sparklines over the whole retention (the view clamps to it). */
const HOST_HISTORY_WINDOW = Number.POSITIVE_INFINITY;

// Checked strictly by src/web/query.ts (unknown names, `0x10` and `1e3` are 400s).
const pageQuery: QuerySpec = { refresh: integerParam(0, 3600) };
const indexQuery: QuerySpec = { ...pageQuery, ...FILTER_QUERY };
/** The content hash the page puts on its asset links (assets.ts). */
const assetQuery: QuerySpec = {
  v: { kind: 'string', minLength: 1, maxLength: 64, pattern: /^[0-9a-f]+$/ },
};

// The pages of a domain and of a host take the name as a wildcard, not `:host`: fastify
// caps named parameters at 100 characters, and a host name may have 253. Checked here,
// not by a route schema, so that no schema compiler is loaded (../server.ts).
const MAX_PATH_NAME = 260;

function nameTooLong(reply: FastifyReply): FastifyReply {
  return reply
    .code(400)
    .type('text/plain; charset=utf-8')
    .send(`the name in the path is longer than ${MAX_PATH_NAME} characters\n`);
}

const gzipAsync = promisify(gzip);
/** Below this a page goes out as is: compressing would cost more than it saves. */
const GZIP_FROM_BYTES = 16 * 1024;

/**
 * A page of a thousand hosts is megabytes of HTML, fetched again at every refresh; gzip
 * makes it a twentieth of that. Compression runs on libuv's thread pool, off the event
 * loop that serves /metrics.
 */
async function encode(
  request: FastifyRequest,
  reply: FastifyReply,
  body: string,
): Promise<string | Buffer> {
  reply.header('Vary', 'Accept-Encoding');
  if (body.length < GZIP_FROM_BYTES || !acceptsGzip(request.headers['accept-encoding'])) {
    return body;
  }
  reply.header('Content-Encoding', 'gzip');
  return gzipAsync(body, { level: 4 });
}

async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  body: string,
): Promise<FastifyReply> {
  const payload = await encode(request, reply, body);
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Frame-Options', 'DENY')
    .send(payload);
}

function serveAsset(app: FastifyInstance, asset: StaticAsset): void {
  app.get(asset.route, strictQuery(assetQuery), async (_request, reply) =>
    reply
      .type(asset.contentType)
      // The page links the asset with a content hash in the query: a day is safe.
      .header('Cache-Control', 'public, max-age=86400')
      .send(asset.body),
  );
}

export function statusPageRoutes(source: StatusPageSource, options: StatusPageOptions = {}) {
  const defaultRefresh = options.refreshSeconds ?? 15;
  return async function plugin(app: FastifyInstance): Promise<void> {
    serveAsset(app, STYLESHEET_ASSET);
    serveAsset(app, SCRIPT_ASSET);

    app.get<{
      Querystring: {
        refresh?: number;
        status?: string;
        product?: string;
        domain?: string;
        page?: number;
      };
    }>('/', strictQuery(indexQuery), async (request, reply) => {
      const view = source({ historyLimit: PAGE_HISTORY });
      const evaluation = options.evaluation?.();
      let filter;
      try {
        filter = filterOf(request.query, matrixProducts(view));
      } catch (err) {
        if (!(err instanceof QueryError)) throw err;
        return reply.code(400).type('text/plain; charset=utf-8').send(`${err.message}\n`);
      }
      const refreshSeconds = request.query.refresh ?? defaultRefresh;
      return sendPage(
        request,
        reply,
        200,
        renderStatusPage(view, { refreshSeconds, filter, evaluation }),
      );
    });

    app.get<{ Params: { '*': string }; Querystring: { refresh?: number } }>(
      '/domain/*',
      strictQuery(pageQuery),
      async (request, reply) => {
        const name = request.params['*'];
        if (name.length > MAX_PATH_NAME) return nameTooLong(reply);
        const view =
          name === '' ? null : narrowToDomain(source({ historyLimit: PAGE_HISTORY }), name);
        if (view === null) return sendPage(request, reply, 404, renderDomainNotFound(name));
        const refreshSeconds = request.query.refresh ?? defaultRefresh;
        return sendPage(request, reply, 200, renderDomainPage(view, { refreshSeconds }));
      },
    );

    app.get<{ Params: { '*': string }; Querystring: { refresh?: number } }>(
      '/host/*',
      strictQuery(pageQuery),
      async (request, reply) => {
        const host = request.params['*'];
        if (host.length > MAX_PATH_NAME) return nameTooLong(reply);
        const view =
          host === ''
            ? null
            : source({ historyLimit: HOST_HISTORY, host, historyWindowMs: HOST_HISTORY_WINDOW });
        if (view === null || view.hosts.length === 0) {
          return sendPage(request, reply, 404, renderHostNotFound(host));
        }
        const refreshSeconds = request.query.refresh ?? defaultRefresh;
        return sendPage(request, reply, 200, renderHostPage(view, host, { refreshSeconds }));
      },
    );
  };
}
