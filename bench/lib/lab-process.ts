/**
 * Parent side of bench/lab-child.ts: starts the lab in a child process, sends it commands
 * and stops it. The child exits when its stdin closes, so a crashed benchmark cannot leave
 * a lab behind listening.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ZoneRecord } from '../../src/lab/dns-zone-server.js';
import type { LabKmsHostSettings } from '../../src/lab/index.js';

export interface LabChildSpec {
  hosts: Array<{
    address: string;
    port?: number;
    maxConnections?: number;
    settings?: LabKmsHostSettings;
  }>;
  zones?: { address?: string; records: Record<string, ZoneRecord[]> };
  /** A TCP echo server (the protocol floor of the probe benchmark). */
  echo?: { address?: string };
}

export type LabChildCommand =
  | { op: 'configure'; host?: number; settings: LabKmsHostSettings }
  | { op: 'configureEach'; settings: LabKmsHostSettings[] }
  | { op: 'stats' }
  | { op: 'usage' };

export interface LabProcess {
  pid: number;
  hosts: Array<{ address: string; port: number }>;
  dns: { address: string; port: number } | null;
  echo: { port: number } | null;
  send(command: LabChildCommand): Promise<unknown>;
  /** CPU seconds (user + system) the lab process has used. */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('../lab-child.ts', import.meta.url));

export async function startLabProcess(spec: LabChildSpec): Promise<LabProcess> {
  // BENCH_LAB_EXEC_ARGV="--cpu-prof --cpu-prof-dir=/tmp/lab-prof" profiles the lab side.
  const extra = (process.env['BENCH_LAB_EXEC_ARGV'] ?? '').split(' ').filter(Boolean);
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-lab-'));
  const specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', CHILD, specFile], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.once('close', () => rmSync(dir, { recursive: true, force: true }));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const pending = new Map<number, (value: unknown) => void>();
  let nextId = 1;
  const first = new Promise<{
    ready: boolean;
    error?: string;
    hosts: LabProcess['hosts'];
    dns: LabProcess['dns'];
    echo: LabProcess['echo'];
  }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`lab child exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line)));
  });
  const ready = await first;
  if (!ready.ready) throw new Error(`lab child failed: ${ready.error}`);
  lines.on('line', (line) => {
    const message = JSON.parse(line) as { id: number; result?: unknown; error?: string };
    const resolve = pending.get(message.id);
    pending.delete(message.id);
    resolve?.(message.error ? { error: message.error } : message.result);
  });
  const send = (command: LabChildCommand): Promise<unknown> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ ...command, id })}\n`);
    });
  return {
    pid: child.pid ?? -1,
    hosts: ready.hosts,
    dns: ready.dns,
    echo: ready.echo,
    send,
    async cpuSeconds() {
      const usage = (await send({ op: 'usage' })) as { cpu: NodeJS.CpuUsage };
      return (usage.cpu.user + usage.cpu.system) / 1e6;
    },
    async stop() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await closed;
      clearTimeout(timer);
    },
  };
}
