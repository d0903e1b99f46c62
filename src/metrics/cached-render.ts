/**
 * /metrics text from two registries: the state's families (kms_*, kms_srv_*), rendered
 * again only when the state or the plan changed since the last scrape, and the process
 * and exporter families, rendered on every scrape because they move on their own.
 * At 10,000 hosts the state's text is ~29 MiB and seconds of work; a scrape of unchanged
 * state (a second Prometheus replica, a person reloading) then costs a string copy.
 */
import type { Registry } from 'prom-client';
import type { MetricsSource } from '../web/routes/metrics.js';

export function cachedMetrics(
  renderState: () => Promise<string> | string,
  processRegistry: Registry,
  version: () => unknown[],
): MetricsSource {
  let cached: { key: unknown[]; text: string } | null = null;
  const same = (a: unknown[], b: unknown[]) =>
    a.length === b.length && a.every((x, i) => x === b[i]);
  return {
    contentType: processRegistry.contentType,
    async render() {
      const key = version();
      if (!cached || !same(cached.key, key)) {
        cached = { key, text: await renderState() };
      }
      return cached.text + (await processRegistry.metrics());
    },
  };
}
