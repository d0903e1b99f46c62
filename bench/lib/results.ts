/**
 * bench/results.json: what the runner (bench/run.ts) writes and the README's goal table
 * (bench/goal-table.ts) is made from.
 */
import type { Figure, Machine } from './figures.js';

/** Benchmarks in run order, each a script in bench/ (fuzz is the test files, see run.ts). */
export const BENCHES = [
  'startup',
  'kms-probe',
  'kms-codec',
  'dns',
  'tcp',
  'round',
  'metrics',
  'auth-attack',
  'soak',
  'history',
  'status-page-estate',
  'fuzz',
] as const;
export type BenchName = (typeof BENCHES)[number];

export interface StoredResults {
  /** The machine of the latest run (each bench keeps its own date and load below). */
  machine: Machine;
  benches: Record<
    string,
    { machine: Machine; notes: string[]; failures: string[]; seconds: number }
  >;
  figures: Figure[];
}
