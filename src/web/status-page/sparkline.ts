/**
 * Sparklines as inline SVG: a line over time, an optional threshold line, and a tick
 * under each failed sample. No script, no style attribute, nothing fetched — the page's
 * Content-Security-Policy stays as it is; colours come from classes in the stylesheet
 * (styles-history.ts). Only numbers this module formats go into the geometry; the one
 * text (the label) is escaped by `html`.
 *
 * Cheap at any length: samples are folded into one bucket per pixel column (the lowest
 * value of a column for counts, so a dip below N never disappears; the highest for
 * latency, so a spike does not), so a week of 10-minute sweeps draws as at most `width`
 * points.
 */
import { html, type SafeHtml } from './html.js';

export interface SparklineSeries {
  /** Sample times, Unix seconds, oldest first (as in the status view). */
  at: readonly number[];
  /** The value of each sample; null for none (a failed exchange). */
  values: readonly (number | null)[];
  /** Samples that failed: a tick under the line. */
  failed: readonly boolean[];
}

export interface SparklineOptions {
  /** The accessible name and tooltip (plain text). */
  label: string;
  /** The time axis, ms: the window shown (an empty start is blank, not stretched). */
  from: number;
  to: number;
  /** The top of the value axis (the bottom is 0). */
  yMax: number;
  /** A horizontal line at this value (N, for counts). */
  threshold?: number;
  /** Which value of a pixel column is drawn. */
  fold: 'min' | 'max';
  /** Extra class: `spark-count`, `spark-latency`. */
  kind: string;
  width?: number;
  height?: number;
}

/** The shape of a sparkline before it is markup (tests check the numbers). */
export interface SparklineGeometry {
  /** Runs of [x, y] points; a run breaks at a failure or a gap in the samples. */
  runs: Array<Array<[number, number]>>;
  /** x of each pixel column with a failed sample. */
  failures: number[];
  /** y of the threshold line, if any. */
  thresholdY: number | null;
  width: number;
  height: number;
}

const PAD = 2;
/** A gap of more than this many times the usual spacing breaks the line (monitor stopped). */
const GAP_FACTOR = 3;

/** The text of each tenth up to a 400-pixel-wide line, made once: most coordinates repeat. */
const TENTHS_CACHED = 4096;
const tenthsText: string[] = [];

/**
 * A coordinate to one decimal, exactly as `(Math.round(n * 10) / 10).toString()` writes
 * it ("12", "12.3") but from integers: a sparkline has ~500 coordinates, six to a host's
 * history block, and double-to-text conversion was the block's largest cost (bench/history.ts).
 */
function fixed(n: number): string {
  const tenths = Math.round(n * 10);
  // Negative, huge or not a number: the general conversion (never for the geometry here).
  if (!(tenths >= 0 && tenths < TENTHS_CACHED)) return (tenths / 10).toString();
  let text = tenthsText[tenths];
  if (text === undefined) {
    const digit = tenths % 10;
    text = digit === 0 ? String(tenths / 10) : `${(tenths - digit) / 10}.${digit}`;
    tenthsText[tenths] = text;
  }
  return text;
}

/**
 * The usual spacing of each series drawn: a product's count and latency sparklines share
 * one `at` array, which the status view builds afresh and never changes.
 */
const spacingOf = new WeakMap<readonly number[], number>();

/** The usual time between samples: the median of the gaps. */
function usualSpacing(at: readonly number[]): number {
  if (at.length < 2) return Infinity;
  const known = spacingOf.get(at);
  if (known !== undefined) return known;
  // A typed array sorts numerically and fast: this runs for every sparkline drawn.
  const gaps = new Float64Array(at.length - 1);
  for (let i = 1; i < at.length; i++) gaps[i - 1] = at[i]! - at[i - 1]!;
  gaps.sort();
  const spacing = gaps[gaps.length >> 1]! * 1000;
  spacingOf.set(at, spacing);
  return spacing;
}

export function sparklineGeometry(
  series: SparklineSeries,
  options: SparklineOptions,
): SparklineGeometry {
  const width = options.width ?? 240;
  const height = options.height ?? 36;
  const { from, to } = options;
  const span = Math.max(1, to - from);
  const yMax = options.yMax > 0 ? options.yMax : 1;
  const ySpan = height - 2 * PAD;
  const min = options.fold === 'min';
  const maxGap = usualSpacing(series.at) * GAP_FACTOR;
  const { at, values, failed } = series;
  const runs: Array<Array<[number, number]>> = [];
  const failures: number[] = [];
  // The loop's state lives in plain locals (no closure shares it), so the loop over a
  // week of samples stays tight; a column is flushed where it ends and once after the loop.
  let run: Array<[number, number]> = [];
  let col = -1;
  let folded: number | null = null;
  let failedHere = false;
  let last = -Infinity;
  for (let i = 0; i < at.length; i++) {
    const ms = at[i]! * 1000;
    if (ms < from || ms > to) continue;
    const c = Math.max(0, Math.min(width - 1, Math.floor(((ms - from) / span) * width)));
    if (c !== col) {
      if (col >= 0) {
        if (folded !== null) run.push([col + 0.5, yOf(folded, yMax, height, ySpan)]);
        if (failedHere) failures.push(col + 0.5);
      }
      col = c;
      folded = null;
      failedHere = false;
    }
    if (ms - last > maxGap && run.length > 0) {
      runs.push(run);
      run = [];
    }
    last = ms;
    const v = values[i] ?? null;
    if (failed[i]) failedHere = true;
    if (v === null) {
      // Nothing to draw, and the line does not pretend to know across it.
      if (folded !== null) run.push([col + 0.5, yOf(folded, yMax, height, ySpan)]);
      folded = null;
      if (run.length > 0) {
        runs.push(run);
        run = [];
      }
      continue;
    }
    folded = folded === null ? v : min ? Math.min(folded, v) : Math.max(folded, v);
  }
  if (col >= 0) {
    if (folded !== null) run.push([col + 0.5, yOf(folded, yMax, height, ySpan)]);
    if (failedHere) failures.push(col + 0.5);
  }
  if (run.length > 0) runs.push(run);
  return {
    runs,
    failures: [...new Set(failures)],
    thresholdY:
      options.threshold === undefined ? null : yOf(options.threshold, yMax, height, ySpan),
    width,
    height,
  };
}

/** The y of a value: 0 at the bottom (less the padding), yMax and above at the top. */
function yOf(v: number, yMax: number, height: number, ySpan: number): number {
  return height - PAD - (Math.min(v, yMax) / yMax) * ySpan;
}

function pathOf(runs: SparklineGeometry['runs']): string {
  let d = '';
  for (const run of runs) {
    const first = run[0];
    if (!first) continue;
    d += `M${fixed(first[0])} ${fixed(first[1])}`;
    // A run of one point is a dot: a zero-length line with round caps.
    if (run.length === 1) d += 'h0';
    for (let i = 1; i < run.length; i++) {
      const point = run[i]!;
      d += `L${fixed(point[0])} ${fixed(point[1])}`;
    }
  }
  return d;
}

export function renderSparkline(series: SparklineSeries, options: SparklineOptions): SafeHtml {
  const g = sparklineGeometry(series, options);
  const ticks = g.failures.map((x) => `M${fixed(x)} ${g.height}v-${PAD + 2}`).join('');
  return html`<svg
    class="spark ${options.kind}"
    viewBox="0 0 ${g.width} ${g.height}"
    width="${g.width}"
    height="${g.height}"
    role="img"
    aria-label="${options.label}"
  >
    <title>${options.label}</title>
    ${g.thresholdY === null ? '' : html`<line class="spark-threshold" x1="0" x2="${g.width}" y1="${fixed(g.thresholdY)}" y2="${fixed(g.thresholdY)}"></line>`}${g.runs.length > 0 ? html`<path class="spark-line" d="${pathOf(g.runs)}"></path>` : ''}${ticks === '' ? '' : html`<path class="spark-fail" d="${ticks}"></path>`}
  </svg>`;
}
