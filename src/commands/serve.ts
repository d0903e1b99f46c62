/**
 * `kms-monitor serve`: loads the configuration, serves /metrics and the lifecycle
 * endpoints, reloads on SIGHUP or POST /-/reload (a bad new configuration keeps the old
 * one running), and shuts down gracefully on SIGTERM and SIGINT.
 */
import { Registry } from 'prom-client';
import type { Command } from '../cli/command.js';
import { ExitCode } from '../cli/command.js';
import { parseFlags } from '../cli/parse.js';
import {
  LOG_USAGE,
  TARGET_USAGE,
  loadConfigWithFlags,
  logOptions,
  logSettings,
  targetOptions,
} from '../cli/common-flags.js';
import type { Config } from '../config/schema.js';
import { createLogger } from '../log/logger.js';
import { registerExporterMetrics } from '../metrics/exporter-metrics.js';
import { createWebServer } from '../web/server.js';
import { NO_WEB_CONFIG, loadWebConfig } from '../web/web-config.js';
import { listen } from '../web/listen.js';

const options = {
  ...targetOptions,
  ...logOptions,
  'web.listen-address': { type: 'string' },
  'web.config.file': { type: 'string' },
} as const;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'watch the configured domains and hosts and serve /metrics',
  usage: `Usage: kms-monitor serve [flags]

Serves /metrics, /-/healthy, /-/ready and
POST /-/reload. SIGHUP reloads the configuration; SIGTERM or SIGINT stops.

Flags:
${TARGET_USAGE}
  --web.listen-address=ADDR [host]:port to listen on (default :9688, or web.listen_address)
  --web.config.file=FILE    TLS and basic-auth configuration (exporter-toolkit format)
${LOG_USAGE}
  -h, --help                show this help`,

  async run(argv) {
    const { values: flags } = parseFlags(argv, options);
    const log = createLogger(logSettings(flags));
    const readConfig = () => loadConfigWithFlags(flags);
    let config: Config;
    try {
      config = await readConfig();
    } catch (err) {
      log.error({ err: (err as Error).message }, 'invalid configuration, not starting');
      process.stderr.write(`kms-monitor: ${(err as Error).message}\n`);
      return ExitCode.usage;
    }
    let webConfig = NO_WEB_CONFIG;
    if (flags['web.config.file']) {
      try {
        webConfig = await loadWebConfig(flags['web.config.file']);
      } catch (err) {
        process.stderr.write(`kms-monitor: ${(err as Error).message}\n`);
        return ExitCode.usage;
      }
    }

    const registry = new Registry();
    const exporterMetrics = registerExporterMetrics(registry);
    exporterMetrics.configReloaded(true);

    let reloading: Promise<{ ok: true } | { ok: false; error: string }> | null = null;
    const reload = (): Promise<{ ok: true } | { ok: false; error: string }> => {
      // Concurrent reload requests share one read of the file.
      reloading ??= (async () => {
        try {
          config = await readConfig();
          exporterMetrics.configReloaded(true);
          log.info(
            { domains: config.domains.length, hosts: config.hosts.length },
            'configuration reloaded',
          );
          return { ok: true as const };
        } catch (err) {
          exporterMetrics.configReloaded(false);
          const error = (err as Error).message;
          log.error(
            { err: error },
            'configuration reload failed, keeping the previous configuration',
          );
          return { ok: false as const, error };
        } finally {
          reloading = null;
        }
      })();
      return reloading;
    };

    const app = await createWebServer({
      logger: log,
      webConfig,
      registry,
      lifecycle: { isReady: () => true, reload },
    });
    const address = flags['web.listen-address'] ?? config.web.listen_address;
    try {
      const url = await listen(app, address);
      log.info(
        { address: url, tls: webConfig.tls !== null, auth: webConfig.users.size > 0 },
        'listening',
      );
    } catch (err) {
      process.stderr.write(`kms-monitor: cannot listen on ${address}: ${(err as Error).message}\n`);
      return ExitCode.usage;
    }

    const onHup = () => void reload();
    process.on('SIGHUP', onHup);
    return new Promise<number>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        log.info({ signal }, 'shutting down');
        process.off('SIGHUP', onHup);
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        app.close().then(
          () => resolve(ExitCode.ok),
          () => resolve(ExitCode.failure),
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
  },
};
