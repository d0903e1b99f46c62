// Slow clients and silent resolvers against `serve` (the built CLI): shutdown has a
// deadline, and a client that dribbles its headers is cut off by the server's timeouts.
// The silent resolver is a loopback UDP socket that reads every query and never answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kms-shutdown-'));

async function blackHole(): Promise<{ socket: UdpSocket; port: number; queries: () => number }> {
  const socket = createSocket('udp4');
  let queries = 0;
  socket.on('message', () => queries++);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port, queries: () => queries };
}

/**
 * A request that never ends: one more header line every `everyMs` (slowloris), or with
 * `body`, complete headers and then a body one byte at a time (a request in progress).
 */
function dribble(
  port: number,
  everyMs: number,
  body = false,
): { socket: Socket; received: () => string; closed: Promise<number> } {
  const socket = connect(port, '127.0.0.1');
  const started = performance.now();
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  socket.on('error', () => undefined);
  socket.write(
    body
      ? 'POST /-/reload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n'
      : 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n',
  );
  let n = 0;
  const timer = setInterval(() => socket.write(body ? 'x' : `X-Dribble-${n++}: a\r\n`), everyMs);
  const closed = new Promise<number>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve(performance.now() - started);
    }),
  );
  return { socket, received: () => received, closed };
}

async function until(what: string, check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('SIGTERM exits within 5 s despite dribbling clients and unanswered DNS lookups', async () => {
  const hole = await blackHole();
  const file = join(dir, 'silent.yml');
  // A 60 s timeout: the lookups stay in flight unless shutdown aborts them.
  writeFileSync(
    file,
    `timeout: 60s\nresolvers: [127.0.0.1:${hole.port}]\ndomains: [a.example.test, b.example.test]\n`,
  );
  const server = await startServer('serve', [`--config.file=${file}`]);
  const port = Number(new URL(server.url).port);
  const slow = [dribble(port, 1_000), dribble(port, 1_000, true)];
  // And one client that connected and never sent a byte.
  const silent = connect(port, '127.0.0.1');
  silent.on('error', () => undefined);
  try {
    await until('DNS queries at the silent resolver', () => hole.queries() >= 2, 10_000);
    await new Promise((r) => setTimeout(r, 1_500));
    const started = performance.now();
    server.child.kill('SIGTERM');
    const code = await Promise.race([
      server.exited,
      new Promise<'hung'>((r) => setTimeout(r, 15_000, 'hung').unref()),
    ]);
    const seconds = (performance.now() - started) / 1000;
    if (code === 'hung') server.child.kill('SIGKILL');
    assert.notEqual(code, 'hung', `serve still running 15 s after SIGTERM:\n${server.logs()}`);
    assert.equal(code, 0);
    assert.ok(seconds < 5, `exited ${seconds.toFixed(1)} s after SIGTERM`);
    // The request in progress had its grace (2.5 s) before it was cut.
    assert.ok(seconds > 2, `exited ${seconds.toFixed(1)} s after SIGTERM`);
    assert.match(
      server.logs(),
      /"connections":1,.*closed connections still open at the shutdown deadline/,
    );
    for (const s of slow) await s.closed;
  } finally {
    for (const s of slow) s.socket.destroy();
    silent.destroy();
    hole.socket.close();
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
});

test('a client dribbling header lines is cut off by the headers timeout (10 s) with a 408', async () => {
  const server = await startServer('serve', []);
  try {
    const { port } = new URL(server.url);
    const slow = dribble(Number(port), 1_000);
    const ms = await Promise.race([
      slow.closed,
      new Promise<number>((r) => setTimeout(r, 25_000, Infinity).unref()),
    ]);
    slow.socket.destroy();
    // 10 s for the headers, checked every 2 s; twice that is the bound.
    assert.ok(ms < 20_000, `the connection lasted ${(ms / 1000).toFixed(1)} s`);
    assert.ok(ms >= 9_000, `closed after ${(ms / 1000).toFixed(1)} s, before the headers timeout`);
    assert.match(slow.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.equal((await fetch(`${server.url}/-/healthy`)).status, 200, 'still serving');
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
