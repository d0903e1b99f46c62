/** The text of the declared families (families/index.ts), without a trailing newline. */
import type { PlannedProduct } from '../monitor/plan.js';
import type { MonitorState } from '../monitor/state.js';
import { ByteSink, ChunkPool } from './byte-sink.js';
import type { ExporterStatus } from './exporter-status.js';
import { renderFamilies, writeFamilies } from './exposition.js';
import { EXPORTER_FAMILIES, STATE_FAMILIES } from './families/index.js';
import type { KeptBody, KeptFamilies } from './kept-families.js';
import type { SeriesLabels } from './series-labels.js';
import { StateScrape } from './state-scrape.js';

/**
 * The state's text as UTF-8 buffers to send one after the other. `labels`: the label
 * bytes a source keeps from one render to the next (series-labels.ts); none, fresh ones.
 * `pool`: the chunks to write into (byte-sink.ts); none, fresh ones.
 */
export function writeStateMetrics(
  state: MonitorState,
  products: readonly PlannedProduct[],
  labels?: SeriesLabels,
  pool?: ChunkPool,
): Buffer[] {
  const sink = new ByteSink(pool);
  writeFamilies(STATE_FAMILIES, new StateScrape(state, products, labels), sink);
  return sink.finish();
}

/**
 * The state's text as buffers to send, with the bytes of every series whose subject is
 * unchanged copied from `kept`'s earlier renders (kept-families.ts); `pool`: scratch chunks.
 */
export function writeKeptStateMetrics(
  state: MonitorState,
  products: readonly PlannedProduct[],
  labels: SeriesLabels,
  kept: KeptFamilies<StateScrape>,
  pool: ChunkPool,
): KeptBody {
  return kept.write(STATE_FAMILIES, new StateScrape(state, products, labels), pool);
}

export function renderStateMetrics(
  state: MonitorState,
  products: readonly PlannedProduct[],
): string {
  // Chunks of 64 KiB, not kept: a string is wanted once, not a body to send again.
  return Buffer.concat(
    writeStateMetrics(state, products, undefined, new ChunkPool(64 << 10, 0)),
  ).toString();
}

export function renderExporterMetrics(status: ExporterStatus): string {
  return renderFamilies(EXPORTER_FAMILIES, status);
}
