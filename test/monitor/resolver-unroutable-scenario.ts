/**
 * Run inside a loopback-only network namespace by resolver-unroutable.test.ts: `serve`
 * watches a lab domain whose resolver answers on loopback and a branch domain whose two
 * resolvers have no route (an IPv6 and an IPv4 documentation address). Waits for ten
 * rounds, then prints what /metrics said and how serve ended, as JSON on stdout.
 */
import { startLabKmsHost } from '../../src/lab/index.js';
import { addressRecords, kmsSrvRecord, startDnsZoneServer } from '../../src/lab/dns-zone-server.js';
import { runCli, startServer } from '../helpers/cli.js';
import { pageVerdicts } from '../helpers/page-verdicts.js';
import { eventually, scrape, select, valueOf, type Sample } from '../helpers/metrics.js';
import { labProducts, writeConfig } from './lab-setup.js';

const GOOD = 'good.kms-lab.test';
const BRANCH = 'branch.example';
const ROUNDS = 10;

const host = await startLabKmsHost({ counts: { windows: 30 } });
const dns = await startDnsZoneServer({
  zones: {
    [GOOD]: [
      kmsSrvRecord(GOOD, { target: `kms1.${GOOD}`, port: host.port, priority: 0, weight: 100 }),
      ...addressRecords(`kms1.${GOOD}`, ['127.0.0.1']),
    ],
  },
});
const config = writeConfig({
  interval: '1s',
  kms_interval: '10m',
  timeout: '2s',
  domains: [
    { name: GOOD, resolvers: [dns.resolver] },
    { name: BRANCH, resolvers: ['[2001:db8::53]:53', '192.0.2.53'] },
  ],
  products: labProducts(['lab-windows']),
});
const server = await startServer('serve', [`--config.file=${config}`]);
// serve dying (as it did on the first round) ends the wait at once, with its exit code.
const died = server.exited.then((code) => {
  throw new Error(`serve exited with ${code} before ${ROUNDS} rounds`);
});
try {
  const metrics = await Promise.race([
    died,
    eventually(
      `${ROUNDS} rounds`,
      async () => {
        const m = await scrape(server.url);
        return valueOf(m, 'kms_poll_rounds_total') >= ROUNDS ? m : undefined;
      },
      60_000,
    ),
  ]);
  died.catch(() => {});
  const pick = (name: string, labels: Record<string, string> = {}) =>
    select(metrics, name, labels).map((s: Sample) => ({ labels: s.labels, value: s.value }));
  const summary = {
    rounds: valueOf(metrics, 'kms_poll_rounds_total'),
    lookupSuccess: pick('kms_srv_lookup_success'),
    records: pick('kms_srv_records'),
    failures: pick('kms_srv_lookup_failures_total'),
    probeSuccess: pick('kms_probe_success'),
    hostUp: pick('kms_host_up'),
    domainMetric: pick('kms_domain_status'),
    // The same moment's verdict as the API, the page and a one-shot check give it.
    apiDomainStatus: (
      (await (await fetch(`${server.url}/api/v1/status`)).json()) as {
        domainStatus: Record<string, string>;
      }
    ).domainStatus,
    pageDomainStatus: Object.fromEntries(
      pageVerdicts(await (await fetch(`${server.url}/`)).text()),
    ),
    check: await runCli(['check', `--config.file=${config}`, '--json'], 60_000),
  };
  const code = await server.stop();
  process.stdout.write(JSON.stringify({ ...summary, exitCode: code, logs: server.logs() }));
} catch (error) {
  await server.stop();
  process.stdout.write(JSON.stringify({ error: String(error), logs: server.logs() }));
} finally {
  await dns.close();
  await host.close();
}
// A wait abandoned by the race above would keep polling until its own timeout.
process.exit(0);
