/**
 * The running monitor: configuration → plan → poller → state, with the registries and the
 * web server reading that state. `serve` and `demo` both run one of these; only where
 * the configuration comes from differs.
 */
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import type { ResolvConf } from '../dns/index.js';
import { resolveIdentity, type KmsIdentity } from '../kms/client/index.js';
import type { Product } from '../kms/products/index.js';
import { registerExporterMetrics } from '../metrics/exporter-metrics.js';
import { registerMonitorMetrics } from '../metrics/monitor-metrics.js';
import { createSrvMetrics } from '../metrics/srv-metrics.js';
import { cachedMetrics } from '../metrics/cached-render.js';
import { DirectRenderer } from '../metrics/direct-render.js';
import type { MonitorPlan } from '../monitor/plan.js';
import { planFromConfig } from '../monitor/plan-from-config.js';
import { Poller, type Probers } from '../monitor/poller.js';
import { realProbers } from '../monitor/probers.js';
import { MonitorState } from '../monitor/state.js';
import { buildStatusView } from '../monitor/status-view.js';
import { listen } from '../web/listen.js';
import { statusApiRoutes } from '../web/routes/status-api.js';
import { statusPageRoutes } from '../web/status-page/routes.js';
import { createWebServer } from '../web/server.js';
import type { WebConfig } from '../web/web-config.js';

export interface MonitorAppOptions {
  log: Logger;
  readConfig: () => Promise<Config>;
  webConfig: WebConfig;
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
  stop(): Promise<void>;
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
    const plan = await planFromConfig(config, options.readSystem);
    const identity = resolveIdentity({
      ...(config.identity.cmid ? { cmid: config.identity.cmid } : {}),
      ...(config.identity.workstation ? { workstation: config.identity.workstation } : {}),
    });
    return { config, plan, identity };
  };
  let current = await load();

  // Two registries: the state's families are cached between changes, the process's are not.
  const registry = new Registry();
  const exporterMetrics = registerExporterMetrics(registry);
  exporterMetrics.configReloaded(true);
  const state = new MonitorState();
  const stateRegistry = new Registry();
  registerMonitorMetrics(stateRegistry, state, () => current.plan.products);
  for (const gauge of createSrvMetrics(() =>
    [...state.domains.values()].flatMap((d) => d.lookups),
  )) {
    stateRegistry.registerMetric(gauge);
  }
  // The collectors define the state's families; the direct renderer writes their text.
  const direct = new DirectRenderer(stateRegistry);
  const metrics = cachedMetrics(
    () => `${direct.render(state, current.plan.products)}\n`,
    registry,
    () => [state.generation, current.plan],
  );

  const poller = new Poller(
    state,
    current.plan,
    options.probers ?? realProbers(() => current.identity),
    log,
  );

  let reloading: Promise<ReloadResult> | null = null;
  const reload = (): Promise<ReloadResult> => {
    // Concurrent reload requests (SIGHUP and POST together) share one read of the file.
    reloading ??= (async (): Promise<ReloadResult> => {
      try {
        current = await load();
        poller.updatePlan(current.plan);
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
  const statusSource = (view: { historyLimit: number; host?: string }) =>
    buildStatusView(state, current.plan.products, view);
  const web = await createWebServer({
    logger: log,
    webConfig: options.webConfig,
    metrics,
    lifecycle: { isReady: () => state.ready, reload },
    plugins: [
      statusApiRoutes(statusSource),
      statusPageRoutes(statusSource),
      ...(options.plugins ?? []),
    ],
  });
  const address = options.listenAddress ?? current.config.web.listen_address;
  const url = await listen(web, address);
  log.info(
    {
      address: url,
      tls: options.webConfig.tls !== null,
      auth: options.webConfig.users.size > 0,
      domains: current.plan.domains.map((d) => d.domain),
      hosts: current.plan.staticHosts.length,
      products: current.plan.products.map((p) => p.slug),
      cmid: current.identity.cmid,
    },
    'listening',
  );
  poller.start();

  return {
    url,
    state,
    plan: () => current.plan,
    reload,
    stop: async () => {
      await poller.stop();
      await web.close();
    },
  };
}
