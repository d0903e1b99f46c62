/**
 * Runs the ADBA collector (src/adba/) of each configured forest on its own schedule: a
 * read at start, then one every adba_interval (plus jitter), each forest in a loop of its
 * own, apart from the KMS rounds. A slow or failing forest delays nobody: not the other
 * forests, not the KMS probing. Each loop has its own abort signal; a reload that changes or
 * removes a forest aborts its loop, and stop() aborts every loop, which ends the read in
 * flight and destroys its LDAP sockets before it returns. Time comes from a PollerClock, as
 * for the poller, so tests drive the schedule without waiting.
 */
import type { Logger } from 'pino';
import type { AdbaForestConfig, AdbaReadResult } from '../adba/index.js';
import type { AdbaState } from './adba-state.js';
import { JITTER_FRACTION, SYSTEM_CLOCK, type PollerClock } from './poller.js';

/** One read of one forest; the real one is src/adba's readForest. */
export type ReadForestFn = (
  config: AdbaForestConfig,
  options: { signal: AbortSignal },
) => Promise<AdbaReadResult>;

interface ForestLoop {
  /** The forest's configuration as JSON: a reload that changes it restarts the loop. */
  key: string;
  controller: AbortController;
  done: Promise<void>;
}

export class AdbaScheduler {
  private readonly loops = new Map<string, ForestLoop>();
  private intervalMs = 3_600_000;
  private stopped = false;

  constructor(
    private readonly state: AdbaState,
    private readonly read: ReadForestFn,
    private readonly log: Logger,
    private readonly clock: PollerClock = SYSTEM_CLOCK,
  ) {}

  /**
   * The forests and interval as configured now (start and every reload). A forest whose
   * configuration is unchanged keeps its loop and its memory; the new interval applies
   * from its next wait.
   */
  configure(forests: readonly AdbaForestConfig[], intervalMs: number): void {
    if (this.stopped) return;
    this.intervalMs = intervalMs;
    this.state.configure(forests);
    const wanted = new Map(forests.map((f) => [f.name, f]));
    for (const [name, loop] of this.loops) {
      const next = wanted.get(name);
      if (next === undefined || JSON.stringify(next) !== loop.key) {
        loop.controller.abort();
        this.loops.delete(name);
      }
    }
    for (const forest of forests) {
      if (this.loops.has(forest.name)) continue;
      const controller = new AbortController();
      const loop: ForestLoop = { key: JSON.stringify(forest), controller, done: Promise.resolve() };
      loop.done = this.runLoop(forest, controller.signal);
      this.loops.set(forest.name, loop);
    }
  }

  /**
   * One read of every forest at once, recorded, with no loop left behind (`check`, which
   * runs one round and exits).
   */
  async readAllOnce(forests: readonly AdbaForestConfig[]): Promise<void> {
    this.state.configure(forests);
    const controller = new AbortController();
    await Promise.all(forests.map((f) => this.readOnce(f, controller.signal)));
  }

  /** Aborts every read in flight and waits for the loops to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    const loops = [...this.loops.values()];
    this.loops.clear();
    for (const loop of loops) loop.controller.abort();
    await Promise.all(loops.map((l) => l.done));
  }

  private async runLoop(forest: AdbaForestConfig, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.readOnce(forest, signal);
      if (signal.aborted) break;
      const jitter = this.clock.random() * this.intervalMs * JITTER_FRACTION;
      await this.clock.sleep(this.intervalMs + jitter, signal);
    }
  }

  private async readOnce(forest: AdbaForestConfig, signal: AbortSignal): Promise<void> {
    let result: AdbaReadResult;
    try {
      result = await this.read(forest, { signal });
    } catch (err) {
      // readForest returns every failure; this guards the loop against anything else.
      result = {
        forest: forest.name,
        ok: false,
        reason: 'protocol',
        phase: 'connect',
        message: `the read failed unexpectedly: ${(err as Error).message}`,
        durationMs: 0,
      };
    }
    // A read aborted by stop or reload describes nothing: it is not recorded.
    if (signal.aborted) return;
    const previous = this.state.forests.get(forest.name)?.last ?? null;
    const recorded = this.state.record(result, new Date(this.clock.now()).toISOString());
    if (recorded === null) return;
    if (!result.ok) {
      if (previous === null || previous.ok || previous.reason !== result.reason) {
        this.log.warn(
          { forest: forest.name, reason: result.reason, phase: result.phase },
          `adba forest unreadable: ${result.message}`,
        );
      }
      return;
    }
    if (previous !== null && !previous.ok) {
      this.log.info({ forest: forest.name }, 'adba forest readable again');
    }
    const { appeared, changed, disappeared } = recorded.changes;
    for (const o of appeared) {
      this.log.info({ forest: forest.name, dn: o.dn }, 'adba activation object appeared');
    }
    for (const c of changed) {
      this.log.info(
        { forest: forest.name, dn: c.dn, attributes: c.attributes },
        'adba activation object changed',
      );
    }
    for (const o of disappeared) {
      this.log.info({ forest: forest.name, dn: o.dn }, 'adba activation object disappeared');
    }
  }
}
