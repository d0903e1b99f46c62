// No route declares a schema (query strings are checked by src/web/query.ts), so the web
// server must not load fastify's default schema compilers: ajv and fast-json-stringify
// were ~2 MiB of an idle serve's heap for nothing. A route that declared one would fail as
// the server starts, not run unchecked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { startMonitorApp } from '../../src/app/monitor-app.js';
import { configSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/log/logger.js';
import { createWebServer } from '../../src/web/server.js';
import { NO_WEB_CONFIG } from '../../src/web/web-config.js';

// fast-json-stringify's runtime (lib/serializer.js) is fastify's own error serializer,
// prebuilt: that one is always loaded; its compiler (index.js) is not.
const COMPILER_MODULES =
  /node_modules\/(ajv\/|@fastify\/ajv-compiler\/|@fastify\/fast-json-stringify-compiler\/|fast-json-stringify\/index\.js)/;

function compilerModulesLoaded(): string[] {
  return Object.keys(createRequire(import.meta.url).cache).filter((f) => COMPILER_MODULES.test(f));
}

describe('fastify schema compilers', { timeout: 60_000 }, () => {
  it('are never loaded by the monitor: every route and kind of answer served without them', async () => {
    const app = await startMonitorApp({
      log: createLogger({
        level: 'error',
        format: 'json',
        destination: new Writable({ write: (_chunk, _enc, done) => done() }),
      }),
      readConfig: async () =>
        configSchema.parse({ interval: '1h', kms_interval: '1h', hosts: ['kms.x.example:1688'] }),
      webConfig: NO_WEB_CONFIG,
      listenAddress: '127.0.0.1:0',
      readSystem: async () => ({ nameservers: [], search: [] }),
      // Discovery only: the routes are the subject, not the probes.
      probers: { discover: async () => [] },
    });
    try {
      const answers: Record<string, number> = {
        '/': 200,
        '/domain/x.example': 404,
        '/host/kms.x.example:1688': 200,
        [`/host/${'a'.repeat(300)}`]: 400,
        '/api/v1/status': 200,
        '/metrics': 200,
        '/-/healthy': 200,
        '/metrics?nope=1': 400,
        '/missing': 404,
      };
      for (const [path, status] of Object.entries(answers)) {
        const res = await fetch(`${app.url}${path}`);
        assert.equal(res.status, status, path);
        await res.arrayBuffer();
      }
    } finally {
      await app.stop();
    }
    assert.deepEqual(compilerModulesLoaded(), []);
  });

  it('a route declaring a schema fails as the server starts, rather than run unchecked', async () => {
    const withSchema = await createWebServer({
      logger: pino({ level: 'silent' }),
      webConfig: NO_WEB_CONFIG,
      metrics: {
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
        render: async () => '',
        body: async () => [],
      },
      lifecycle: { isReady: () => true, reload: async () => ({ ok: true }) },
      maxConnections: 16,
      plugins: [
        async (app: FastifyInstance) => {
          app.get(
            '/checked',
            { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } },
            async () => 'ok',
          );
        },
      ],
    });
    try {
      await assert.rejects(async () => withSchema.app.ready(), /declare no schemas/);
    } finally {
      await withSchema.close(0);
    }
  });
});
