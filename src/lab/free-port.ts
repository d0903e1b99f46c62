/**
 * A loopback port with nothing listening on it: for a lab server to listen on, or for a
 * "connection refused" test (the port is released again, so a connect gets an RST).
 *
 * The port is taken from below the kernel's ephemeral range where there is one (Linux:
 * /proc/sys/net/ipv4/ip_local_port_range), because a port found with listen(0) and
 * released is one the kernel hands to the next listen(0): a test's "closed" port became
 * the monitor's own web port once, and a connection to it succeeded. No listen(0), in this
 * process or another, is given a port below that range. Each port is handed out once per
 * process.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { loopbackListenAddress } from './loopback.js';
import { closeTcp, listenTcp } from './sockets.js';

/** Below this, ports are the well-known and commonly configured ones: never chosen. */
const LOWEST = 10_000;
const ATTEMPTS = 64;
const given = new Set<number>();

export async function freePort(address?: string): Promise<number> {
  const host = loopbackListenAddress(address);
  const below = ephemeralLow();
  if (below > LOWEST) {
    for (let i = 0; i < ATTEMPTS; i++) {
      const port = LOWEST + Math.floor(Math.random() * (below - LOWEST));
      if (given.has(port)) continue;
      // Taken before the check, so a concurrent call cannot choose it meanwhile.
      given.add(port);
      if (await canListen(port, host)) return port;
      given.delete(port);
    }
  }
  // No range known (not Linux), or every attempt taken: whatever the kernel gives.
  for (;;) {
    const port = await listenedPort(0, host);
    if (!given.has(port)) {
      given.add(port);
      return port;
    }
  }
}

/** The first port of the kernel's ephemeral range, or 0 when it cannot be read. */
function ephemeralLow(): number {
  try {
    const low = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
    );
    return Number.isInteger(low) ? low : 0;
  } catch {
    return 0;
  }
}

async function canListen(port: number, host: string): Promise<boolean> {
  try {
    await listenedPort(port, host);
    return true;
  } catch {
    return false;
  }
}

/** Listens on `port` (0: any) at `host`, closes again, and says which port it was. */
async function listenedPort(port: number, host: string): Promise<number> {
  const server = net.createServer();
  await listenTcp(server, port, host);
  const bound = (server.address() as net.AddressInfo).port;
  await closeTcp(server);
  return bound;
}
