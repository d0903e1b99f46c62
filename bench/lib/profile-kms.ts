/**
 * The KMS client's CPU profile: `node --cpu-prof --import tsx bench/lib/profile-kms.ts
 * [fresh|one] [count]` runs `count` exchanges against a lab host in a child process (fresh:
 * one connection each, as the poller's single-product hosts; one: 20 per connection), so
 * the profile holds the client's side only. docs/performance.md quotes its top functions.
 */
import { probeKms, resolveIdentity } from '../../src/kms/client/index.js';
import { labProduct } from '../../src/lab/index.js';
import { startLabProcess } from './lab-process.js';

const mode = process.argv[2] ?? 'fresh';
const count = Number(process.argv[3] ?? 3000);
const lab = await startLabProcess({ hosts: [{ address: '127.0.0.1', maxConnections: 64 }] });
const port = lab.hosts[0]?.port ?? 0;
const product = labProduct('lab-windows');
const perConnection = mode === 'one' ? 20 : 1;
const products = Array.from({ length: perConnection }, () => product);
const options = {
  identity: resolveIdentity({ hostname: 'kms-monitor-profile' }),
  timeouts: { connectMs: 5000, bindMs: 5000, requestMs: 5000, overallMs: 10_000 },
};
const target = { host: '127.0.0.1', port, address: '127.0.0.1' };
let failed = 0;
const cpu0 = process.cpuUsage();
for (let i = 0; i < count / perConnection; i++) {
  const results = await probeKms(target, products, options);
  failed += results.filter((r) => !r.success).length;
}
const cpu = process.cpuUsage(cpu0);
console.log(
  `${mode}: ${count} exchanges, ${failed} failed, client CPU ${((cpu.user + cpu.system) / 1000 / count).toFixed(3)} ms per exchange`,
);
await lab.stop();
