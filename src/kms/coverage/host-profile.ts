/**
 * What a host's answers reveal about it (docs/coverage.md §5): its build, the release it
 * runs, and its installed host keys. Only answered probes reveal keys; a key no probe's
 * product uses stays invisible.
 */
import type { Epid } from '../epid.js';
import { hostOsOf, type HostOs, type HostOsInfo, type HostOsKind } from '../host-os.js';
import type { Csvlk } from './types.js';

/** One probe's result as the model needs it. */
export type ProbeOutcome =
  /** The host answered; `epid` is null when its ePID did not parse. */
  | { status: 'answered'; epid: Epid | null }
  /** The host refused with 0xC004F042 (its keys do not cover the product). */
  | { status: 'refused' };

/** By product slug; a product without an entry was not probed (or failed another way). */
export type HostProbes = ReadonlyMap<string, ProbeOutcome>;

export interface HostProfile {
  /** The build most answers carry; null when no answer had an ePID. */
  build: number | null;
  os: HostOsInfo | null;
  /** The release the model reasons with; null when the build names none. */
  running: HostOs | null;
  /** True when `running` is one of two readings of a shared build, chosen without proof. */
  assumed: boolean;
  /** The distinct known keys the answers carried, in first-seen order. */
  csvlks: readonly Csvlk[];
}

/** Server for a Windows Server key, client for a Windows client key, null for Office. */
export function keyHostKind(csvlk: Csvlk): HostOsKind | null {
  if (csvlk.application !== 'windows') return null;
  return csvlk.id.startsWith('windows-server') ? 'server' : 'client';
}

function mostCommon(values: number[]): number | null {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | null = null;
  for (const [v, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = v;
  return best;
}

/**
 * The host as its answers show it. A Windows key says whether the host is a server or a
 * client; without one, a shared build is read as the server (KMS hosts mostly are) and
 * `assumed` is set.
 */
export function hostProfile(probes: HostProbes): HostProfile {
  const epids: Epid[] = [];
  for (const outcome of probes.values()) {
    if (outcome.status === 'answered' && outcome.epid !== null) epids.push(outcome.epid);
  }
  const csvlks: Csvlk[] = [];
  for (const e of epids) if (e.csvlk !== null && !csvlks.includes(e.csvlk)) csvlks.push(e.csvlk);
  const build = mostCommon(epids.map((e) => e.hostBuild));
  const os = build === null ? null : hostOsOf(build);
  const kinds = csvlks.map(keyHostKind).filter((k): k is HostOsKind => k !== null);
  const kind = kinds.length > 0 && kinds.every((k) => k === kinds[0]) ? kinds[0] : undefined;
  let running: HostOs | null = null;
  let assumed = false;
  if (os !== null) {
    if (kind === 'server') running = os.server;
    else if (kind === 'client') running = os.client;
    else {
      running = os.server ?? os.client;
      assumed = os.server !== null && os.client !== null;
    }
  }
  return { build, os, running, assumed, csvlks };
}
