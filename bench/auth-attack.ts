/**
 * (8) Basic auth under a password-guessing attack: `serve` with one bcrypt user (cost 10,
 * the exporter-toolkit example's), scraped at /metrics with the right password by one
 * client while 32 clients send wrong passwords back to back (each a fresh guess, so no
 * cache can absorb them). Baseline: the same authenticated scrapes, same server, same
 * run, with no attack. The goal is the hardening issue's: authenticated p99 under 1 s.
 *
 *   npm run bench -- auth-attack    node --import tsx bench/auth-attack.ts [--seconds 15] [--attackers 32] [--cost 10]
 *
 * The server is the CLI from src/ (tsx) in a child process, so attackers and scraper do
 * not share its event loop. Only 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import { commandFor, figure, type BenchReport, type Figure } from './lib/figures.js';
import { load, summarize } from './lib/measure.js';
import { benchMain } from './lib/main.js';

const BENCH = 'auth-attack';
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const RESOLV = fileURLToPath(new URL('../test/fixtures/resolv-loopback.conf', import.meta.url));
const PASSWORD = 'scrape-me';

interface Server {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

function startServe(webConfig: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      'serve',
      '--web.listen-address=127.0.0.1:0',
      `--web.config.file=${webConfig}`,
      `--dns.resolv-conf=${RESOLV}`,
      '--log.format=json',
      '--host=127.0.0.1:9',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let logs = '';
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${logs}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      logs += d.toString();
      const line = logs.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (!line) return;
      clearTimeout(timer);
      child.stderr!.removeAllListeners('data');
      child.stderr!.resume();
      const { address } = JSON.parse(line) as { address: string };
      resolve({
        child,
        url: address,
        stop: async () => {
          child.kill('SIGTERM');
          await closed;
        },
      });
    });
    child.once('close', (code) => reject(new Error(`serve exited ${code}:\n${logs}`)));
  });
}

/** One GET; resolves with the status (0 for a network error or a 10 s timeout). */
function get(url: string, agent: Agent, authorization: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent, headers: { authorization }, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end();
  });
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export async function run(options: {
  seconds: number;
  attackers: number;
  cost: number;
}): Promise<BenchReport> {
  const { seconds, attackers, cost } = options;
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-auth-'));
  const file = join(dir, 'web.yml');
  writeFileSync(file, `basic_auth_users:\n  prometheus: '${bcrypt.hashSync(PASSWORD, cost)}'\n`);
  const server = await startServe(file);
  const notes: string[] = [];
  const failures: string[] = [];
  const figures: Figure[] = [];
  const scrapeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const attackAgent = new Agent({ keepAlive: true, maxSockets: attackers });
  const metrics = `${server.url}/metrics`;
  const good = basic('prometheus', PASSWORD);
  const scrape = async () => (await get(metrics, scrapeAgent, good)) === 200;
  try {
    // Warm up: the first right password pays its bcrypt compare once.
    for (let i = 0; i < 5; i++) await scrape();
    const quiet = await load(scrape, { concurrency: 1, ms: seconds * 1000 });

    const statuses = new Map<number, number>();
    let attacking = true;
    const attack = Promise.all(
      Array.from({ length: attackers }, async (_, n) => {
        while (attacking) {
          // A fresh guess every time, half for the real user and half for made-up ones.
          const user = n % 2 === 0 ? 'prometheus' : `user${n}`;
          const status = await get(
            metrics,
            attackAgent,
            basic(user, randomBytes(9).toString('base64')),
          );
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          // A refused connection or a 429 must not turn this loop into a busy spin.
          if (status === 0 || status === 429) await new Promise((r) => setTimeout(r, 5));
        }
      }),
    );
    // Let the attack build its queue before measuring.
    await new Promise((r) => setTimeout(r, 1000));
    const attacked = await load(scrape, { concurrency: 1, ms: seconds * 1000 });
    attacking = false;
    await attack;

    const q = summarize([quiet]);
    const a = summarize([attacked]);
    const command = commandFor(BENCH, `--attackers ${attackers} --cost ${cost}`);
    const baselineP = (v: number, what: string) => ({
      name: `${what} of authenticated GET /metrics, no attack`,
      value: v,
      unit: 'ms',
    });
    figures.push(
      figure({
        id: `${BENCH}.p50`,
        bench: BENCH,
        name: `authenticated GET /metrics p50, ${attackers} clients guessing passwords (bcrypt cost ${cost})`,
        value: a.p50,
        unit: 'ms',
        better: 'lower',
        baseline: baselineP(q.p50, 'p50'),
        command,
      }),
      figure({
        id: `${BENCH}.p99`,
        bench: BENCH,
        name: `authenticated GET /metrics p99, ${attackers} clients guessing passwords (bcrypt cost ${cost})`,
        value: a.p99,
        unit: 'ms',
        better: 'lower',
        baseline: baselineP(q.p99, 'p99'),
        goal: { text: 'p99 under 1 s during the attack', met: a.p99 < 1000 },
        command,
      }),
    );
    const guesses = [...statuses.values()].reduce((n, c) => n + c, 0);
    const byStatus = [...statuses.entries()]
      .sort(([x], [y]) => x - y)
      .map(([s, c]) => `${s === 0 ? 'network error' : s}: ${c}`)
      .join(', ');
    notes.push(
      `scrapes: ${q.count} quiet (${q.failures} failed), ${a.count} under attack (${a.failures} failed); ` +
        `guesses answered: ${guesses} (${byStatus}) in ${seconds} s`,
      `load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    if (a.failures > 0 || q.failures > 0) {
      failures.push(`${q.failures + a.failures} authenticated scrapes did not answer 200`);
    }
    if (statuses.has(200)) failures.push('a wrong password was answered 200');
    if (a.p99 >= 1000) failures.push(`authenticated p99 ${a.p99.toFixed(0)} ms under attack`);
  } finally {
    scrapeAgent.destroy();
    attackAgent.destroy();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { bench: BENCH, figures, notes, failures };
}

await benchMain(import.meta.url, { seconds: 15, attackers: 32, cost: 10 }, run);
