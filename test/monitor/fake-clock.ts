/**
 * A clock for the poller that moves only when the test says so: sleeps wait for
 * `advance`, in order of their wake-up time, and every promise is let to settle between
 * two wake-ups. The poller's schedule (rounds, sweeps, overruns) is then exact and takes
 * no wall-clock time.
 */
import type { PollerClock } from '../../src/monitor/poller.js';

interface Sleeper {
  at: number;
  wake: () => void;
}

export class FakeClock implements PollerClock {
  /** What every sleep asked for, in order (the poller's waits between rounds). */
  readonly sleeps: number[] = [];
  /** The value random() returns: the fraction of the jitter range added to each wait. */
  jitter = 0;
  private sleepers: Sleeper[] = [];

  constructor(private t = Date.UTC(2026, 0, 1)) {}

  readonly now = (): number => this.t;

  readonly random = (): number => this.jitter;

  /** The poller's waits: recorded in `sleeps`. */
  readonly sleep = (ms: number, signal: AbortSignal): Promise<void> => {
    this.sleeps.push(ms);
    return this.wait(ms, signal);
  };

  /** Time a fake probe takes: not recorded. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const wake = () => {
        signal.removeEventListener('abort', wake);
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      };
      const sleeper = { at: this.t + ms, wake };
      this.sleepers.push(sleeper);
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  /** Sleeps not yet woken. */
  get waiting(): number {
    return this.sleepers.length;
  }

  /** Lets every pending promise settle: the poller runs until it waits on this clock. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Moves time forward by `ms`, waking each sleeper at its time. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await this.settle();
    for (;;) {
      const next = this.sleepers.filter((s) => s.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.t = next.at;
      next.wake();
      await this.settle();
    }
    this.t = end;
  }
}
