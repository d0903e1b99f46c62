/**
 * freePort() hands out loopback ports that nothing listens on and that no listen(0) will
 * be given: below the kernel's ephemeral range, each once per process. (A port found with
 * listen(0) and released went to the next listen(0): a test's "closed" port became the
 * monitor's own web port, and its stale-record alert never came.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { freePort } from '../../src/lab/index.js';

const ephemeralLow = Number(
  readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
);

test('the port is below the ephemeral range, so no listen(0) is given it', async () => {
  for (let i = 0; i < 20; i++) {
    const port = await freePort();
    assert.ok(port >= 10_000 && port < ephemeralLow, `${port} (ephemeral from ${ephemeralLow})`);
  }
});

test('nothing listens there, and no port is handed out twice', async () => {
  const ports = await Promise.all(Array.from({ length: 200 }, () => freePort('127.0.0.1')));
  assert.equal(new Set(ports).size, ports.length);
  const refused = await new Promise<string | null>((resolve) => {
    const socket = net.connect(ports[0]!, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(null)));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
  assert.equal(refused, 'ECONNREFUSED');
});
