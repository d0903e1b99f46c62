/**
 * A real Prometheus (Debian's prometheus package) for the deploy tests: started on a free
 * 127.0.0.1 port with a temporary storage directory, the shipped rule files and one scrape
 * job, queried through its HTTP API, stopped (SIGTERM, then SIGKILL) by the caller.
 * A missing `prometheus` binary rejects: the test fails, it does not skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import YAML from 'yaml';
import { freePort } from '../../src/lab/index.js';
import { ALERTING_RULES, RECORDING_RULES, repoPath } from './helpers.js';

/** Polls `check` every 500 ms until it returns a value; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  describeLast: () => string | Promise<string> = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}\n${await describeLast()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export interface ApiAnswer<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RuleState {
  name: string;
  health: string;
  lastError?: string;
}

export interface Prometheus {
  url: string;
  logs(): string;
  stop(): Promise<void>;
  query(expr: string): Promise<ApiAnswer<{ resultType: string; result: Sample[] }>>;
  /** The ALERTS series (pending and firing). */
  alerts(): Promise<Sample[]>;
  rules(): Promise<RuleState[]>;
}

/**
 * Starts Prometheus in `dir` evaluating the repository's rule files every second and
 * scraping `target` (host:port) every second as job "kms-monitor".
 */
export async function startPrometheus(dir: string, target: string): Promise<Prometheus> {
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(
    configFile,
    YAML.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '1s' },
      rule_files: [repoPath(RECORDING_RULES), repoPath(ALERTING_RULES)],
      scrape_configs: [{ job_name: 'kms-monitor', static_configs: [{ targets: [target] }] }],
    }),
  );
  let lastLogs = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort('127.0.0.1');
    const child: ChildProcess = spawn(
      'prometheus',
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, `data-${attempt}`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-lifecycle',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let logs = '';
    child.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await closed;
        clearTimeout(timer);
      }
    };
    const ready = await Promise.race([
      spawnError.then((err) => {
        throw new Error(`prometheus is not runnable (${err.message}); .ci/run installs it`);
      }),
      (async () => {
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline && child.exitCode === null) {
          try {
            if ((await fetch(`${url}/-/ready`)).ok) return true;
          } catch {
            // not listening yet
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        return false;
      })(),
    ]);
    if (ready) {
      const api = async <T>(path: string, params: Record<string, string> = {}) =>
        (await (
          await fetch(`${url}${path}?${new URLSearchParams(params)}`)
        ).json()) as ApiAnswer<T>;
      const query = (expr: string) =>
        api<{ resultType: string; result: Sample[] }>('/api/v1/query', { query: expr });
      return {
        url,
        logs: () => logs,
        stop,
        query,
        async alerts() {
          const answer = await query('ALERTS');
          if (answer.status !== 'success') throw new Error(`ALERTS: ${answer.error}`);
          return answer.data.result;
        },
        async rules() {
          const answer = await api<{ groups: Array<{ rules: RuleState[] }> }>('/api/v1/rules');
          return answer.data.groups.flatMap((g) => g.rules);
        },
      };
    }
    await stop();
    lastLogs = logs;
    if (!/address already in use/i.test(logs)) break;
  }
  throw new Error(`prometheus did not become ready:\n${lastLogs}`);
}

export function hasAlert(all: Sample[], name: string, labels: Record<string, string>): boolean {
  return all.some(
    (a) =>
      a.metric.alertname === name && Object.entries(labels).every(([k, v]) => a.metric[k] === v),
  );
}

export function formatAlerts(all: Sample[]): string {
  return all
    .map((a) => {
      const { alertname, __name__: _name, ...labels } = a.metric;
      return `${alertname} ${JSON.stringify(labels)}`;
    })
    .sort()
    .join('\n');
}
