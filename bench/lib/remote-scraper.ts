/**
 * GET and HEAD over real loopback HTTP from a client in another process
 * (bench/lib/scrape-child.mjs says why), resolved when that client has read the last byte.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./scrape-child.mjs', import.meta.url));

interface Answer {
  id: number;
  bytes?: number;
  status?: number;
  error?: string;
}

export interface ScrapeRequest {
  port: number;
  path: string;
  method?: 'GET' | 'HEAD';
  gzip?: boolean;
}

export class RemoteScraper {
  private next = 0;
  private readonly waiting = new Map<number, (answer: Answer) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (answer: Answer) => {
      this.waiting.get(answer.id)?.(answer);
      this.waiting.delete(answer.id);
    });
  }

  /** Starts the client process and waits until it runs. */
  static async start(): Promise<RemoteScraper> {
    // No loader flags of the bench's own process (tsx): the child is plain JavaScript.
    const child = fork(CHILD, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return new RemoteScraper(child);
  }

  /** The body's byte count; rejects on a transport error or a status other than 200. */
  scrape(ask: ScrapeRequest): Promise<number> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (answer) => {
        if (answer.error !== undefined) reject(new Error(answer.error));
        else if (answer.status !== 200) reject(new Error(`HTTP ${answer.status}`));
        else resolve(answer.bytes ?? 0);
      });
      this.child.send({ id, method: 'GET', gzip: false, ...ask });
    });
  }

  close(): void {
    this.child.disconnect();
  }
}
