/**
 * Loads the captured exchanges of test/vectors/ (docs/protocol.md §7) for the RPC, products
 * and ePID tests.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VECTORS_DIR } from '../../helpers/vectors.js';

export { VECTORS_DIR };

export interface VectorPdu {
  connection?: number;
  direction: string;
  pdu: string;
  hex: string;
  parsed: Record<string, unknown> & {
    ptype: number;
    pfc_flags: number;
    frag_length: number;
    call_id: number;
  };
  ndr?: Record<string, unknown> & { syntax: string; size: number };
  kms_request_hex?: string;
  kms_response_hex?: string;
  kms_request?: { request?: Record<string, unknown> };
}

export interface VectorRun {
  vlmcs_reported?: Record<string, unknown>;
  pdus: VectorPdu[];
}

export interface CaptureFile {
  file: string;
  name: string;
  vlmcsd_options?: string[];
  runs: VectorRun[];
}

/** Every capture file (everything but index.json and crypto-primitives.json). */
export function loadCaptures(): CaptureFile[] {
  return readdirSync(VECTORS_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'index.json' && f !== 'crypto-primitives.json')
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(join(VECTORS_DIR, file), 'utf8')) as Omit<
        CaptureFile,
        'file'
      >;
      return { ...data, file };
    });
}

export interface LocatedPdu extends VectorPdu {
  file: string;
  run: number;
  index: number;
}

export function allPdus(captures: CaptureFile[] = loadCaptures()): LocatedPdu[] {
  return captures.flatMap((c) =>
    c.runs.flatMap((run, r) => run.pdus.map((p, i) => ({ ...p, file: c.file, run: r, index: i }))),
  );
}

/** Collects every string value stored under a key named `key`, at any depth. */
export function collectStrings(
  value: unknown,
  key: string,
  out: Set<string> = new Set(),
): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) collectStrings(v, key, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === key && typeof v === 'string') out.add(v);
      else collectStrings(v, key, out);
    }
  }
  return out;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
