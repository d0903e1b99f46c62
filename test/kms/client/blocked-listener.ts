/**
 * A loopback port where TCP connects hang: a child process listens with a backlog of 1 and
 * then blocks its event loop, so it never accepts; once a few connections fill the accept
 * queue, Linux drops further SYNs and a connect sees neither accept nor refusal — the
 * loopback stand-in for a filtered host, to test connect_timeout without leaving 127/8.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';

const CHILD = `
const net = require('node:net');
const server = net.createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  process.stdout.write(server.address().port + '\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // never accept
});
`;

export interface BlockedListener {
  port: number;
  close(): Promise<void>;
}

export async function startBlockedListener(): Promise<BlockedListener> {
  const child = spawn(process.execPath, ['-e', CHILD], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) resolve(Number(text.trim()));
    });
    child.once('exit', () => reject(new Error('blocked listener exited')));
  });
  // Fill the accept queue; later connects hang.
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 4; i++) {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    fillers.push(s);
  }
  await new Promise((resolve) => setTimeout(resolve, 150));
  return {
    port,
    close: async () => {
      for (const s of fillers) s.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      child.stdout.destroy();
    },
  };
}
