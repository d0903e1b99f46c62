/**
 * The /metrics text: the state's families, rendered again only when the state or the
 * products changed since the last scrape, then the process families and the exporter's
 * own, rendered on every scrape because they move on their own (a failed reload changes
 * neither state nor products).
 * At 10,000 hosts the state's text is ~30 MiB and hundreds of ms of work; a scrape of
 * unchanged state (a second Prometheus replica, a person reloading) then costs a string copy.
 */
import type { Registry } from 'prom-client';
import type { PlannedProduct } from '../monitor/plan.js';
import type { MonitorState } from '../monitor/state.js';
import type { ExporterStatus } from './exporter-status.js';
import { renderExporterMetrics, renderStateMetrics } from './render.js';
import type { MetricsSource } from './source.js';

export interface MetricsInputs {
  state: MonitorState;
  /** The products of the plan in use; a reload hands over a new list. */
  products: () => readonly PlannedProduct[];
  exporter: ExporterStatus;
  /** The process and Node.js families (process-metrics.ts). */
  process: Registry;
}

export function cachedMetrics(inputs: MetricsInputs): MetricsSource {
  const { state, exporter, process } = inputs;
  let cached: { generation: number; products: readonly PlannedProduct[]; text: string } | null =
    null;
  return {
    contentType: process.contentType,
    async render() {
      const products = inputs.products();
      if (!cached || cached.generation !== state.generation || cached.products !== products) {
        cached = {
          generation: state.generation,
          products,
          text: renderStateMetrics(state, products),
        };
      }
      return `${cached.text}\n${await process.metrics()}\n${renderExporterMetrics(exporter)}\n`;
    },
  };
}
