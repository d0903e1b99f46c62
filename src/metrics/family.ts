/**
 * A metric family, declared once: its name, type, HELP, label names and the function that
 * reads its samples from the input at scrape time. The renderer (exposition.ts) writes
 * HELP, TYPE and the samples from this and nothing else; the README's metric table is
 * checked against the same declarations (test/metrics/readme-table.test.ts).
 *
 * Names, labels and units are the contract of docs/design.md; HELP texts say what a
 * value means to a KMS admin.
 */
export type MetricType = 'gauge' | 'counter';

/**
 * Writes one sample. `labels` is exposition text, already escaped, with the family's
 * label names in their declared order (`host="a",port="1688"`), or '' for none: shared
 * prefixes (a host's `host`/`port`) are escaped once per scrape, not once per series.
 */
export type Emit = (labels: string, value: number) => void;

export interface MetricFamily<Input> {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  /** Every sample carries exactly these labels, in this order. */
  readonly labels: readonly string[];
  /** Emits the family's samples for `input`; reads only, never probes. */
  readonly samples: (input: Input, emit: Emit) => void;
}
