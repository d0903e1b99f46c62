// The sparkline renderer on its own: one point per pixel column (the lowest count, the
// highest latency), breaks at failures and gaps, the threshold line where N is, and
// markup that is inline SVG with nothing but numbers and escaped text in it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { renderSparkline, sparklineGeometry } from '../../src/web/status-page/sparkline.js';

const T0 = 1_767_225_600; // 2026-01-01, Unix seconds
const base = {
  label: 'x',
  from: T0 * 1000,
  to: (T0 + 240) * 1000,
  yMax: 50,
  fold: 'min',
  kind: 'spark-count',
} as const;
const series = (values: Array<number | null>, step = 1) => ({
  at: values.map((_, i) => T0 + i * step),
  values,
  failed: values.map((v) => v === null),
});

describe('sparkline geometry', () => {
  it('folds the samples of a pixel column: the lowest count, the highest latency', () => {
    // 480 samples over 240 columns: two a column, a dip to 10 in column 100.
    const values = Array.from({ length: 480 }, (_, i) => (i === 201 ? 10 : 50));
    const s = { ...series(values, 0.5) };
    const low = sparklineGeometry(s, base);
    assert.equal(low.runs[0]!.length, 240);
    assert.equal(low.runs[0]![100]![1], 36 - 2 - (10 / 50) * 32);
    const high = sparklineGeometry(s, { ...base, fold: 'max' });
    assert.equal(high.runs[0]![100]![1], 2);
  });

  it('breaks the line at a failure (ticked) and at a gap in the samples', () => {
    const values: Array<number | null> = [50, 50, null, 50, 50];
    const g = sparklineGeometry(series(values, 10), base);
    assert.equal(g.runs.length, 2);
    assert.deepEqual(g.failures, [20.5]);
    // Sampled every 10 s, then nothing for 100 s: the monitor was not running.
    const gap = sparklineGeometry(
      { at: [T0, T0 + 10, T0 + 20, T0 + 120, T0 + 130], values: [1, 1, 1, 1, 1], failed: [] },
      base,
    );
    assert.equal(gap.runs.length, 2);
  });

  it('draws the threshold line at N, and nothing for an empty series', () => {
    const g = sparklineGeometry(series([]), { ...base, threshold: 25 });
    assert.equal(g.thresholdY, 18);
    assert.deepEqual(g.runs, []);
    const svg = renderSparkline(series([]), { ...base, threshold: 25 }).value;
    assert.doesNotMatch(svg, /<path/);
    assert.match(svg, /<line class="spark-threshold" x1="0" x2="240" y1="18" y2="18">/);
  });

  it('one sample is a dot; samples outside the window are left out', () => {
    const g = sparklineGeometry({ at: [T0 - 100, T0 + 120], values: [5, 5], failed: [] }, base);
    assert.deepEqual(g.runs, [[[120.5, 36 - 2 - (5 / 50) * 32]]]);
    assert.match(renderSparkline({ at: [T0 + 120], values: [5], failed: [] }, base).value, /h0"/);
  });
});

describe('sparkline markup', () => {
  it('is inline SVG with the label escaped, no script, no style attribute, no link', () => {
    const label = '"><script>alert(1)</script><a href="x">&';
    const svg = renderSparkline(series([1, 2, null, 4]), { ...base, label, threshold: 3 }).value;
    assert.match(svg, /^<svg\s/);
    assert.match(svg, /<\/svg\s*>$/);
    const escaped =
      '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;a href=&quot;x&quot;&gt;&amp;';
    assert.ok(svg.includes(`aria-label="${escaped}"`));
    assert.ok(svg.includes(`<title>${escaped}</title`));
    // Outside the (escaped) label, the markup is the renderer's own.
    assert.doesNotMatch(svg.split(escaped).join(''), /<script|<a |style=|on\w+=|href=|xlink/);
    // The geometry is numbers only.
    for (const d of svg.match(/ d="[^"]*"/g) ?? []) assert.match(d, /^ d="[MLhv0-9. -]+"$/);
  });
});

describe('sparkline coordinates', () => {
  // The path is written from integers (fast); it must read as the tenths of the geometry
  // written by the number conversion, to the character: "12", "12.3", never "12.30".
  it('are the geometry rounded to tenths, as Number#toString writes them', () => {
    const tenths = (n: number) => (Math.round(n * 10) / 10).toString();
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: 0, max: 5000, noNaN: true }), { nil: null }), {
          minLength: 1,
          maxLength: 600,
        }),
        fc.double({ min: 0.001, max: 5000, noNaN: true }),
        fc.integer({ min: 8, max: 600 }),
        (values, yMax, width) => {
          const s = series(values, 0.4);
          const options = { ...base, yMax, width, threshold: yMax / 3 };
          const g = sparklineGeometry(s, options);
          const svg = renderSparkline(s, options).value;
          const d = g.runs
            .map(
              (run) =>
                `M${tenths(run[0]![0])} ${tenths(run[0]![1])}${run.length === 1 ? 'h0' : ''}` +
                run
                  .slice(1)
                  .map(([x, y]) => `L${tenths(x)} ${tenths(y)}`)
                  .join(''),
            )
            .join('');
          if (d !== '') assert.ok(svg.includes(`class="spark-line" d="${d}"`), d);
          assert.ok(svg.includes(`y1="${tenths(g.thresholdY!)}"`));
          const ticks = g.failures.map((x) => `M${tenths(x)} 36v-4`).join('');
          if (ticks !== '') assert.ok(svg.includes(`class="spark-fail" d="${ticks}"`));
        },
      ),
      { numRuns: 300 },
    );
  });
});
