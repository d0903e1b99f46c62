/**
 * The per-operation timeout of one forest read. Each phase (TCP connect, TLS, bind, RootDSE,
 * each search page) re-arms it; when it fires, the read's sockets are destroyed and the
 * pending step is abandoned with a named failure. ldapts has its own timers for most steps,
 * but not for the TLS handshake after StartTLS, and a destroyed socket that never connected
 * settles nothing in it: the race below is what guarantees the deadline.
 */
import { AdbaReadError, type AdbaPhase } from './failure.js';

export class Watchdog {
  phase: AdbaPhase = 'connect';
  private timer: NodeJS.Timeout | undefined;
  private rejectExpiry: (err: AdbaReadError) => void = () => {};
  private readonly expiry: Promise<never>;

  constructor(
    private readonly timeoutMs: number,
    private readonly onExpire: () => void,
  ) {
    this.expiry = new Promise<never>((_, reject) => (this.rejectExpiry = reject));
    this.expiry.catch(() => {});
  }

  /** Starts `phase` with a fresh timeout. */
  enter(phase: AdbaPhase): void {
    this.phase = phase;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const error =
        phase === 'connect'
          ? new AdbaReadError('connect', `no TCP connection within ${this.timeoutMs} ms`)
          : new AdbaReadError('timeout', `no answer within ${this.timeoutMs} ms (${phase})`);
      this.onExpire();
      this.rejectExpiry(error);
    }, this.timeoutMs);
  }

  /** `work` in `phase`, abandoned when the timeout fires first. */
  async run<T>(phase: AdbaPhase, work: () => Promise<T>): Promise<T> {
    this.enter(phase);
    const pending = work();
    pending.catch(() => {});
    return Promise.race([pending, this.expiry]);
  }

  /**
   * Abandons the read at once (the monitor stops or reloads): the sockets go, the pending
   * step fails. Nobody records this result, so its reason is only what fits best.
   */
  cancel(): void {
    clearTimeout(this.timer);
    this.onExpire();
    this.rejectExpiry(new AdbaReadError('timeout', `the read was stopped (${this.phase})`));
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
