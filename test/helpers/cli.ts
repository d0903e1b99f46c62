/**
 * Runs the real, built CLI (dist/cli.js; `npm test` builds it first) in a child process,
 * as an admin would run it: exit codes, stdout and stderr are what the tests look at.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** Loopback-only resolver configuration: no test may ask the machine's real resolvers. */
export const LOOPBACK_RESOLV_CONF = fileURLToPath(
  new URL('../fixtures/resolv-loopback.conf', import.meta.url),
);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runCli(args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kms-monitor ${args.join(' ')} did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningServer {
  child: ChildProcess;
  /** http(s)://127.0.0.1:PORT */
  url: string;
  /** Everything logged so far (JSON lines). */
  logs(): string;
  /** Waits until a log line contains `text`. */
  waitForLog(text: string, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** The exit code, once the process ends by itself or by a signal sent elsewhere. */
  exited: Promise<number | null>;
}

/** Starts `kms-monitor serve` (or another long-running command) on a free loopback port. */
export function startServer(
  command: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<RunningServer> {
  const child = spawnCli([
    command,
    '--web.listen-address=127.0.0.1:0',
    '--log.format=json',
    ...(args.some((a) => a.startsWith('--dns.resolv-conf')) || command !== 'serve'
      ? []
      : [`--dns.resolv-conf=${LOOPBACK_RESOLV_CONF}`]),
    ...args,
  ]);
  let logs = '';
  child.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
  child.stdout!.resume();
  const waitForLog = (text: string, waitMs = timeoutMs) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (logs.includes(text)) {
          clearInterval(poll);
          resolve();
        } else if (Date.now() - started > waitMs || child.exitCode !== null) {
          clearInterval(poll);
          reject(new Error(`no log line with ${JSON.stringify(text)}; logs:\n${logs}`));
        }
      }, 25);
    });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const started = waitForLog('"msg":"listening"').catch((err: unknown) => {
    // A server that never says it listens must not outlive the test that started it.
    child.kill('SIGKILL');
    throw err;
  });
  return started.then(() => {
    const line = logs.split('\n').find((l) => l.includes('"msg":"listening"'))!;
    const { address } = JSON.parse(line) as { address: string };
    return {
      child,
      url: address,
      logs: () => logs,
      waitForLog,
      exited,
      stop: async () => {
        if (child.exitCode === null) child.kill('SIGTERM');
        return exited;
      },
    };
  });
}
