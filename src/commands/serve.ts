/**
 * `kms-monitor serve`: loads the configuration, runs the poller, serves /metrics, the
 * status API and the lifecycle endpoints, reloads on SIGHUP or POST /-/reload (a bad new
 * configuration keeps the old one running), and shuts down gracefully on SIGTERM/SIGINT.
 */
import type { Logger } from 'pino';
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
import { createLogger } from '../log/logger.js';
import { readResolvConf } from '../dns/index.js';
import { startMonitorApp, type MonitorApp, type MonitorAppOptions } from '../app/monitor-app.js';
import { NO_WEB_CONFIG, loadWebConfig } from '../web/web-config.js';

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

Runs the poller and serves the status page at /, /metrics, /api/v1/status,
/-/healthy, /-/ready and POST /-/reload. SIGHUP reloads the configuration; SIGTERM or SIGINT stops.
With no domains configured, the search domains of /etc/resolv.conf are watched.

Flags:
${TARGET_USAGE}
  --web.listen-address=ADDR [host]:port to listen on (default :9688, or web.listen_address)
  --web.config.file=FILE    TLS and basic-auth configuration (exporter-toolkit format)
${LOG_USAGE}
  -h, --help                show this help`,

  async run(argv) {
    const { values: flags } = parseFlags(argv, options);
    const log = createLogger(logSettings(flags));
    let webConfig = NO_WEB_CONFIG;
    if (flags['web.config.file']) {
      try {
        webConfig = await loadWebConfig(flags['web.config.file']);
      } catch (err) {
        process.stderr.write(`kms-monitor: ${(err as Error).message}\n`);
        return ExitCode.usage;
      }
    }
    return runUntilSignalled(log, {
      log,
      readConfig: () => loadConfigWithFlags(flags),
      readSystem: () => readResolvConf(flags['dns.resolv-conf']),
      webConfig,
      ...(flags['web.listen-address'] ? { listenAddress: flags['web.listen-address'] } : {}),
    });
  },
};

/**
 * Starts the monitor, then waits for SIGTERM or SIGINT (stop) and SIGHUP (reload).
 * A configuration or listen error at start exits 2 with one line on stderr.
 */
export async function runUntilSignalled(
  log: Logger,
  appOptions: MonitorAppOptions,
  onStop?: () => Promise<void>,
): Promise<number> {
  // Handlers go in before anything starts: a signal during start-up must stop the
  // process cleanly, not kill it with the default action.
  let stopSignal: NodeJS.Signals | null = null;
  let wakeStop: (() => void) | null = null;
  let app: MonitorApp | null = null;
  const onStopSignal = (signal: NodeJS.Signals) => {
    stopSignal ??= signal;
    wakeStop?.();
  };
  const onHup = () => void app?.reload();
  process.on('SIGTERM', onStopSignal);
  process.on('SIGINT', onStopSignal);
  process.on('SIGHUP', onHup);
  const detach = () => {
    process.off('SIGTERM', onStopSignal);
    process.off('SIGINT', onStopSignal);
    process.off('SIGHUP', onHup);
  };
  try {
    app = await startMonitorApp(appOptions);
  } catch (err) {
    detach();
    log.error({ err: (err as Error).message }, 'not starting');
    process.stderr.write(`kms-monitor: ${(err as Error).message}\n`);
    await onStop?.();
    return ExitCode.usage;
  }
  if (stopSignal === null) await new Promise<void>((resolve) => (wakeStop = resolve));
  log.info({ signal: stopSignal }, 'shutting down');
  detach();
  try {
    await app.stop();
    await onStop?.();
    return ExitCode.ok;
  } catch (err) {
    log.error({ err: (err as Error).message }, 'error while shutting down');
    return ExitCode.failure;
  }
}
