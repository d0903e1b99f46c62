// Every address of a host, from the configured resolvers only, through `serve` and `check`
// against the lab (DNS zone server and lab KMS hosts, all on loopback):
// - a dual-stack host whose A address is dead and whose AAAA serves KMS is up and working,
//   and the dead address is a finding (was: down, and the domain CRITICAL);
// - a published target that does not exist at the domain's DNS is a stale record, and a
//   domain with only that target is CRITICAL (was: resolved by the OS resolver);
// - a static host given by name is resolved by the configured resolvers;
// - metrics, check --json and the logs say the same.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addressRecords, kmsSrvRecord, startDnsZoneServer } from '../../src/lab/dns-zone-server.js';
import type { DnsZoneServer } from '../../src/lab/dns-zone-server.js';
import { startLabKmsHost, type LabKmsHost } from '../../src/lab/index.js';
import { runCli, startServer, type RunningServer } from '../helpers/cli.js';
import { eventually, scrape, valueOf } from '../helpers/metrics.js';
import { labProducts, writeConfig } from './lab-setup.js';

const DUAL = 'dual.kms-lab.test';
const STALE = 'stale.kms-lab.test';
const HOSTS = 'hosts.kms-lab.test';

describe('addresses: every one probed, resolved only by the configured resolvers', () => {
  let dns: DnsZoneServer;
  let v6: LabKmsHost;
  let v4: LabKmsHost;
  let config: string;
  let server: RunningServer;

  before(async () => {
    v6 = await startLabKmsHost({ address: '::1', counts: { windows: 30 } });
    // Slow to answer, so the other host's exchange is always in before this one's: the
    // metrics test must wait for the whole first round, not for the first host it sees.
    v4 = await startLabKmsHost({ counts: { windows: 30 }, delays: { response: 400 } });
    dns = await startDnsZoneServer({
      zones: {
        [DUAL]: [
          kmsSrvRecord(DUAL, { target: `kms1.${DUAL}`, port: v6.port }),
          // Nothing listens on 127.0.0.77: a client tries it, fails, and falls back to ::1.
          ...addressRecords(`kms1.${DUAL}`, ['127.0.0.77', '::1']),
        ],
        [STALE]: [kmsSrvRecord(STALE, { target: `gone.${STALE}`, port: v4.port })],
        [HOSTS]: addressRecords(`static.${HOSTS}`, ['127.0.0.1']),
      },
    });
    config = writeConfig({
      interval: '1s',
      kms_interval: '1s',
      resolvers: [dns.resolver],
      domains: [DUAL, STALE],
      hosts: [`static.${HOSTS}:${v4.port}`],
      products: labProducts(['lab-windows']),
    });
    server = await startServer('serve', [`--config.file=${config}`, '--log.level=info']);
  });

  after(async () => {
    await server?.stop();
    await Promise.all([dns?.close(), v6?.close(), v4?.close()]);
  });

  it('metrics: the AAAA address serves, the A address is down, the stale domain has 0 working hosts', async () => {
    // /-/ready turns 200 once the first round with the KMS exchange has ended: every host's
    // result is in. (Waiting for one host's result raced the others' mid-round.)
    await eventually('the first KMS sweep done (/-/ready)', async () =>
      (await fetch(`${server.url}/-/ready`)).ok ? true : undefined,
    );
    const m = await scrape(server.url);
    assert.equal(valueOf(m, 'kms_probe_success', { host: `kms1.${DUAL}` }), 1);
    const dual = { host: `kms1.${DUAL}`, port: String(v6.port) };
    assert.equal(valueOf(m, 'kms_host_up', dual), 1);
    assert.equal(valueOf(m, 'kms_host_address_up', { ...dual, address: '127.0.0.77' }), 0);
    assert.equal(valueOf(m, 'kms_host_address_up', { ...dual, address: '::1' }), 1);
    assert.equal(valueOf(m, 'kms_domain_product_working_hosts', { domain: DUAL }), 1);
    assert.equal(valueOf(m, 'kms_domain_product_working_hosts', { domain: STALE }), 0);
    assert.equal(valueOf(m, 'kms_domain_status', { domain: STALE }), 2);
    assert.equal(valueOf(m, 'kms_host_up', { host: `gone.${STALE}` }), 0);
    assert.equal(valueOf(m, 'kms_findings', { code: 'srv_target_unresolvable' }), 1);
    assert.equal(valueOf(m, 'kms_findings', { code: 'address_unreachable' }), 1);
    // The static host by name, resolved by the configured resolver (the lab zone).
    assert.equal(valueOf(m, 'kms_probe_success', { host: `static.${HOSTS}` }), 1);
  });

  it('logs each finding when it is raised, with its code', async () => {
    await server.waitForLog('"msg":"finding raised"');
    const raised = server
      .logs()
      .split('\n')
      .filter((l) => l.includes('"msg":"finding raised"'))
      .map((l) => (JSON.parse(l) as { code: string }).code);
    for (const code of ['srv_target_unresolvable', 'address_unreachable', 'no_working_host'])
      assert.ok(raised.includes(code), `${code} in ${raised.join(', ')}`);
  });

  it('check --json says the same: CRITICAL for the stale domain, the dead address a warning', async () => {
    const run = await runCli(['check', `--config.file=${config}`, '--json']);
    assert.equal(run.code, 2, run.stderr);
    const body = JSON.parse(run.stdout) as {
      status: string;
      problems: Array<{ code: string; severity: string; domain?: string; host?: string }>;
    };
    assert.equal(body.status, 'critical');
    const byCode = (code: string) => body.problems.filter((p) => p.code === code);
    assert.deepEqual(
      byCode('no_working_host').map((p) => [p.domain, p.severity]),
      [[STALE, 'critical']],
    );
    assert.equal(byCode('address_unreachable')[0]?.severity, 'warning');
    assert.equal(byCode('srv_target_unresolvable')[0]?.host, `gone.${STALE}:${v4.port}`);
    assert.ok(!body.problems.some((p) => p.domain === DUAL && p.severity === 'critical'));
  });
});
