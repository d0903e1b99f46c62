/**
 * A metric family, declared once: its name, type, HELP, label names and the function that
 * reads its samples from the input at scrape time. The renderer (exposition.ts) writes
 * HELP, TYPE and the samples from this and nothing else; the README's metric table is
 * checked against the same declarations (test/metrics/readme-table.test.ts).
 *
 * Names, labels and units are the contract of docs/design.md; HELP texts say what a
 * value means to a KMS admin.
 *
 * The builders below are the shapes most families share, so that a family states only
 * its name, HELP and what it reads.
 */
import { LabelNames } from './exposition.js';

export type MetricType = 'gauge' | 'counter';

/**
 * Where a family writes its samples (exposition.ts writes them into the text). Label text
 * is given with the family's label names in their declared order (`host="a",port="1688"`),
 * as `prefix`'s bytes (label text of the first names, already escaped and encoded: a
 * host's `host`/`port`, kept while the host is, see series-labels.ts) followed by the rest.
 */
export interface SampleOut {
  /** A sample whose label text after `prefix` is `labels`, already escaped ('' for none; after a prefix, from a comma). */
  labelled(labels: string, value: number, prefix?: Uint8Array): void;
  /** A sample whose label text after `prefix` is `names` with `values`, escaped as they are written. */
  values(
    names: LabelNames,
    values: ReadonlyArray<string | number>,
    value: number,
    prefix?: Uint8Array,
  ): void;
}

export interface MetricFamily<Input> {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  /** Every sample carries exactly these labels, in this order. */
  readonly labels: readonly string[];
  /** Emits the family's samples for `input`; reads only, never probes. */
  readonly samples: (input: Input, out: SampleOut) => void;
  /**
   * Present when the samples are those of each series of a list in turn, each series'
   * made from its subject alone: the renderer keeps each series' bytes while its subject
   * and version are the same (kept-families.ts). `samples` writes the same text.
   */
  readonly perSeries?: PerSeries<Input, unknown>;
}

/** A family's samples, series by series (see MetricFamily.perSeries). */
export interface PerSeries<Input, S> {
  list(input: Input): readonly S[];
  /**
   * What the series' samples are made of, as an object and a version: the same object
   * (and version) give the same samples. Results and lookups are never changed in place
   * (version 0); a HostState is, and the state bumps its version when it does.
   */
  subject(series: S): object;
  version(series: S): number;
  write(input: Input, series: S, out: SampleOut): void;
}

/** A family whose samples are those of each series of a list (see MetricFamily.perSeries). */
export function listFamily<Input, S>(declaration: {
  name: string;
  help: string;
  type?: MetricType;
  labels: readonly string[];
  series: PerSeries<Input, S>;
}): MetricFamily<Input> {
  const { series } = declaration;
  return {
    name: declaration.name,
    type: declaration.type ?? 'gauge',
    help: declaration.help,
    labels: declaration.labels,
    // A family keeps series of one list type; the renderer only hands a series back to
    // the family that listed it.
    perSeries: series as unknown as PerSeries<Input, unknown>,
    samples(input, out) {
      for (const one of series.list(input)) series.write(input, one, out);
    },
  };
}

/** A family of one unlabelled sample; absent while `value` is null (not known yet). */
export function scalarFamily<Input>(
  type: MetricType,
  name: string,
  help: string,
  value: (input: Input) => number | null,
): MetricFamily<Input> {
  return {
    name,
    type,
    help,
    labels: [],
    samples(input, out) {
      const v = value(input);
      if (v !== null) out.labelled('', v);
    },
  };
}

/**
 * Writes one sample from its label values, one per label the family names (in order),
 * after `prefix`: the label text of the family's `prefix` names as bytes (none if absent).
 */
export type EmitValues = (
  values: ReadonlyArray<string | number>,
  value: number,
  prefix?: Uint8Array,
) => void;

/**
 * A gauge whose samples give their label values rather than label text: the label names
 * are declared once here, and the family's label list and the text of every sample are
 * both made from them, so the two cannot differ. `prefix` names the labels of the text
 * the samples start with (see SeriesList.labelledGauge).
 */
export function labelledGauge<Input>(declaration: {
  name: string;
  help: string;
  prefix?: readonly string[];
  labels: readonly string[];
  samples: (input: Input, emit: EmitValues) => void;
}): MetricFamily<Input> {
  const names = new LabelNames(declaration.labels);
  return {
    name: declaration.name,
    type: 'gauge',
    help: declaration.help,
    labels: [...(declaration.prefix ?? []), ...declaration.labels],
    samples(input, out) {
      declaration.samples(input, (values, value, prefix) =>
        out.values(names, values, value, prefix),
      );
    },
  };
}

/** Something the input has many of, with its label text encoded once while it lasts. */
export interface Series {
  /** The label text of the series list's label names, as UTF-8 bytes (see Emit). */
  readonly labels: Uint8Array;
}

/**
 * A list of the input that many families walk — the hosts, the hosts' results per
 * product, the SRV lookups — each series already labelled by `labels`: the walk and the
 * series' labels of these families, written once.
 */
export class SeriesList<Input, S extends Series> {
  constructor(
    readonly labels: readonly string[],
    readonly list: (input: Input) => readonly S[],
    /** What a series' samples are made of (see PerSeries.subject). */
    private readonly subject: (series: S) => object,
    private readonly version: (series: S) => number = () => 0,
  ) {}

  /** A family with the samples `write` gives for each series. */
  family(declaration: {
    name: string;
    help: string;
    labels: readonly string[];
    write: (series: S, out: SampleOut) => void;
  }): MetricFamily<Input> {
    const { list, subject, version } = this;
    const { write } = declaration;
    return listFamily({
      ...declaration,
      series: { list, subject, version, write: (_input, series, out) => write(series, out) },
    });
  }

  /** A gauge with one sample per series; a series for which `value` is null has none. */
  gauge(name: string, help: string, value: (series: S) => number | null): MetricFamily<Input> {
    return this.family({
      name,
      help,
      labels: this.labels,
      write(series, out) {
        const v = value(series);
        if (v !== null) out.labelled('', v, series.labels);
      },
    });
  }

  /** A gauge with samples of each series (its addresses, its records...), labelled by the series' labels then `labels`. */
  labelledGauge(declaration: {
    name: string;
    help: string;
    labels: readonly string[];
    samples: (
      series: S,
      emit: (values: ReadonlyArray<string | number>, value: number) => void,
    ) => void;
  }): MetricFamily<Input> {
    const names = new LabelNames(declaration.labels);
    // One closure per family, not per series: it reads the series being written.
    let prefix: Uint8Array | undefined;
    let to: SampleOut | undefined;
    const emit = (values: ReadonlyArray<string | number>, value: number) =>
      to!.values(names, values, value, prefix);
    return this.family({
      name: declaration.name,
      help: declaration.help,
      labels: [...this.labels, ...declaration.labels],
      write(series, out) {
        prefix = series.labels;
        to = out;
        declaration.samples(series, emit);
      },
    });
  }
}
