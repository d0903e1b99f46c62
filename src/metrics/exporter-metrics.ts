/**
 * Metrics about kms-monitor itself: build info and configuration reloads, plus the
 * default process and Node.js metrics of prom-client.
 */
import { Gauge, collectDefaultMetrics, type Registry } from 'prom-client';
import { VERSION } from '../version.js';

export interface ExporterMetrics {
  configReloaded(success: boolean, at?: Date): void;
}

export function registerExporterMetrics(registry: Registry): ExporterMetrics {
  collectDefaultMetrics({ register: registry });
  // prom-client exports these gauges with a `_total` suffix, which Prometheus reserves for
  // counters (promtool check metrics objects); the per-type gauges without the suffix stay.
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ]) {
    registry.removeSingleMetric(name);
  }
  const buildInfo = new Gauge({
    name: 'kms_exporter_build_info',
    help: 'Always 1; the labels say which kms-monitor version and Node.js runtime are running.',
    labelNames: ['version', 'nodejs_version'],
    registers: [registry],
  });
  buildInfo.set({ version: VERSION, nodejs_version: process.versions.node }, 1);
  const reloadOk = new Gauge({
    name: 'kms_exporter_config_last_reload_successful',
    help: 'Whether the last configuration (re)load succeeded (1) or failed and the previous configuration is still in use (0).',
    registers: [registry],
  });
  const reloadTime = new Gauge({
    name: 'kms_exporter_config_last_reload_success_timestamp_seconds',
    help: 'Unix time of the last successful configuration (re)load.',
    registers: [registry],
  });
  return {
    configReloaded(success, at = new Date()) {
      reloadOk.set(success ? 1 : 0);
      if (success) reloadTime.set(at.getTime() / 1000);
    },
  };
}
