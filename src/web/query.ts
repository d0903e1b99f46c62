/**
 * Strict query strings for every route. A route declares the parameters it takes in its
 * `config.query`; anything else — an unknown or misspelt name, a repeated parameter, a
 * number that is not a plain decimal integer in range (`0x10`, `1e3`, `+5`, ` 7`) — is a
 * 400 naming the parameter. (Fastify's own schema validation would silently drop unknown
 * names and coerce `0x10` to 16.) A route without `config.query` takes no parameters.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export type QueryParam =
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'string'; minLength?: number; maxLength: number; pattern?: RegExp }
  /** A value only `parse` understands; it throws an Error saying what is wrong. */
  | { kind: 'parsed'; expects: string; parse: (text: string) => unknown };

export type QuerySpec = Record<string, QueryParam>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The query parameters the route takes (see src/web/query.ts). */
    query?: QuerySpec;
  }
}

export const integerParam = (min: number, max: number): QueryParam => ({
  kind: 'integer',
  min,
  max,
});

export class QueryError extends Error {
  override readonly name = 'QueryError';
}

const DECIMAL = /^[0-9]{1,15}$/;

function describe(name: string, param: QueryParam): string {
  if (param.kind === 'parsed') return `query parameter ${name} must be ${param.expects}`;
  if (param.kind === 'integer') {
    return `query parameter ${name} must be a decimal integer from ${param.min} to ${param.max}`;
  }
  return `query parameter ${name} must be ${param.minLength ?? 0} to ${param.maxLength} characters${param.pattern ? ` matching ${param.pattern.source}` : ''}`;
}

/** The parsed values (integers as numbers); throws QueryError naming what is wrong. */
export function parseQuery(
  query: Record<string, string | string[] | undefined>,
  spec: QuerySpec,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const names = Object.keys(spec);
  for (const [name, value] of Object.entries(query)) {
    const param = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!param) {
      const takes = names.length > 0 ? `; it takes ${names.join(', ')}` : '; it takes none';
      throw new QueryError(`unknown query parameter ${JSON.stringify(name)}${takes}`);
    }
    if (Array.isArray(value))
      throw new QueryError(`query parameter ${name} is given more than once`);
    const text = value ?? '';
    if (param.kind === 'parsed') {
      try {
        out[name] = param.parse(text);
      } catch (err) {
        throw new QueryError(
          `query parameter ${name} must be ${param.expects}, got ${JSON.stringify(text.slice(0, 64))}: ${(err as Error).message}`,
        );
      }
    } else if (param.kind === 'integer') {
      const n = DECIMAL.test(text) ? Number(text) : NaN;
      if (!(n >= param.min && n <= param.max)) {
        throw new QueryError(`${describe(name, param)}, got ${JSON.stringify(text)}`);
      }
      out[name] = n;
    } else {
      const ok =
        text.length >= (param.minLength ?? 0) &&
        text.length <= param.maxLength &&
        (param.pattern?.test(text) ?? true);
      if (!ok)
        throw new QueryError(`${describe(name, param)}, got ${JSON.stringify(text.slice(0, 64))}`);
      out[name] = text;
    }
  }
  return out;
}

/**
 * The preValidation hook every route gets (server.ts adds it in onRoute): answers 400 with
 * the problem as text, or as `{error}` for the JSON API, and otherwise replaces
 * `request.query` with the parsed values.
 */
export async function strictQueryHook(request: FastifyRequest, reply: FastifyReply) {
  const spec = request.routeOptions.config.query ?? {};
  try {
    request.query = parseQuery(request.query as Record<string, string | string[]>, spec);
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    const json = request.routeOptions.url?.startsWith('/api/') ?? false;
    return json
      ? reply.code(400).send({ error: err.message })
      : reply.code(400).type('text/plain; charset=utf-8').send(`${err.message}\n`);
  }
}

/**
 * Route options for a route that takes `spec`: the check runs even where the route is
 * registered on a bare fastify instance (the status page's tests) rather than through
 * createWebServer, which adds strictQueryHook to every route.
 */
export function strictQuery(spec: QuerySpec) {
  return { config: { query: spec }, preValidation: strictQueryHook };
}
