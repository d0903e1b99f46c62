/** kms-monitor itself: build and configuration reloads. */
import type { ExporterStatus } from '../exporter-status.js';
import { LabelNames } from '../exposition.js';
import type { MetricFamily } from '../family.js';

export type ExporterFamily = MetricFamily<ExporterStatus>;

const BUILD_LABELS = new LabelNames(['version', 'nodejs_version']);

export const EXPORTER_BUILD_INFO: ExporterFamily = {
  name: 'kms_exporter_build_info',
  type: 'gauge',
  help: 'Always 1; the labels say which kms-monitor version and Node.js runtime are running.',
  labels: BUILD_LABELS.names,
  samples: (status, emit) => emit(BUILD_LABELS.text([status.version, status.nodeVersion]), 1),
};

export const EXPORTER_CONFIG_LAST_RELOAD_SUCCESSFUL: ExporterFamily = {
  name: 'kms_exporter_config_last_reload_successful',
  type: 'gauge',
  help: 'Whether the last configuration (re)load succeeded (1) or failed and the previous configuration is still in use (0).',
  labels: [],
  samples: (status, emit) => emit('', status.lastReloadSuccessful ? 1 : 0),
};

export const EXPORTER_CONFIG_LAST_RELOAD_SUCCESS_TIMESTAMP: ExporterFamily = {
  name: 'kms_exporter_config_last_reload_success_timestamp_seconds',
  type: 'gauge',
  help: 'Unix time of the last successful configuration (re)load.',
  labels: [],
  samples(status, emit) {
    // Absent before the first success rather than a 1970 timestamp.
    if (status.lastReloadSuccessTimestamp !== null) emit('', status.lastReloadSuccessTimestamp);
  },
};
