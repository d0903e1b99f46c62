/**
 * `kms-monitor serve`: loads the configuration, runs the poller, serves /metrics, the
 * status API and the lifecycle endpoints, reloads on SIGHUP or POST /-/reload (a bad new
 * configuration keeps the old one running), and shuts down gracefully on SIGTERM/SIGINT.
 */
import type { Logger } from 'pino';
import type { Command } from '../cli/command.js';
import { ExitCode } from '../cli/command.js';
import { UsageError, parseFlags } from '../cli/parse.js';
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
import { loadWebConfig } from '../web/web-config.js';
import { MAX_CONNECTIONS } from '../web/fd-limit.js';

const options = {
  ...targetOptions,
  ...logOptions,
  'web.listen-address': { type: 'string' },
  'web.config.file': { type: 'string' },
  'web.unauthenticated-health': { type: 'boolean' },
  'web.max-connections': { type: 'string' },
} as const;

/** After shutdown, a handle nothing closed (a stuck probe) may keep the process this long. */
const EXIT_FALLBACK_MS = 1_000;

function maxConnectionsFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^[0-9]{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_CONNECTIONS)) {
    throw new UsageError(
      `--web.max-connections must be a whole number from 1 to ${MAX_CONNECTIONS}; got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

export const serveCommand: Command = {
  name: 'serve',
  options,
  summary: 'watch the configured domains and hosts and serve /metrics',
  usage: `Usage: kms-monitor serve [flags]

Runs the poller and serves the status page at /, /metrics, /api/v1/status,
/-/healthy, /-/ready and POST /-/reload. SIGHUP reloads the configuration and the web
configuration; SIGTERM or SIGINT stops (requests in progress get 2.5 s).
With no domains configured, the search domains of /etc/resolv.conf are watched.

Flags:
${TARGET_USAGE}
  --web.listen-address=ADDR [host]:port to listen on (default :9688, or web.listen_address)
  --web.config.file=FILE    TLS, basic auth and headers (exporter-toolkit format); re-read on reload
  --web.unauthenticated-health
                            /-/healthy and /-/ready answer without basic auth (for probes)
  --web.max-connections=N   cap on open HTTP connections (default: from the open-files limit)
${LOG_USAGE}
  -h, --help                show this help`,

  async run(argv) {
    const { values: flags } = parseFlags(argv, options);
    const log = createLogger(logSettings(flags));
    const webConfigFile = flags['web.config.file'];
    const maxConnections = maxConnectionsFlag(flags['web.max-connections']);
    return runUntilSignalled(log, {
      log,
      readConfig: () => loadConfigWithFlags(flags),
      readSystem: () => readResolvConf(flags['dns.resolv-conf']),
      // Read at start (a bad file exits 2) and again on every reload.
      ...(webConfigFile ? { readWebConfig: () => loadWebConfig(webConfigFile) } : {}),
      unauthenticatedHealth: flags['web.unauthenticated-health'] ?? false,
      ...(maxConnections === undefined ? {} : { maxConnections }),
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
  let code: number = ExitCode.ok;
  try {
    await app.stop();
    await onStop?.();
  } catch (err) {
    log.error({ err: (err as Error).message }, 'error while shutting down');
    code = ExitCode.failure;
  }
  // Shutdown has a deadline: the server and the poller are closed, and a handle that
  // something failed to close must not keep the process alive past it. The timer is
  // unref'd, so it fires only when such a handle exists.
  setTimeout(() => {
    log.warn('handles still open after shutdown; exiting anyway');
    process.exit(code);
  }, EXIT_FALLBACK_MS).unref();
  return code;
}
