/**
 * The Prometheus text exposition (format 0.0.4) of declared families, written as
 * prom-client writes it — same escaping, number format and separators — so the text
 * stays what Prometheus and the tests have always read, without prom-client's per-series
 * work (a labels object per series, a sorted-key hash per set(), a join per line). Lines
 * are written straight into buffers (byte-sink.ts): no string per line or label set.
 */
import { ByteSink, MAX_NUMBER_BYTES, escapeLabelValue } from './byte-sink.js';
import type { MetricFamily, SampleOut } from './family.js';

export { escapeLabelValue, formatValue } from './byte-sink.js';

const CLOSE_BRACE = 0x7d;
const SPACE = 0x20;
const QUOTE = 0x22;

/**
 * A group of label names, and how to write their values as label text. The `name="`
 * pieces are built once: writing one series then costs an escape check per value (a
 * generic loop over names was measured 3× slower on kms_host_info at 10,000 hosts).
 */
export class LabelNames {
  private readonly first: readonly string[];
  private readonly next: readonly string[];
  private readonly firstBytes: readonly Buffer[];
  private readonly nextBytes: readonly Buffer[];
  /** The most bytes the `name="` and `"` pieces take. */
  readonly fixedBytes: number;

  constructor(readonly names: readonly string[]) {
    this.first = names.map((n, i) => `${i === 0 ? '' : ','}${n}="`);
    this.next = names.map((n) => `,${n}="`);
    this.firstBytes = this.first.map((h) => Buffer.from(h));
    this.nextBytes = this.next.map((h) => Buffer.from(h));
    this.fixedBytes = this.nextBytes.reduce((sum, h) => sum + h.length + 1, 0);
  }

  /**
   * `name="value"` pairs for `values` (one per name, in order); `after`: they follow label
   * text of other names, so the first pair starts with a comma. Numbers (ports, builds)
   * are written as JavaScript writes them, with nothing to escape.
   */
  text(values: ReadonlyArray<string | number>, after = false): string {
    const heads = after ? this.next : this.first;
    let text = '';
    for (let i = 0; i < heads.length; i++) {
      const value = values[i] ?? '';
      text += `${heads[i]}${typeof value === 'number' ? value : escapeLabelValue(value)}"`;
    }
    return text;
  }

  /** What `text` gives, written into `sink`; the caller reserved `maxBytes(values)`. */
  write(sink: ByteSink, values: ReadonlyArray<string | number>, after: boolean): void {
    const heads = after ? this.nextBytes : this.firstBytes;
    for (let i = 0; i < heads.length; i++) {
      sink.bytes(heads[i]!);
      const value = values[i] ?? '';
      if (typeof value === 'number') sink.labelNumber(value);
      else sink.labelValue(value);
      sink.byte(QUOTE);
    }
  }

  /** The most bytes `write` takes for `values`. */
  maxBytes(values: ReadonlyArray<string | number>): number {
    let n = this.fixedBytes;
    for (let i = 0; i < this.names.length; i++) {
      const value = values[i] ?? '';
      n += typeof value === 'number' ? MAX_NUMBER_BYTES : 3 * value.length;
    }
    return n;
  }
}

/** The exposition text of `families`, as one string (the small families, and tests). */
export function renderFamilies<Input>(
  families: readonly MetricFamily<Input>[],
  input: Input,
): string {
  const sink = new ByteSink(64 << 10);
  writeFamilies(families, input, sink);
  return Buffer.concat(sink.finish()).toString();
}

/** Writes the sample lines of one family: each starts with a newline (see writeFamilies). */
export class FamilyLines implements SampleOut {
  /** `\nname ` and `\nname{`, encoded once per family: every sample line starts with one. */
  private readonly bare: Buffer;
  private readonly open: Buffer;

  constructor(
    private readonly sink: ByteSink,
    name: string,
  ) {
    this.bare = Buffer.from(`\n${name} `);
    this.open = Buffer.from(`\n${name}{`);
  }

  labelled(labels: string, value: number, prefix?: Uint8Array): void {
    const { sink } = this;
    if (prefix === undefined && labels === '') {
      sink.reserve(this.bare.length + MAX_NUMBER_BYTES);
      sink.bytes(this.bare);
    } else {
      const prefixBytes = prefix === undefined ? 0 : prefix.length;
      sink.reserve(this.open.length + prefixBytes + 3 * labels.length + 2 + MAX_NUMBER_BYTES);
      sink.bytes(this.open);
      if (prefix !== undefined) sink.bytes(prefix);
      sink.text(labels);
      this.close(value);
      return;
    }
    sink.number(value);
  }

  values(
    names: LabelNames,
    values: ReadonlyArray<string | number>,
    value: number,
    prefix?: Uint8Array,
  ): void {
    const { sink } = this;
    const prefixBytes = prefix === undefined ? 0 : prefix.length;
    sink.reserve(this.open.length + prefixBytes + names.maxBytes(values) + 2 + MAX_NUMBER_BYTES);
    sink.bytes(this.open);
    if (prefix !== undefined) sink.bytes(prefix);
    names.write(sink, values, prefix !== undefined);
    this.close(value);
  }

  private close(value: number): void {
    const { sink } = this;
    sink.byte(CLOSE_BRACE);
    sink.byte(SPACE);
    sink.number(value);
  }
}

/** HELP, TYPE and samples of each family, in list order; no newline after the last line. */
export function writeFamilies<Input>(
  families: readonly MetricFamily<Input>[],
  input: Input,
  sink: ByteSink,
): void {
  families.forEach((family, index) => {
    const head = familyHead(family, index === 0);
    sink.reserve(3 * head.length);
    sink.text(head);
    family.samples(input, new FamilyLines(sink, family.name));
  });
}

/** A family's HELP and TYPE lines; after the first family, from the blank line before them. */
export function familyHead(family: MetricFamily<never>, first: boolean): string {
  const { name } = family;
  return `${first ? '' : '\n\n'}# HELP ${name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} ${family.type}`;
}
