/**
 * The overall deadline of one probe and the budget of each phase under it: a phase gets its
 * own timeout or what is left of the overall deadline, whichever is shorter, and the timeout
 * message says which of the two ran out (an admin tunes a different setting for each).
 */
export interface PhaseBudget {
  /** Milliseconds to wait, at least 0. */
  ms: number;
  /** True when the overall deadline, not the phase timeout, sets the limit. */
  byDeadline: boolean;
}

export class Deadline {
  private readonly at: number;

  constructor(
    readonly overallMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.at = clock() + overallMs;
  }

  remainingMs(): number {
    return Math.max(0, this.at - this.clock());
  }

  expired(): boolean {
    return this.remainingMs() <= 0;
  }

  /** Milliseconds a phase may wait: its own timeout or what is left, whichever is shorter. */
  phaseMs(phaseMs: number): number {
    return Math.min(this.remainingMs(), phaseMs);
  }

  budget(phaseMs: number): PhaseBudget {
    const ms = this.phaseMs(phaseMs);
    return { ms, byDeadline: ms < phaseMs };
  }

  /** Words for a timeout message: "the 2000 ms bind timeout" or "the 10000 ms overall deadline". */
  describe(budget: PhaseBudget, phaseName: string, phaseMs: number): string {
    return budget.byDeadline
      ? `the ${this.overallMs} ms overall deadline`
      : `the ${phaseMs} ms ${phaseName} timeout`;
  }
}
