/**
 * The history the monitor keeps itself (issue 17; README, "History"): per host its
 * reachability, per host × product a ring of KMS samples sized to hold `history.retention`
 * of kms_interval sweeps. The state feeds it after every recorded result and makes it
 * forget hosts and products as it forgets them; the API and the status page read views.
 */
import type { HostState } from '../state.js';
import { HostHistory } from './host-history.js';
import type { HostHistoryView } from './view.js';

export const DEFAULT_RETENTION_MS = 7 * 86_400_000;
/**
 * The most samples one ring holds, whatever retention / kms_interval asks: at 1,000 hosts
 * × 3 products it bounds the rings to 135 MB. 7 days of 10-minute sweeps need 1,134.
 */
export const MAX_SAMPLES_PER_RING = 4096;

/**
 * Samples per ring: one per sweep over the retention, plus an eighth for the exchanges
 * between sweeps (a new host, one back from a connect failure), capped.
 */
export function ringCapacity(retentionMs: number, kmsIntervalMs: number): number {
  const sweeps = Math.ceil(retentionMs / Math.max(1, kmsIntervalMs));
  return Math.max(1, Math.min(MAX_SAMPLES_PER_RING, sweeps + Math.ceil(sweeps / 8)));
}

export interface HistorySettings {
  retentionMs: number;
  kmsIntervalMs: number;
}

export class EstateHistory {
  private readonly hosts = new Map<string, HostHistory>();
  private settings: HistorySettings = {
    retentionMs: DEFAULT_RETENTION_MS,
    kmsIntervalMs: 600_000,
  };
  private capacity = ringCapacity(DEFAULT_RETENTION_MS, 600_000);

  get retentionMs(): number {
    return this.settings.retentionMs;
  }

  /** Retention and sweep interval of the plan; a change resizes every ring (newest kept). */
  configure(settings: HistorySettings): void {
    if (
      settings.retentionMs === this.settings.retentionMs &&
      settings.kmsIntervalMs === this.settings.kmsIntervalMs
    ) {
      return;
    }
    this.settings = { ...settings };
    this.capacity = ringCapacity(settings.retentionMs, settings.kmsIntervalMs);
    for (const host of this.hosts.values()) host.setCapacity(this.capacity);
  }

  /** Takes what is new in the host's state (its latest TCP and KMS results). */
  observe(key: string, host: HostState): void {
    let history = this.hosts.get(key);
    if (history === undefined) this.hosts.set(key, (history = new HostHistory()));
    history.observe(host, this.capacity, this.settings.retentionMs);
  }

  /** Forgets hosts that left the state. */
  retainHosts(keep: (key: string) => boolean): void {
    for (const key of this.hosts.keys()) if (!keep(key)) this.hosts.delete(key);
  }

  /** Forgets products the plan no longer asks for. */
  retainProducts(keep: (slug: string) => boolean): void {
    for (const host of this.hosts.values()) host.retainProducts(keep);
  }

  /**
   * The host's history over the `windowMs` before `now` (at most the retention); null
   * for a host the history has not seen.
   */
  view(key: string, now: number, windowMs: number): HostHistoryView | null {
    const history = this.hosts.get(key);
    if (history === undefined) return null;
    const retention = this.settings.retentionMs;
    return history.view(now, Math.min(windowMs, retention), retention);
  }

  /** Bytes allocated by the typed arrays (the rest is a few objects per host). */
  get byteLength(): number {
    let bytes = 0;
    for (const host of this.hosts.values()) bytes += host.byteLength;
    return bytes;
  }
}
