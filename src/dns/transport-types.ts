/** What the UDP and TCP transports share: the deadline-driven options of one exchange. */
import type { DnsFailure } from './errors.js';

export interface ExchangeOptions {
  /** Absolute deadline on the performance.now() clock. */
  deadline: number;
  /** UDP transmissions (the first send plus retransmissions); ignored by TCP. */
  attempts: number;
  /** Largest DNS message accepted over TCP (the 2-byte length allows up to 65535). */
  maxResponseBytes: number;
  signal?: AbortSignal | undefined;
}

/**
 * Keeps the most telling of the dropped datagrams, to name the failure if nothing valid
 * arrives: one with our ID but broken beats a wrong question, which beats a wrong ID.
 */
export class DropLog {
  private best: DnsFailure | null = null;
  count = 0;

  add(failure: DnsFailure): void {
    this.count++;
    if (!this.best || rank(failure) > rank(this.best)) this.best = failure;
  }

  get strongest(): DnsFailure | null {
    return this.best;
  }
}

const RANK: Partial<Record<string, number>> = {
  id_mismatch: 1,
  question_mismatch: 2,
  malformed: 3,
};

function rank(failure: DnsFailure): number {
  return RANK[failure.reason] ?? 0;
}
