/** The text of the declared families (families/index.ts), without a trailing newline. */
import type { PlannedProduct } from '../monitor/plan.js';
import type { MonitorState } from '../monitor/state.js';
import type { ExporterStatus } from './exporter-status.js';
import { renderFamilies } from './exposition.js';
import { EXPORTER_FAMILIES, STATE_FAMILIES } from './families/index.js';
import { StateScrape } from './state-scrape.js';

export function renderStateMetrics(
  state: MonitorState,
  products: readonly PlannedProduct[],
): string {
  return renderFamilies(STATE_FAMILIES, new StateScrape(state, products));
}

export function renderExporterMetrics(status: ExporterStatus): string {
  return renderFamilies(EXPORTER_FAMILIES, status);
}
