/**
 * Logs the world changing: a line when a finding is raised (a host went down, a record
 * went stale, a product is refused) and when it clears, with its stable code, so a log
 * search for `code=host_down` finds every outage. Fed the evaluation after every round;
 * the same changes go to the journal of recent events (./events/), when one is given.
 */
import type { Logger } from 'pino';
import type { Evaluation } from './evaluate.js';
import type { EstateEvents } from './events/index.js';
import { findingKey, type Finding } from './findings.js';

export class FindingLog {
  private active = new Map<string, Finding>();

  constructor(
    private readonly log: Logger,
    private readonly events?: EstateEvents,
  ) {}

  /** `atMs`: when the evaluated round ended (the poller's clock). */
  update(evaluation: Evaluation, atMs: number = Date.now()): void {
    const next = new Map(evaluation.problems.map((f) => [findingKey(f), f]));
    for (const [key, f] of next) {
      if (this.active.has(key)) continue;
      this.log.info(fieldsOf(f), 'finding raised');
      this.events?.finding(f, 'raised', key, atMs);
    }
    for (const [key, f] of this.active) {
      if (next.has(key)) continue;
      this.log.info(fieldsOf(f), 'finding cleared');
      this.events?.finding(f, 'cleared', key, atMs);
    }
    this.active = next;
  }
}

function fieldsOf(f: Finding): Record<string, unknown> {
  return {
    code: f.code,
    severity: f.severity,
    ...(f.domain ? { domain: f.domain } : {}),
    ...(f.host ? { host: f.host } : {}),
    ...(f.product ? { product: f.product } : {}),
    detail: f.message,
  };
}
