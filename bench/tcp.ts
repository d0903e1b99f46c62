/**
 * (3) TCP reachability probes per second — the `kms_host_up` probe, probeTcp — next to
 * Debian's prometheus-blackbox-exporter `tcp_connect` module on the same targets (lab KMS
 * hosts on 127.0.0.x), driven over HTTP on keep-alive connections, and to a bare
 * `net.connect` + close in this process (the floor). blackbox's HTTP round trip alone
 * (`/-/healthy`) is measured too: every one of its probes pays it.
 *
 *   npm run bench -- tcp      node --import tsx bench/tcp.ts [--probes 4000] [--concurrency 64] [--rounds 3]
 *
 * The lab hosts run in a child process. Rounds interleave the clients. Only 127.0.0.0/8.
 */
import net from 'node:net';
import os from 'node:os';
import { probeTcp } from '../src/kms/client/index.js';
import { blackboxAvailable, probeSucceeded, startBlackbox } from './lib/blackbox.js';
import { commandFor, figure, type BenchReport, type Figure } from './lib/figures.js';
import { startLabProcess } from './lib/lab-process.js';
import { load, summarize, type Sample } from './lib/measure.js';
import { benchMain } from './lib/main.js';

const BENCH = 'tcp';
const ADDRESSES = ['127.0.0.21', '127.0.0.22', '127.0.0.23', '127.0.0.24'];

function connectClose(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: address, noDelay: true });
    let ok = false;
    socket.once('connect', () => {
      ok = true;
      socket.destroy();
    });
    socket.once('error', () => undefined);
    socket.once('close', () => resolve(ok));
  });
}

export async function run(options: {
  probes: number;
  concurrency: number;
  rounds: number;
}): Promise<BenchReport> {
  const { probes, concurrency, rounds } = options;
  const lab = await startLabProcess({
    hosts: ADDRESSES.map((address) => ({ address, maxConnections: 4096 })),
  });
  const targets = lab.hosts;
  const target = (i: number) => targets[i % targets.length] as { address: string; port: number };
  const bb = blackboxAvailable()
    ? await startBlackbox({
        tcp: {
          prober: 'tcp',
          timeout: '5s',
          tcp: { preferred_ip_protocol: 'ip4', ip_protocol_fallback: false },
        },
      })
    : null;
  const notes: string[] = [];
  const failures: string[] = [];
  if (!bb) notes.push('prometheus-blackbox-exporter is not installed: its baseline is missing');
  const kinds: Record<string, (i: number) => Promise<boolean>> = {
    probeTcp: (i) => {
      const t = target(i);
      return probeTcp(
        { host: t.address, port: t.port, address: t.address },
        { timeoutMs: 5000 },
      ).then((r) => r.up);
    },
    floor: (i) => {
      const t = target(i);
      return connectClose(t.address, t.port);
    },
  };
  if (bb) {
    kinds['blackbox'] = (i) => {
      const t = target(i);
      return bb
        .get(`/probe?module=tcp&target=${t.address}:${t.port}`)
        .then((r) => probeSucceeded(r.body));
    };
    kinds['http'] = () => bb.get('/-/healthy').then((r) => r.status === 200);
  }
  const samples: Record<string, Sample[]> = {};
  const bbCpu: number[] = [];
  try {
    for (const work of Object.values(kinds)) await load(work, { concurrency, count: 500 });
    for (let round = 0; round < rounds; round++) {
      for (const [name, work] of Object.entries(kinds)) {
        const cpu0 = name === 'blackbox' ? (bb?.cpuSeconds() ?? 0) : 0;
        (samples[name] ??= []).push(await load(work, { concurrency, count: probes }));
        if (name === 'blackbox') bbCpu.push((bb?.cpuSeconds() ?? 0) - cpu0);
      }
    }
  } finally {
    await bb?.stop();
    await lab.stop();
  }
  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
  for (const [k, v] of Object.entries(s)) {
    if (v.failures > 0) failures.push(`${k}: ${v.failures} of ${v.count} probes failed`);
  }
  const figures: Figure[] = [];
  const command = commandFor(BENCH);
  const ours = s['probeTcp'];
  const floor = s['floor'];
  const blackbox = s['blackbox'];
  const http = s['http'];
  if (ours && blackbox && http) {
    const bbCpuMs = (bbCpu.reduce((a, b) => a + b, 0) * 1000) / blackbox.count;
    figures.push(
      figure({
        id: `${BENCH}.blackbox.rate`,
        bench: BENCH,
        name: `TCP reachability probes/s, probeTcp (${concurrency} in flight, ${targets.length} lab hosts)`,
        value: ours.perSecond,
        unit: '/s',
        better: 'higher',
        baseline: {
          name: `blackbox_exporter ${bb?.version ?? ''} tcp_connect, same targets (via HTTP)`,
          value: blackbox.perSecond,
          unit: '/s',
        },
        command,
        note: `blackbox's HTTP round trip alone (/-/healthy, same concurrency): ${http.perSecond.toFixed(0)}/s`,
      }),
      figure({
        id: `${BENCH}.blackbox.cpu`,
        bench: BENCH,
        name: 'CPU per TCP reachability probe, probeTcp',
        value: ours.cpuMsPerOp,
        unit: 'ms',
        better: 'lower',
        baseline: {
          name: 'blackbox_exporter CPU per tcp_connect probe (its process only, HTTP included)',
          value: bbCpuMs,
          unit: 'ms',
        },
        command,
      }),
    );
  }
  if (ours && floor) {
    figures.push(
      figure({
        id: `${BENCH}.floor.rate`,
        bench: BENCH,
        name: 'TCP reachability probes/s, probeTcp',
        value: ours.perSecond,
        unit: '/s',
        better: 'higher',
        baseline: {
          name: 'bare net.connect + close, same targets',
          value: floor.perSecond,
          unit: '/s',
        },
        command,
      }),
      figure({
        id: `${BENCH}.floor.cpu`,
        bench: BENCH,
        name: 'CPU per TCP reachability probe, probeTcp',
        value: ours.cpuMsPerOp,
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'CPU per bare net.connect + close', value: floor.cpuMsPerOp, unit: 'ms' },
        command,
      }),
    );
  }
  if (http)
    notes.push(
      `blackbox HTTP alone: ${http.perSecond.toFixed(0)}/s, p50 ${http.p50.toFixed(3)} ms`,
    );
  notes.push(
    `${probes} probes per round, ${rounds} rounds; load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  return { bench: BENCH, figures, notes, failures };
}

await benchMain(import.meta.url, { probes: 4000, concurrency: 64, rounds: 3 }, run);
