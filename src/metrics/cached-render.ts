/**
 * The /metrics body: the state's families, rendered again only when the state or the
 * products changed since the last scrape, then the process families and the exporter's
 * own, rendered on every scrape because they move on their own (a failed reload changes
 * neither state nor products).
 * At 10,000 hosts the state's text is ~35 MiB. It is written as one buffer per family
 * (kept-families.ts), the bytes of every series whose subject did not change copied from
 * the previous render, with the label bytes of hosts and lookups kept between renders,
 * kept as they are, and gzipped once per state version when a client asks for gzip (at the
 * round's end already, when the scrapes before asked for gzip; only the parts of the
 * families whose series changed since the last compression: gzip-members.ts), so a scrape
 * of unchanged state (a second Prometheus replica, a person reloading) writes bytes that
 * are already built: no string concatenation, flattening or UTF-8 encoding per scrape.
 */
import { gzipSync } from 'node:zlib';
import type { Registry } from 'prom-client';
import type { PlannedProduct } from '../monitor/plan.js';
import type { MonitorState } from '../monitor/state.js';
import type { ExporterStatus } from './exporter-status.js';
import { ChunkPool } from './byte-sink.js';
import { gzipMembers } from './gzip-members.js';
import { KeptFamilies, type KeptBody } from './kept-families.js';
import { renderExporterMetrics, writeKeptStateMetrics } from './render.js';
import type { StateScrape } from './state-scrape.js';
import { SeriesLabels } from './series-labels.js';
import type { MetricsSource } from './source.js';

/**
 * Level 1: the exposition's repeated label sets compress ~15× even so, and at 30 MiB a
 * higher level costs seconds of a thread-pool thread per state change for a few percent.
 */
const GZIP_LEVEL = 1;

export interface MetricsInputs {
  state: MonitorState;
  /** The products of the plan in use; a reload hands over a new list. */
  products: () => readonly PlannedProduct[];
  exporter: ExporterStatus;
  /** The process and Node.js families (process-metrics.ts). */
  process: Registry;
}

interface StateBody {
  generation: number;
  products: readonly PlannedProduct[];
  /**
   * The text as the family buffers it was written into (kept-families.ts), in order:
   * later bodies share the buffers of families that did not change.
   */
  text: KeptBody;
  /**
   * Compressed on the first scrape that asks for gzip, or at a round's end when the last
   * scrapes asked for it (prepare()); off the event loop.
   */
  gzipped: Promise<Buffer[]> | null;
  /** Responses still sending `text`, and compressions still reading it. */
  sending: number;
  /** `text` was handed to a caller that never says when it is done: never written again. */
  kept: boolean;
  /** A later body took its place. */
  replaced: boolean;
}

/** The cached source, and a way to build the body before a scrape asks for it. */
export interface CachedMetricsSource extends MetricsSource {
  /**
   * Renders the state's body now if it is out of date and a scrape asked for a body since
   * the last call: the poller calls it at a round's end, once the round's results are in,
   * so the next scrape sends bytes already built. A monitor nobody scrapes renders nothing.
   * Either way the renderer's free chunks go: no render comes until the state changes.
   * Returns whether it rendered.
   */
  prepare(): boolean;
}

export function cachedMetrics(inputs: MetricsInputs): CachedMetricsSource {
  const { state, exporter, process } = inputs;
  let cached: StateBody | null = null;
  /** A body was asked for since the last prepare(). */
  let asked = false;
  /** Of those, one was asked for gzipped (Prometheus asks so): prepare() compresses too. */
  let askedGzip = false;
  const labels = new SeriesLabels();
  const kept = new KeptFamilies<StateScrape>();
  /** Scratch chunks for the families written whole; their bytes are copied out. */
  const pool = new ChunkPool();
  /** A body no longer current nor sent lets its chunks go back to the pool for later renders. */
  const recycle = (body: StateBody) => {
    if (body.replaced && body.sending === 0 && !body.kept) body.text.release();
  };

  /** Compresses `body`, its chunks held until zlib has read them. */
  const compress = (body: StateBody): Promise<Buffer[]> => {
    body.sending++;
    const done = () => {
      body.sending--;
      recycle(body);
    };
    const gzipped = gzipMembers(body.text.parts, GZIP_LEVEL);
    gzipped.then(done, () => {
      // Not kept: the next scrape of this state compresses again.
      if (body.gzipped === gzipped) body.gzipped = null;
      done();
    });
    return gzipped;
  };

  const stateBody = (): StateBody => {
    const products = inputs.products();
    if (!cached || cached.generation !== state.generation || cached.products !== products) {
      // The body being replaced lets its chunks go before the render rather than after
      // (unless a response is still sending it): the kept families hold what the render
      // copies from, and every chunk the render has written past goes back to the pool
      // for the rest of it. A round's end writes every family again, and this is what
      // keeps it from needing a second body's worth of chunks (28 MiB at 3,000 domains).
      const previous = cached;
      cached = null;
      if (previous) {
        previous.replaced = true;
        recycle(previous);
      }
      cached = {
        generation: state.generation,
        products,
        text: writeKeptStateMetrics(state, products, labels, kept, pool),
        gzipped: null,
        sending: 0,
        kept: false,
        replaced: false,
      };
    }
    return cached;
  };
  /** What follows the state's text, fresh on every scrape (small: a few KiB). */
  const tail = async (): Promise<string> =>
    `\n${await process.metrics()}\n${renderExporterMetrics(exporter)}\n`;

  return {
    contentType: process.contentType,
    prepare() {
      const due =
        asked && (cached?.generation !== state.generation || cached.products !== inputs.products());
      const gzipToo = askedGzip;
      asked = false;
      askedGzip = false;
      if (due) {
        const body = stateBody();
        // Started now, so the scrape after the round finds it done (or under way).
        if (gzipToo) body.gzipped ??= compress(body);
      }
      // The state does not change again until the next round: no render will reuse the free
      // chunks (the previous body's, at 3,000 domains × 2 hosts 24 MiB), so they go now
      // rather than at the pool's idle timer.
      pool.drain();
      return due;
    },
    async render() {
      asked = true;
      const body = stateBody();
      return `${Buffer.concat(body.text.text).toString()}${await tail()}`;
    },
    async body(encoding, sent) {
      asked = true;
      const body = stateBody();
      // Held before the first await: a scrape in between may render a newer body, and the
      // chunks of a body held by no one go back to the pool.
      if (encoding === 'gzip') {
        askedGzip = true;
        body.gzipped ??= compress(body);
        const gzipped = body.gzipped;
        const rest = await tail();
        return [...(await gzipped), gzipSync(rest, { level: GZIP_LEVEL })];
      }
      if (sent === undefined) body.kept = true;
      else {
        body.sending++;
        const done = () => {
          body.sending--;
          recycle(body);
        };
        sent.then(done, done);
      }
      return [...body.text.text, Buffer.from(await tail())];
    },
  };
}
