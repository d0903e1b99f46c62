/**
 * A loopback port with nothing listening on it, for "connection refused" tests: the port
 * was free a moment ago and is released again, so a connect gets an RST. (Another process
 * could take it in between; on a test machine's loopback that is negligible.)
 */
import net from 'node:net';
import { loopbackListenAddress } from './loopback.js';
import { closeTcp, listenTcp } from './sockets.js';

export async function freePort(address?: string): Promise<number> {
  const host = loopbackListenAddress(address);
  const server = net.createServer();
  await listenTcp(server, 0, host);
  const { port } = server.address() as net.AddressInfo;
  await closeTcp(server);
  return port;
}
