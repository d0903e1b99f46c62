// ConnectionTracker on real loopback servers (HTTP and HTTPS): idle connections are shed
// before the cap, oldest first, and never one with a request in progress; drain closes
// idle connections at once and the busy ones at the deadline.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { once } from 'node:events';
import { ConnectionTracker } from '../../src/web/connections.js';
import { makePki, type Pki } from '../helpers/tls.js';

let pki: Pki;
before(() => {
  pki = makePki();
});

async function listening(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function openIdle(port: number, n: number): Promise<Socket[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      await once(socket, 'connect');
      return socket;
    }),
  );
}

function status(port: number, path = '/'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

it('sheds the longest-idle connections before the cap, so a new client gets in', async () => {
  let release: (() => void) | null = null;
  const server = createServer((req, res) => {
    if (req.url === '/slow') release = () => res.end('slow\n');
    else res.end('ok\n');
  });
  const tracker = new ConnectionTracker(server, 20);
  const port = await listening(server);
  try {
    // One request in progress: it must survive every shedding.
    const slow = new Promise<number>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/slow', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.end();
    });
    await wait(100);
    const idle = await openIdle(port, 25);
    await wait(200);
    const stats = tracker.stats();
    assert.ok(stats.open <= 19, `${stats.open} open`);
    assert.ok(stats.shed > 0);
    assert.equal(await status(port), 200, 'a new client');
    const closed = idle.map((s) => s.destroyed || s.readyState !== 'open');
    assert.ok(closed.slice(0, 5).every(Boolean), 'the oldest idle ones went first');
    assert.ok(!closed.at(-1), 'the newest idle one stays');
    release!();
    assert.equal(await slow, 200, 'the request in progress was never shed');
    for (const s of idle) s.destroy();
  } finally {
    server.close();
    server.closeAllConnections();
  }
});

it('drain over TLS: idle connections close at once, a request in progress at the deadline', async () => {
  const server = createHttpsServer(
    { cert: pki.read(pki.serverCert), key: pki.read(pki.serverKey) },
    (req, res) => {
      // Reads a body that never comes.
      req.on('end', () => res.end('done\n'));
      req.resume();
    },
  );
  const tracker = new ConnectionTracker(server, 100);
  const port = await listening(server);
  const ca = pki.read(pki.caCert);
  const idle = tlsConnect({ host: '127.0.0.1', port, ca });
  idle.on('error', () => undefined);
  await once(idle, 'secureConnect');
  const busy = httpsRequest({
    host: '127.0.0.1',
    port,
    method: 'POST',
    ca,
    agent: false,
    headers: { 'content-length': '100' },
  });
  busy.on('error', () => undefined);
  busy.write('x');
  await wait(200);
  assert.deepEqual(
    { open: tracker.stats().open, idle: tracker.stats().idle },
    { open: 2, idle: 1 },
    'the TLS request is seen as busy',
  );
  server.close();
  const started = performance.now();
  const draining = tracker.drain(600);
  await once(idle, 'close');
  assert.ok(performance.now() - started < 300, 'the idle connection closed at once');
  assert.equal(await draining, 1, 'one connection destroyed at the deadline');
  assert.ok(performance.now() - started >= 550);
  assert.equal(tracker.stats().open, 0);
});
