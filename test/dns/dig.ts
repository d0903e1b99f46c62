/**
 * Runs Debian's dig (bind9-dnsutils) against a loopback server and parses its output, as an
 * independent reference for what the server publishes.
 */
import { execFile } from 'node:child_process';
import { isIP } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DigSrv {
  status: string;
  records: Array<{ ttl: number; priority: number; weight: number; port: number; target: string }>;
}

async function dig(port: number, args: string[], server = '127.0.0.1'): Promise<string> {
  const { stdout } = await run('dig', [
    `@${server}`,
    '-p',
    String(port),
    '+tries=1',
    '+time=2',
    ...args,
  ]);
  return stdout;
}

/** `dig @server -p PORT NAME SRV`: the status and the SRV lines of the answer section. */
export async function digSrv(port: number, name: string, server = '127.0.0.1'): Promise<DigSrv> {
  const out = await dig(port, [name, 'SRV', '+noall', '+comments', '+answer'], server);
  const status = /status: ([A-Z]+)/.exec(out)?.[1] ?? 'none';
  const records: DigSrv['records'] = [];
  for (const line of out.split('\n')) {
    if (line.startsWith(';') || line.trim() === '') continue;
    // _vlmcs._tcp.alpha.test. 300 IN SRV 0 60 1688 kms1.alpha.test.
    const fields = line.trim().split(/\s+/);
    if (fields[3] !== 'SRV') continue;
    records.push({
      ttl: Number(fields[1]),
      priority: Number(fields[4]),
      weight: Number(fields[5]),
      port: Number(fields[6]),
      target: (fields[7] ?? '').replace(/\.$/, '') || '.',
    });
  }
  return { status, records };
}

/** The A and AAAA addresses dig finds for `host` (empty when it does not exist). */
export async function digAddresses(
  port: number,
  host: string,
  server = '127.0.0.1',
): Promise<string[]> {
  const lines = [
    ...(await dig(port, [host, 'A', '+short'], server)).split('\n'),
    ...(await dig(port, [host, 'AAAA', '+short'], server)).split('\n'),
  ];
  return lines.map((l) => l.trim()).filter((l) => isIP(l) !== 0);
}
