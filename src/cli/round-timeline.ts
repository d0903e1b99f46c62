/**
 * A timeline of one `check` round for finding where its time goes (docs/performance.md,
 * CLI start-up): with KMS_MONITOR_TIMELINE=1 in the environment, `check` writes to stderr,
 * once it has printed, when each phase began and ended and how much CPU the process had
 * used by then, counted from the process's start. The probers are wrapped to time each
 * probe kind from its first call to its last answer, so the poller itself is untouched.
 * Off (the default) it costs one environment lookup.
 */
interface Span {
  name: string;
  start: number;
  end: number;
  cpuEnd: number;
  calls: number;
}

export class RoundTimeline {
  private readonly spans = new Map<string, Span>();

  static fromEnv(env: NodeJS.ProcessEnv = process.env): RoundTimeline | null {
    return env['KMS_MONITOR_TIMELINE'] === '1' ? new RoundTimeline() : null;
  }

  /** Marks a point: a span of its own from the last mark's end (or the process start). */
  mark(name: string): void {
    const last = [...this.spans.values()].reduce((t, s) => Math.max(t, s.end), 0);
    this.record(name, last, 1);
  }

  /** Times an async call; calls of one name form one span, first start to last end. */
  async time<T>(name: string, call: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await call();
    } finally {
      this.record(name, start, 1);
    }
  }

  private record(name: string, start: number, calls: number): void {
    const end = performance.now();
    const cpu = process.cpuUsage();
    const cpuEnd = (cpu.user + cpu.system) / 1000;
    const span = this.spans.get(name);
    if (span) {
      span.start = Math.min(span.start, start);
      span.end = Math.max(span.end, end);
      span.cpuEnd = Math.max(span.cpuEnd, cpuEnd);
      span.calls += calls;
    } else {
      this.spans.set(name, { name, start, end, cpuEnd, calls });
    }
  }

  /** Every function of `probers` (the poller's Probers), timed under its name. */
  wrap<T extends object>(probers: T): T {
    const wrapped = { ...probers } as Record<string, unknown>;
    for (const [name, fn] of Object.entries(probers)) {
      if (typeof fn !== 'function') continue;
      wrapped[name] = (...args: unknown[]) =>
        this.time(name, () => (fn as (...a: unknown[]) => Promise<unknown>)(...args));
    }
    return wrapped as T;
  }

  text(): string {
    const rows = [...this.spans.values()].sort((a, b) => a.start - b.start);
    const lines = rows.map(
      (s) =>
        `${s.name.padEnd(12)} ${s.start.toFixed(1).padStart(7)} → ${s.end.toFixed(1).padStart(7)} ms` +
        `  (${(s.end - s.start).toFixed(1).padStart(6)} ms, ${String(s.calls).padStart(3)} calls)` +
        `  CPU by then ${s.cpuEnd.toFixed(0).padStart(4)} ms`,
    );
    return `timeline (ms since the process started):\n${lines.join('\n')}\n`;
  }
}
