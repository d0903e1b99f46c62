/**
 * Runs tasks one after another: a run starts when the previous one has settled, and a
 * failed run does not block later ones (its caller sees the failure). The lab uses it
 * where two changes must never interleave — reopening a listener, reconfiguring hosts.
 */
export class Serial {
  private last: Promise<void> = Promise.resolve();

  run(task: () => Promise<void>): Promise<void> {
    this.last = this.last.catch(() => undefined).then(task);
    return this.last;
  }

  /** Settles when every run so far has, whatever their outcome. */
  idle(): Promise<void> {
    return this.last.catch(() => undefined);
  }
}
