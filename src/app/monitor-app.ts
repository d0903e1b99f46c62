/**
 * The running monitor: configuration → plan → poller → state, with the registries and the
 * web server reading that state. `serve` and `demo` both run one of these; only where
 * the configuration comes from differs.
 */
import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import type { ResolvConf } from '../dns/index.js';
import type { KmsIdentity } from '../kms/client/index.js';
import { identityFromConfig } from '../monitor/identity-from-config.js';
import type { Product } from '../kms/products/index.js';
import { cachedMetrics } from '../metrics/cached-render.js';
import { ExporterStatus } from '../metrics/exporter-status.js';
import { processMetricsRegistry } from '../metrics/process-metrics.js';
import type { MonitorPlan } from '../monitor/plan.js';
import { planFromConfig } from '../monitor/plan-from-config.js';
import { Poller, type Probers } from '../monitor/poller.js';
import { readForestLazily } from '../adba/index.js';
import { AdbaScheduler } from '../monitor/adba-scheduler.js';
import { realProbers } from '../monitor/probers.js';
import { MonitorState } from '../monitor/state.js';
import { evaluationOf } from '../monitor/evaluation-of.js';
import { buildStatusView } from '../monitor/status-view.js';
import { listen } from '../web/listen.js';
import { statusApiRoutes, type StatusSource } from '../web/routes/status-api.js';
import { statusPageRoutes } from '../web/status-page/routes.js';
import { connectionBudget, openFilesLimit } from '../web/fd-limit.js';
import { createWebServer } from '../web/server.js';
import { NO_WEB_CONFIG, type WebConfig } from '../web/web-config.js';

/** How long requests in progress may take to finish once shutdown starts. */
export const SHUTDOWN_GRACE_MS = 2_500;
/** How long the poller may take to wind down after its probes are aborted. */
const POLLER_STOP_MS = 1_000;

export interface MonitorAppOptions {
  log: Logger;
  readConfig: () => Promise<Config>;
  /** A fixed web configuration (demo, tests); NO_WEB_CONFIG when neither is given. */
  webConfig?: WebConfig;
  /** Reads the web configuration at start and again on every reload (serve). */
  readWebConfig?: () => Promise<WebConfig>;
  /** /-/healthy and /-/ready answer without basic auth (--web.unauthenticated-health). */
  unauthenticatedHealth?: boolean;
  /** Cap on HTTP connections; derived from the open-files limit when not given. */
  maxConnections?: number;
  /** Wins over the configuration's web.listen_address. */
  listenAddress?: string;
  /** System resolver configuration; /etc/resolv.conf by default. */
  readSystem?: () => Promise<ResolvConf>;
  /** The probes; the real ones unless a test passes others. */
  probers?: Probers<Product>;
  /** Extra web plugins (the status page). */
  plugins?: Array<(app: FastifyInstance) => Promise<void>>;
}

export type ReloadResult = { ok: true } | { ok: false; error: string };

export interface MonitorApp {
  url: string;
  state: MonitorState;
  plan(): MonitorPlan<Product>;
  reload(): Promise<ReloadResult>;
  /** Aborts the probes and closes the server within about `graceMs` + 1 s. */
  stop(graceMs?: number): Promise<void>;
}

interface Loaded {
  config: Config;
  plan: MonitorPlan<Product>;
  identity: KmsIdentity;
}

/** Throws ConfigError (or IdentityError) when the first configuration is bad. */
export async function startMonitorApp(options: MonitorAppOptions): Promise<MonitorApp> {
  const { log } = options;
  const load = async (): Promise<Loaded> => {
    const config = await options.readConfig();
    const plan = await planFromConfig(config, options.readSystem, (note) => log.warn(note));
    const identity = identityFromConfig(config);
    return { config, plan, identity };
  };
  const readWeb = async (): Promise<WebConfig> =>
    options.readWebConfig ? options.readWebConfig() : (options.webConfig ?? NO_WEB_CONFIG);
  let webConfig = await readWeb();
  let current = await load();
  const warnAbout = (loaded: Loaded, web: WebConfig) => {
    for (const warning of web.warnings ?? []) log.warn({ warning }, 'web configuration');
    if (loaded.plan.domains.length === 0 && loaded.plan.staticHosts.length === 0) {
      log.warn(
        'nothing to watch: no domains and no hosts are configured and the system resolver configuration has no search domains; set domains or hosts in the configuration file, pass --domain or --host, or point --dns.resolv-conf at a file with a search line',
      );
    }
  };
  warnAbout(current, webConfig);

  const exporterMetrics = new ExporterStatus();
  exporterMetrics.configReloaded(true);
  const state = new MonitorState();
  // The state's families are cached between changes; the process's and exporter's are not.
  const metrics = cachedMetrics({
    state,
    products: () => current.plan.products,
    exporter: exporterMetrics,
    process: processMetricsRegistry(),
  });

  const poller = new Poller(
    state,
    current.plan,
    options.probers ?? realProbers(() => current.identity),
    log,
  );
  // The /metrics body of a round's results is built as the round ends, not by the first scrape.
  poller.onRoundEnd(() => metrics.prepare());
  // The ADBA forests, each on its own adba_interval, apart from the KMS rounds.
  const adba = new AdbaScheduler(
    state.adba,
    (forest, o) => readForestLazily(forest, { ...o, logger: log }),
    log,
  );

  let reloading: Promise<ReloadResult> | null = null;
  const reload = (): Promise<ReloadResult> => {
    // Concurrent reload requests (SIGHUP and POST together) share one read of the file.
    reloading ??= (async (): Promise<ReloadResult> => {
      try {
        // Both files are read before either applies: a bad one changes nothing.
        const next = await load();
        const nextWeb = options.readWebConfig ? await options.readWebConfig() : webConfig;
        web.applyWebConfig(nextWeb);
        current = next;
        webConfig = nextWeb;
        poller.updatePlan(current.plan);
        adba.configure(current.config.adba, current.config.adba_interval);
        applyConnectionBudget();
        warnAbout(current, webConfig);
        exporterMetrics.configReloaded(true);
        log.info(
          { domains: current.plan.domains.length, hosts: current.plan.staticHosts.length },
          'configuration reloaded',
        );
        return { ok: true };
      } catch (err) {
        exporterMetrics.configReloaded(false);
        const error = (err as Error).message;
        log.error(
          { err: error },
          'configuration reload failed, keeping the previous configuration',
        );
        return { ok: false, error };
      } finally {
        reloading = null;
      }
    })();
    return reloading;
  };

  // The API and the page read the same view of the state; neither ever probes.
  const statusSource: StatusSource = (view) => buildStatusView(state, current.plan.products, view);
  // ...and the one evaluation of it that /metrics and the round's finding log read.
  const evaluation = () => evaluationOf(state, current.plan.products);
  const web = await createWebServer({
    logger: log,
    webConfig,
    maxConnections: options.maxConnections ?? 1024,
    unauthenticatedHealth: options.unauthenticatedHealth ?? false,
    metrics,
    lifecycle: { isReady: () => state.ready, reload },
    plugins: [
      statusApiRoutes(statusSource, { retentionMs: () => state.series.retentionMs, evaluation }),
      statusPageRoutes(statusSource, { evaluation }),
      ...(options.plugins ?? []),
    ],
  });
  // The cap follows the poller's concurrency, which a reload may change.
  let warnedFdLimit = false;
  const applyConnectionBudget = (): number => {
    if (options.maxConnections !== undefined) {
      web.setMaxConnections(options.maxConnections);
      return options.maxConnections;
    }
    const budget = connectionBudget(openFilesLimit(), current.plan.concurrency);
    if (budget.tooLow && !warnedFdLimit) {
      warnedFdLimit = true;
      log.warn(
        { fdLimit: budget.fdLimit, reserve: budget.reserve, maxConnections: budget.max },
        'the open-files limit leaves little room for HTTP connections next to the poller; raise it (ulimit -n, LimitNOFILE) or lower concurrency',
      );
    }
    web.setMaxConnections(budget.max);
    return budget.max;
  };
  const maxConnections = applyConnectionBudget();
  const address = options.listenAddress ?? current.config.web.listen_address;
  let url: string;
  try {
    url = await listen(web.app, address);
  } catch (err) {
    await web.close(0);
    throw err;
  }
  log.info(
    {
      address: url,
      tls: webConfig.tls !== null,
      auth: webConfig.users.size > 0,
      maxConnections,
      domains: current.plan.domains.map((d) => d.domain),
      hosts: current.plan.staticHosts.length,
      products: current.plan.products.map((p) => p.slug),
      cmid: current.identity.cmid,
    },
    'listening',
  );
  poller.start();
  adba.configure(current.config.adba, current.config.adba_interval);

  return {
    url,
    state,
    plan: () => current.plan,
    reload,
    stop: async (graceMs = SHUTDOWN_GRACE_MS) => {
      // The abort reaches every probe in flight at once; the server drains meanwhile.
      const pollerStopped = Promise.all([poller.stop(), adba.stop()]);
      const forced = await web.close(graceMs);
      if (forced > 0) {
        log.warn(
          { connections: forced, graceSeconds: graceMs / 1000 },
          'closed connections still open at the shutdown deadline',
        );
      }
      let timer: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([
        pollerStopped.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(resolve, POLLER_STOP_MS, false))),
      ]);
      clearTimeout(timer);
      if (!stopped) log.warn('probes still running after the abort; not waiting for them');
    },
  };
}
