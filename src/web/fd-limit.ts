/**
 * How many HTTP connections the process can afford: its open-file limit (`ulimit -n`,
 * LimitNOFILE in systemd) minus a reserve for everything else — the poller's sockets (one
 * per probe in flight, TCP retries of DNS), the UDP sockets, log and configuration files,
 * the worker thread, Node's own descriptors. Without a cap, a thousand idle clients take
 * every descriptor and both /metrics and the poller fail with EMFILE.
 */
import { readFileSync } from 'node:fs';

/** Descriptors Node, the logger, the bcrypt worker and file reads use whatever the load. */
const BASE_RESERVE = 64;
/** Fewer than this and the web server would be useless; below it the limit is too low. */
export const MIN_CONNECTIONS = 16;
/** Far above any Prometheus setup; each connection costs memory too. */
export const MAX_CONNECTIONS = 16_384;
/** Assumed when the limit cannot be read (not Linux): the usual soft default. */
const ASSUMED_LIMIT = 1024;

/** The soft open-files limit from /proc/self/limits; null where it cannot be read. */
export function openFilesLimit(readLimits: () => string = readProcLimits): number | null {
  let text: string;
  try {
    text = readLimits();
  } catch {
    return null;
  }
  const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(text);
  if (!match) return null;
  return match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
}

function readProcLimits(): string {
  // procfs reports a size of 0, so the bounded reader (which trusts fstat) cannot read it;
  // the file is a few hundred bytes by construction.
  return readFileSync('/proc/self/limits', 'utf8');
}

export interface ConnectionBudget {
  max: number;
  fdLimit: number | null;
  reserve: number;
  /** True when the limit leaves less than MIN_CONNECTIONS after the reserve. */
  tooLow: boolean;
}

/** The connection cap for a poller running `concurrency` probes at once. */
export function connectionBudget(fdLimit: number | null, concurrency: number): ConnectionBudget {
  // Each probe in flight holds a socket, a DNS lookup may add a TCP retry: two per slot.
  const reserve = BASE_RESERVE + 2 * concurrency;
  const limit = fdLimit ?? ASSUMED_LIMIT;
  const room = limit - reserve;
  return {
    max: Math.max(MIN_CONNECTIONS, Math.min(MAX_CONNECTIONS, Math.floor(room))),
    fdLimit,
    reserve,
    tooLow: room < MIN_CONNECTIONS,
  };
}
