/**
 * Debian's prometheus-blackbox-exporter as a baseline: started on 127.0.0.1 with a module
 * file written here, driven over HTTP (`/probe?module=..&target=..`) with bounded
 * concurrency on keep-alive connections. Every probe it runs costs an HTTP request and a
 * response parse on top of the probe itself: the benchmarks measure that overhead apart
 * (its `/-/healthy` rate) and say so next to the figure.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../../src/lab/free-port.js';
import { processCpuSeconds } from './figures.js';

export const BLACKBOX_BINARY = '/usr/bin/prometheus-blackbox-exporter';

export function blackboxAvailable(): boolean {
  return existsSync(BLACKBOX_BINARY);
}

export interface Blackbox {
  url: string;
  pid: number;
  version: string;
  cpuSeconds(): number;
  /** GET `path`; resolves with status and body. */
  get(path: string): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

export async function startBlackbox(modules: Record<string, unknown>): Promise<Blackbox> {
  if (!blackboxAvailable()) throw new Error(`${BLACKBOX_BINARY} is not installed`);
  const dir = await mkdtemp(join(tmpdir(), 'kms-bench-blackbox-'));
  const config = join(dir, 'blackbox.yml');
  await writeFile(config, stringify({ modules }));
  const port = await freePort('127.0.0.1');
  const child = spawn(
    BLACKBOX_BINARY,
    [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  // Keep-alive and enough sockets for the concurrency used: no connect per probe.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const get = (path: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = http.get(`${url}${path}`, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  const stop = async (): Promise<void> => {
    agent.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await closed;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await get('/-/healthy')).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`blackbox_exporter did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const version = await new Promise<string>((resolve) => {
    const v = spawn(BLACKBOX_BINARY, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    v.stdout.on('data', (d: Buffer) => (text += d.toString()));
    v.stderr.on('data', (d: Buffer) => (text += d.toString()));
    v.once('close', () => resolve(/version (\S+)/.exec(text)?.[1] ?? 'unknown'));
  });
  return {
    url,
    pid: child.pid ?? -1,
    version,
    cpuSeconds: () => processCpuSeconds(child.pid ?? -1),
    get,
    stop,
  };
}

/** True when a blackbox probe response says the probe succeeded. */
export function probeSucceeded(body: string): boolean {
  return /^probe_success 1$/m.test(body);
}
