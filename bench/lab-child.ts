/**
 * The lab for benchmarks, in a process of its own so that the process being measured pays
 * only for its own side of each exchange (its CPU time, event loop and RSS stay its own).
 * Started by bench/lib/lab-process.ts with a JSON spec file as argv[2]: lab KMS hosts on given
 * loopback addresses and, optionally, a lab DNS zone server. Prints one JSON line with
 * the ports, then takes JSON commands on stdin, one per line; exits when stdin ends.
 *
 * Not meant to be run by hand; loopback only (the lab refuses anything else).
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { startLabKmsHost, type LabKmsHost, type LabKmsHostSettings } from '../src/lab/index.js';
import { startDnsZoneServer, type DnsZoneServer } from '../src/lab/dns-zone-server.js';
import type { LabChildSpec, LabChildCommand } from './lib/lab-process.js';

// The spec comes in a file: a thousand zones do not fit in one command-line argument.
const spec = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LabChildSpec;
const hosts: LabKmsHost[] = [];
let dns = null as DnsZoneServer | null;
let echo = null as net.Server | null;
const echoSockets = new Set<net.Socket>();

async function start(): Promise<void> {
  for (const h of spec.hosts) {
    hosts.push(
      await startLabKmsHost({
        address: h.address,
        port: h.port ?? 0,
        maxConnections: h.maxConnections ?? 1024,
        counts: { windows: 30, 'office-2013+': 10 },
        ...(h.settings ?? {}),
      }),
    );
  }
  if (spec.echo) {
    // Sends back whatever arrives: the floor of a request/answer protocol with the same
    // byte counts and round trips as a KMS exchange, minus all protocol work.
    const server = net.createServer({ noDelay: true }, (socket) => {
      echoSockets.add(socket);
      socket.on('data', (chunk) => socket.write(chunk));
      socket.on('error', () => socket.destroy());
      socket.on('close', () => echoSockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: spec.echo?.address ?? '127.0.0.1', port: 0, backlog: 1024 }, () =>
        resolve(),
      );
    });
    echo = server;
  }
  if (spec.zones) {
    dns = await startDnsZoneServer({
      address: spec.zones.address ?? '127.0.0.1',
      zones: spec.zones.records,
    });
  }
}

async function handle(command: LabChildCommand): Promise<unknown> {
  switch (command.op) {
    case 'configure': {
      const targets = command.host === undefined ? hosts : [hosts[command.host]];
      await Promise.all(targets.map((h) => h?.configure(command.settings as LabKmsHostSettings)));
      return { ok: true };
    }
    case 'configureEach':
      // One message for a whole round's settings: the soak reconfigures every host per round.
      await Promise.all(command.settings.map((settings, i) => hosts[i]?.configure(settings)));
      return { ok: true };
    case 'stats':
      return { hosts: hosts.map((h) => h.stats()), dns: dns?.stats() ?? null };
    case 'usage':
      return { cpu: process.cpuUsage(), rss: process.memoryUsage().rss };
    default:
      return { error: `unknown op ${JSON.stringify((command as { op: unknown }).op)}` };
  }
}

async function stop(): Promise<void> {
  await Promise.all(hosts.map((h) => h.close()));
  await dns?.close();
  for (const socket of echoSockets) socket.destroy();
  await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
}

try {
  await start();
  process.stdout.write(
    `${JSON.stringify({
      ready: true,
      hosts: hosts.map((h) => ({ address: h.address, port: h.port })),
      dns: dns ? { address: dns.address, port: dns.port } : null,
      echo: echo ? { port: (echo.address() as net.AddressInfo).port } : null,
    })}\n`,
  );
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ready: false, error: String(error) })}\n`);
  await stop();
  process.exit(1);
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = JSON.parse(line) as LabChildCommand & { id: number };
  void handle(command).then(
    (result) => process.stdout.write(`${JSON.stringify({ id: command.id, result })}\n`),
    (error: unknown) =>
      process.stdout.write(`${JSON.stringify({ id: command.id, error: String(error) })}\n`),
  );
});
lines.on('close', () => {
  void stop().then(() => process.exit(0));
});
