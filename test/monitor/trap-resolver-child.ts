// Runs inside a loopback-only network namespace whose /etc/resolv.conf is a trap (see
// trap-resolver.test.ts): a trap DNS server on the address that resolv.conf names, a lab
// zone and lab KMS host, and `serve` watching them with explicit resolvers. Prints one
// JSON line: how many queries reached the trap and whether the static host was probed.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addressRecords, kmsSrvRecord, startDnsZoneServer } from '../../src/lab/dns-zone-server.js';
import { startLabKmsHost } from '../../src/lab/index.js';
import { scrape, valueOf } from '../helpers/metrics.js';
import { labProducts, writeConfig } from './lab-setup.js';

const TRAP = process.argv[2] ?? '127.0.0.53';
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
let trapped = 0;
const udp = createSocket('udp4').on('message', () => trapped++);
await new Promise<void>((resolve) => udp.bind(53, TRAP, resolve));
const tcp = createServer((s) => {
  trapped++;
  s.destroy();
});
await new Promise<void>((resolve) => tcp.listen(53, TRAP, resolve));

const kms = await startLabKmsHost({ counts: { windows: 30 } });
const zone = 'trap.kms-lab.test';
const dns = await startDnsZoneServer({
  zones: {
    [zone]: [
      kmsSrvRecord(zone, { target: `kms1.${zone}`, port: kms.port }),
      ...addressRecords(`kms1.${zone}`, ['127.0.0.1']),
      ...addressRecords(`static.${zone}`, ['127.0.0.1']),
    ],
  },
});
const config = writeConfig({
  interval: '1s',
  kms_interval: '1s',
  domains: [{ name: zone, resolvers: [dns.resolver] }],
  // A static host by name, and one whose name exists nowhere: neither may be asked of the trap.
  hosts: [`static.${zone}:${kms.port}`, `nowhere.example.test:${kms.port}`],
  products: labProducts(['lab-windows']),
});
// The resolv.conf this monitor is told to use names the lab's DNS only; the trap sits in
// /etc/resolv.conf, which nobody names.
const resolvConf = join(mkdtempSync(join(tmpdir(), 'kms-trap-child-')), 'resolv.conf');
writeFileSync(resolvConf, `nameserver ${dns.address}:${dns.port}\n`);
const child = spawn(
  process.execPath,
  [
    CLI,
    'serve',
    `--config.file=${config}`,
    `--dns.resolv-conf=${resolvConf}`,
    '--web.listen-address=127.0.0.1:0',
    '--log.format=json',
  ],
  {
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
let logs = '';
const exited = new Promise((r) => child.on('close', r));
child.stderr.on('data', (d: Buffer) => (logs += d.toString()));
let result: Record<string, unknown> = { error: 'serve did not start', logs: '' };
for (let i = 0; i < 400 && child.exitCode === null; i++) {
  await new Promise((r) => setTimeout(r, 50));
  const line = logs.split('\n').find((l) => l.includes('"msg":"listening"'));
  if (!line) continue;
  const url = (JSON.parse(line) as { address: string }).address;
  const m = await scrape(url).catch(() => null);
  // Three rounds at least, and the static host's exchange done (a loaded machine is slow).
  if (!m || valueOf(m, 'kms_poll_rounds_total') < 3) continue;
  const probed = m.some(
    (x) => x.name === 'kms_probe_success' && x.labels.host === `static.${zone}`,
  );
  if (!probed && valueOf(m, 'kms_poll_rounds_total') < 15) continue;
  result = {
    trapped,
    staticUp: valueOf(m, 'kms_host_up', { host: `static.${zone}` }),
    staticProbe: valueOf(m, 'kms_probe_success', { host: `static.${zone}` }),
    nowhereUp: valueOf(m, 'kms_host_up', { host: 'nowhere.example.test' }),
  };
  break;
}
if ('error' in result) result.logs = logs.slice(-2000);
child.kill('SIGTERM');
await exited;
await Promise.all([dns.close(), kms.close()]);
udp.close();
tcp.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
