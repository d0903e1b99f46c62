/** prom-client's default process and Node.js metrics: the only families prom-client renders. */
import { Registry, collectDefaultMetrics } from 'prom-client';

export function processMetricsRegistry(): Registry {
  const registry = new Registry();
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
  return registry;
}
