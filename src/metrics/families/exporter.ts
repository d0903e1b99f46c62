/** kms-monitor itself: build and configuration reloads. */
import type { ExporterStatus } from '../exporter-status.js';
import { labelledGauge, scalarFamily, type MetricFamily } from '../family.js';

export type ExporterFamily = MetricFamily<ExporterStatus>;

export const EXPORTER_BUILD_INFO: ExporterFamily = labelledGauge({
  name: 'kms_exporter_build_info',
  help: 'Always 1; the labels say which kms-monitor version and Node.js runtime are running.',
  labels: ['version', 'nodejs_version'],
  samples: (status, emit) => emit([status.version, status.nodeVersion], 1),
});

export const EXPORTER_CONFIG_LAST_RELOAD_SUCCESSFUL: ExporterFamily = scalarFamily(
  'gauge',
  'kms_exporter_config_last_reload_successful',
  'Whether the last configuration (re)load succeeded (1) or failed and the previous configuration is still in use (0).',
  (status) => (status.lastReloadSuccessful ? 1 : 0),
);

/** Absent before the first success rather than a 1970 timestamp. */
export const EXPORTER_CONFIG_LAST_RELOAD_SUCCESS_TIMESTAMP: ExporterFamily = scalarFamily(
  'gauge',
  'kms_exporter_config_last_reload_success_timestamp_seconds',
  'Unix time of the last successful configuration (re)load.',
  (status) => status.lastReloadSuccessTimestamp,
);
