// A TCP server on loopback that accepts connections, reads what comes and never sends a
// byte: the peer that proves a timeout. (It must read: a paused socket never sees the
// peer's FIN behind unread data.)
import net from 'node:net';

export interface SilentServer {
  port: number;
  /** Connections open now. */
  open(): number;
  stop(): Promise<void>;
}

export async function silentServer(): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    open: () => sockets.size,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
