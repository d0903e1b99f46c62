/**
 * The worker thread behind BcryptQueue: bcrypt is deliberately slow (tens of milliseconds
 * at cost 10, seconds at cost 18), so it runs here, one job at a time, and never on the
 * event loop that answers /metrics. Jobs arrive in order and are answered in order.
 */
import { parentPort } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

export type BcryptRequest =
  | { op: 'compare'; password: string; hash: string }
  | { op: 'hash'; password: string; cost: number };

export type BcryptJob = BcryptRequest & { id: number };

export type BcryptAnswer = { id: number; result: boolean | string } | { id: number; error: string };

const port = parentPort;
if (port) {
  port.on('message', (job: BcryptJob) => {
    try {
      const result =
        job.op === 'compare'
          ? bcrypt.compareSync(job.password, job.hash)
          : bcrypt.hashSync(job.password, job.cost);
      port.postMessage({ id: job.id, result } satisfies BcryptAnswer);
    } catch (err) {
      port.postMessage({ id: job.id, error: (err as Error).message } satisfies BcryptAnswer);
    }
  });
}
