/**
 * Serialised bcrypt comparisons in one worker thread, with a bounded backlog: at most
 * `maxPending` comparisons wait or run at once, and at most `maxPerClient` of them for
 * one client address. A comparison that would exceed either bound is not queued at all
 * and answers `busy` at once, so a password-guessing client can neither queue unbounded
 * work nor crowd out a login from another address.
 */
import { Worker } from 'node:worker_threads';
import type { BcryptAnswer, BcryptJob, BcryptRequest } from './bcrypt-worker.js';

export type CompareOutcome = 'match' | 'mismatch' | 'busy';

export interface BcryptQueueOptions {
  maxPending?: number;
  maxPerClient?: number;
}

interface Pending {
  resolve(result: boolean | string): void;
  reject(err: Error): void;
  client: string | null;
}

const WORKER_URL = new URL('./bcrypt-worker.js', import.meta.url);

export class BcryptQueue {
  readonly maxPending: number;
  readonly maxPerClient: number;
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly perClient = new Map<string, number>();
  /** Comparisons run so far (tests and the bench read it). */
  compares = 0;

  constructor(options: BcryptQueueOptions = {}) {
    this.maxPending = options.maxPending ?? 16;
    this.maxPerClient = options.maxPerClient ?? 2;
  }

  /** Comparisons waiting or running now. */
  get backlog(): number {
    let n = 0;
    for (const p of this.pending.values()) if (p.client !== null) n++;
    return n;
  }

  async compare(password: string, hash: string, client: string): Promise<CompareOutcome> {
    const mine = this.perClient.get(client) ?? 0;
    if (this.backlog >= this.maxPending || mine >= this.maxPerClient) return 'busy';
    this.perClient.set(client, mine + 1);
    this.compares++;
    try {
      const ok = await this.run({ op: 'compare', password, hash }, client);
      return ok === true ? 'match' : 'mismatch';
    } finally {
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
    }
  }

  /** A new hash (the dummy hash of unknown users); not subject to the bounds. */
  async hash(password: string, cost: number): Promise<string> {
    return String(await this.run({ op: 'hash', password, cost }, null));
  }

  /** Stops the worker; comparisons in flight reject. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failAll(new Error('bcrypt worker stopped'));
    await worker?.terminate();
  }

  private run(job: BcryptRequest, client: string | null): Promise<boolean | string> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, client });
      this.ensureWorker().postMessage({ ...job, id } satisfies BcryptJob);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_URL);
    // The HTTP server keeps the process alive; an idle worker must not.
    worker.unref();
    worker.on('message', (answer: BcryptAnswer) => {
      const p = this.pending.get(answer.id);
      if (!p) return;
      this.pending.delete(answer.id);
      if ('error' in answer) p.reject(new Error(answer.error));
      else p.resolve(answer.result);
    });
    const lost = (err: Error) => {
      if (this.worker !== worker) return;
      // The next job starts a fresh worker; the ones in flight fail rather than hang.
      this.worker = null;
      this.failAll(err);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`bcrypt worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }
}
