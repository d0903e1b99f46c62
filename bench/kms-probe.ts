/**
 * (1) KMS probe latency and throughput against the lab KMS host, at concurrency 1 and 64,
 * next to two floors measured in the same run against the same lab process:
 *  - bare TCP connect + close to the same host and port (the goal's floor: one round trip);
 *  - an "echo floor": connect, two request/answer round trips with the byte counts of a
 *    bind and a v6 request, close — what any protocol with the KMS exchange's shape costs
 *    on this machine before doing any RPC or crypto work;
 *  - for the one-connection figure, the same floor in that figure's shape: connect, the
 *    bind's bytes, then as many request-sized round trips as the probe sends, close,
 *    divided by the requests (a 3-round-trip connection per exchange is not its floor).
 * One probe = what the poller does per host and product: connect, NDR32 bind, one v6
 * request, full response verification (decrypt, hash, HMAC, echoes), close.
 *
 *   npm run bench -- kms-probe      node --import tsx bench/kms-probe.ts [--seconds 2] [--rounds 3]
 *
 * The lab runs in a child process, so this process pays only for the client side. Rounds
 * interleave the three kinds so that machine load hits them alike. Only 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import { probeKms, resolveIdentity } from '../src/kms/client/index.js';
import type { KmsProductResult } from '../src/kms/client/index.js';
import { labProduct } from '../src/lab/index.js';
import { REQUEST_V5V6_SIZE } from '../src/kms/messages/index.js';
import { DEFAULT_CALL_ID, buildNdr32Bind, requestFrame } from '../src/kms/rpc/index.js';
import { commandFor, figure, median, type BenchReport, type Figure } from './lib/figures.js';
import { startLabProcess } from './lib/lab-process.js';
import { load, summarize, type Sample, type Summary } from './lib/measure.js';
import { benchMain } from './lib/main.js';

const BENCH = 'kms-probe';
/** Bytes of the client's NDR32 bind and of a v6 request PDU (the echo floor sends these),
 * from the codecs the probe uses (72 and 292; the constant said 284 before). */
const BIND_BYTES = buildNdr32Bind({ callId: DEFAULT_CALL_ID }).length;
const REQUEST_BYTES = requestFrame('ndr32', 0, REQUEST_V5V6_SIZE).length;
/** Exchanges sent over one connection for the per-exchange CPU figure on one connection. */
const EXCHANGES_PER_CONNECTION = 20;
/** Goals of issue 18 (docs/performance.md): client CPU per exchange. */
const CPU_GOAL_FRESH_MS = 0.25;
const CPU_GOAL_ONE_CONNECTION_MS = 0.08;

/**
 * Microseconds the think-time echo host spins before each echo: about the lab host's own CPU
 * per exchange (the note "lab host CPU per exchange"). A client whose peer answers at once
 * finds its caches and CPU warm; one that sleeps while the host works pays for waking up
 * (measured: a bare echo client's CPU per round trip about doubles at 400 µs of host time).
 */
const HOST_THINK_US = 400;

/** An echo host in a child process that spins `thinkUs` before each echo (127.0.0.1 only). */
async function startThinkingEcho(thinkUs: number): Promise<{ port: number; stop(): void }> {
  const source = `const net = require('node:net');
net.createServer((s) => {
  s.setNoDelay(true);
  s.on('error', () => {});
  s.on('data', (d) => {
    const until = process.hrtime.bigint() + ${thinkUs}000n;
    while (process.hrtime.bigint() < until);
    s.write(d);
  });
}).listen(0, '127.0.0.1', function () { process.stdout.write(this.address().port + '\\n'); });`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
  });
  return { port, stop: () => child.kill() };
}

/** The floor: TCP connect, then close, waiting for the socket to be fully closed. */
function connectClose(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    let ok = false;
    socket.once('connect', () => {
      ok = true;
      socket.destroy();
    });
    socket.once('error', () => undefined);
    socket.once('close', () => resolve(ok));
  });
}

/** Connect, then send `sizes[i]` bytes and wait for as many back, for each i; close. */
function echoExchange(port: number, sizes: readonly number[]): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    let step = 0;
    let got = 0;
    let ok = false;
    const next = (): void => {
      const size = sizes[step];
      if (size === undefined) {
        ok = true;
        socket.destroy();
        return;
      }
      got = 0;
      socket.write(Buffer.alloc(size, 0x5a));
    };
    socket.once('connect', next);
    socket.on('data', (chunk: Buffer) => {
      got += chunk.length;
      if (got >= (sizes[step] ?? Infinity)) {
        step++;
        next();
      }
    });
    socket.once('error', () => undefined);
    socket.once('close', () => resolve(ok));
  });
}

export async function run(options: { seconds: number; rounds: number }): Promise<BenchReport> {
  const { seconds, rounds } = options;
  const lab = await startLabProcess({
    hosts: [{ address: '127.0.0.1', maxConnections: 1024 }],
    echo: { address: '127.0.0.1' },
  });
  const port = lab.hosts[0]?.port ?? 0;
  const echoPort = lab.echo?.port ?? 0;
  const product = labProduct('lab-windows');
  const identity = resolveIdentity({ hostname: 'kms-monitor-bench' });
  const timeouts = { connectMs: 5000, bindMs: 5000, requestMs: 5000, overallMs: 10_000 };
  const failures: string[] = [];
  const notes: string[] = [];
  let phases: { connect: number[]; bind: number[]; request: number[] } | null = null;
  let lastFailure: KmsProductResult | null = null;
  const probe = async (): Promise<boolean> => {
    const [r] = await probeKms({ host: '127.0.0.1', port, address: '127.0.0.1' }, [product], {
      identity,
      timeouts,
    });
    if (r && !r.success) lastFailure = r;
    if (phases && r) {
      phases.connect.push((r.phases.connect ?? 0) * 1000);
      phases.bind.push((r.phases.bind ?? 0) * 1000);
      phases.request.push((r.phases.request ?? 0) * 1000);
    }
    return r?.success === true;
  };
  const floor = (): Promise<boolean> => connectClose(port);
  const echo = (): Promise<boolean> => echoExchange(echoPort, [BIND_BYTES, REQUEST_BYTES]);
  const echoManyRequests = [
    BIND_BYTES,
    ...Array<number>(EXCHANGES_PER_CONNECTION).fill(REQUEST_BYTES),
  ];
  const echoOneConnection = (): Promise<boolean> => echoExchange(echoPort, echoManyRequests);
  // One connection, many exchanges: what a host with several products costs per exchange
  // once the connection and bind are paid (the goal's "on one connection" figure).
  const manyProducts = Array.from({ length: EXCHANGES_PER_CONNECTION }, () => product);
  const oneConnection = async (): Promise<boolean> => {
    const results = await probeKms(
      { host: '127.0.0.1', port, address: '127.0.0.1' },
      manyProducts,
      { identity, timeouts },
    );
    return results.length === EXCHANGES_PER_CONNECTION && results.every((r) => r.success);
  };

  const figures: Figure[] = [];
  let thinking: { stop(): void } | null = null;
  try {
    // Warm-up: JIT on both sides, the lab's tables, the kernel's port ranges.
    await load(probe, { concurrency: 8, ms: 1000 });
    await load(floor, { concurrency: 8, ms: 300 });
    await load(echo, { concurrency: 8, ms: 300 });
    const labCpu0 = await lab.cpuSeconds();
    let probeCount = 0;
    for (const concurrency of [1, 64]) {
      phases = { connect: [], bind: [], request: [] };
      const s: Record<'floor' | 'echo' | 'probe', Sample[]> = { floor: [], echo: [], probe: [] };
      for (let round = 0; round < rounds; round++) {
        s.floor.push(await load(floor, { concurrency, ms: (seconds * 1000) / 2 }));
        s.echo.push(await load(echo, { concurrency, ms: (seconds * 1000) / 2 }));
        s.probe.push(await load(probe, { concurrency, ms: seconds * 1000 }));
      }
      const f = summarize(s.floor);
      const e = summarize(s.echo);
      const p = summarize(s.probe);
      probeCount += p.count;
      for (const [what, sum] of [
        ['floor', f],
        ['echo floor', e],
        ['probe', p],
      ] as Array<[string, Summary]>) {
        if (sum.failures > 0)
          failures.push(`${what} at concurrency ${concurrency}: ${sum.failures} failed`);
      }
      const c = `c${concurrency}`;
      const floorName = 'bare TCP connect+close, same port';
      const command = commandFor(BENCH);
      figures.push(
        figure({
          id: `${BENCH}.${c}.p50`,
          bench: BENCH,
          name: `KMS probe p50, concurrency ${concurrency}`,
          value: p.p50,
          unit: 'ms',
          better: 'lower',
          baseline: { name: floorName, value: f.p50, unit: 'ms' },
          ...(concurrency === 1
            ? { goal: { text: 'p50 within 2× of the TCP floor', met: p.p50 <= 2 * f.p50 } }
            : {}),
          command,
        }),
        figure({
          id: `${BENCH}.${c}.p50-echo`,
          bench: BENCH,
          name: `KMS probe p50 vs the 3-round-trip echo floor, concurrency ${concurrency}`,
          value: p.p50,
          unit: 'ms',
          better: 'lower',
          baseline: {
            name: `connect + ${BIND_BYTES} B and ${REQUEST_BYTES} B echoed + close`,
            value: e.p50,
            unit: 'ms',
          },
          command,
        }),
        figure({
          id: `${BENCH}.${c}.p99`,
          bench: BENCH,
          name: `KMS probe p99, concurrency ${concurrency}`,
          value: p.p99,
          unit: 'ms',
          better: 'lower',
          baseline: { name: floorName, value: f.p99, unit: 'ms' },
          command,
        }),
        figure({
          id: `${BENCH}.${c}.rate`,
          bench: BENCH,
          name: `KMS probes per second, concurrency ${concurrency}`,
          value: p.perSecond,
          unit: '/s',
          better: 'higher',
          baseline: { name: floorName, value: f.perSecond, unit: '/s' },
          command,
        }),
        figure({
          id: `${BENCH}.${c}.cpu`,
          bench: BENCH,
          name: `client CPU per KMS probe, concurrency ${concurrency}`,
          value: p.cpuMsPerOp,
          unit: 'ms',
          better: 'lower',
          baseline: { name: 'client CPU per bare connect+close', value: f.cpuMsPerOp, unit: 'ms' },
          command,
        }),
        figure({
          id: `${BENCH}.${c}.cpu-echo`,
          bench: BENCH,
          name: `client CPU per KMS exchange on a fresh connection, concurrency ${concurrency}`,
          value: p.cpuMsPerOp,
          unit: 'ms',
          better: 'lower',
          baseline: {
            name: 'client CPU per 3-round-trip echo exchange (bare socket)',
            value: e.cpuMsPerOp,
            unit: 'ms',
          },
          ...(concurrency === 1
            ? {
                goal: {
                  text: `≤ ${CPU_GOAL_FRESH_MS} ms warmed up`,
                  met: p.cpuMsPerOp <= CPU_GOAL_FRESH_MS,
                },
              }
            : {}),
          command,
        }),
      );
      if (concurrency === 1) {
        // The goal is absolute, the floor is this machine's: say how much room it leaves.
        notes.push(
          `fresh-connection CPU goal ${CPU_GOAL_FRESH_MS} ms leaves ${(CPU_GOAL_FRESH_MS - e.cpuMsPerOp).toFixed(3)} ms ` +
            `above this run's bare-socket floor (${e.cpuMsPerOp.toFixed(3)} ms) for all the RPC, crypto and result work; ` +
            `the probe spends ${(p.cpuMsPerOp - e.cpuMsPerOp).toFixed(3)} ms above it`,
        );
      }
      notes.push(
        `concurrency ${concurrency}: probe phase p50 connect ${median(phases.connect).toFixed(3)} ms, ` +
          `bind ${median(phases.bind).toFixed(3)} ms, request ${median(phases.request).toFixed(3)} ms; ` +
          `echo floor p50 ${e.p50.toFixed(3)} ms (${e.perSecond.toFixed(0)}/s)`,
      );
      phases = null;
    }
    const one: Sample[] = [];
    const echoOne: Sample[] = [];
    const thinkOne: Sample[] = [];
    const thinker = await startThinkingEcho(HOST_THINK_US);
    thinking = thinker;
    const echoThinking = (): Promise<boolean> => echoExchange(thinker.port, echoManyRequests);
    for (let round = 0; round < rounds; round++) {
      echoOne.push(await load(echoOneConnection, { concurrency: 1, ms: (seconds * 1000) / 2 }));
      thinkOne.push(await load(echoThinking, { concurrency: 1, ms: (seconds * 1000) / 2 }));
      one.push(await load(oneConnection, { concurrency: 1, ms: seconds * 1000 }));
    }
    const o = summarize(one);
    const eo = summarize(echoOne);
    const to = summarize(thinkOne);
    if (to.failures > 0) failures.push(`think-time echo floor: ${to.failures} failed`);
    probeCount += o.count * EXCHANGES_PER_CONNECTION;
    if (o.failures > 0) failures.push(`one connection: ${o.failures} of ${o.count} runs failed`);
    if (eo.failures > 0) failures.push(`one-connection echo floor: ${eo.failures} failed`);
    const perExchange = o.cpuMsPerOp / EXCHANGES_PER_CONNECTION;
    const floorPerExchange = eo.cpuMsPerOp / EXCHANGES_PER_CONNECTION;
    figures.push(
      figure({
        id: `${BENCH}.one-connection.cpu`,
        bench: BENCH,
        name: `client CPU per KMS exchange on one connection (${EXCHANGES_PER_CONNECTION} per connection)`,
        value: perExchange,
        unit: 'ms',
        better: 'lower',
        baseline: {
          name: `client CPU per ${REQUEST_BYTES} B round trip on one bare socket (connect + ${BIND_BYTES} B + ${EXCHANGES_PER_CONNECTION} × ${REQUEST_BYTES} B echoed + close, ÷ ${EXCHANGES_PER_CONNECTION})`,
          value: floorPerExchange,
          unit: 'ms',
        },
        goal: {
          text: `≤ ${CPU_GOAL_ONE_CONNECTION_MS} ms`,
          met: perExchange <= CPU_GOAL_ONE_CONNECTION_MS,
        },
        command: commandFor(BENCH),
      }),
    );
    figures.push(
      figure({
        id: `${BENCH}.one-connection.cpu-think`,
        bench: BENCH,
        name: `client CPU per KMS exchange on one connection, against a floor whose host takes ${HOST_THINK_US} µs per answer`,
        value: perExchange,
        unit: 'ms',
        better: 'lower',
        baseline: {
          name: `the same bare-socket round trips, the echo host spinning ${HOST_THINK_US} µs before each answer (as the lab host spends its CPU)`,
          value: to.cpuMsPerOp / EXCHANGES_PER_CONNECTION,
          unit: 'ms',
        },
        command: commandFor(BENCH),
      }),
    );
    const labCpu = (await lab.cpuSeconds()) - labCpu0;
    notes.push(
      `lab host CPU per exchange (host side, includes the floors' accepts): ${((labCpu * 1000) / probeCount).toFixed(3)} ms`,
    );
  } finally {
    thinking?.stop();
    await lab.stop();
  }
  if (lastFailure)
    notes.push(`last failed probe: ${JSON.stringify((lastFailure as KmsProductResult).error)}`);
  notes.push(
    `${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end; ${rounds} rounds of ${seconds} s per kind and concurrency`,
  );
  return { bench: BENCH, figures, notes, failures };
}

await benchMain(import.meta.url, { seconds: 2, rounds: 3 }, run);
