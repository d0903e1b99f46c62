import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLabKmsHost, type LabKmsHost } from '../../src/lab/index.js';
import { startDnsZoneServer, addressRecords, kmsSrvRecord } from '../../src/lab/dns-zone-server.js';
import { startServer } from '../helpers/cli.js';
import { eventually, scrape, select, valueOf } from '../helpers/metrics.js';
import { labProducts, writeConfig, writeResolvConf } from './lab-setup.js';

const ZONE = 'moving.kms-lab.test';

test('a record removed from DNS takes its host out of /metrics after the next round; adding it back restores it', async () => {
  const hosts: LabKmsHost[] = [
    await startLabKmsHost({ counts: { windows: 30 } }),
    await startLabKmsHost({ counts: { windows: 30 } }),
  ];
  const dns = await startDnsZoneServer({
    zones: {
      [ZONE]: [
        kmsSrvRecord(ZONE, {
          target: `kms1.${ZONE}`,
          port: hosts[0]!.port,
          priority: 0,
          weight: 100,
        }),
        kmsSrvRecord(ZONE, {
          target: `kms2.${ZONE}`,
          port: hosts[1]!.port,
          priority: 10,
          weight: 0,
        }),
        ...addressRecords(`kms1.${ZONE}`, ['127.0.0.1']),
        ...addressRecords(`kms2.${ZONE}`, ['127.0.0.1']),
      ],
    },
  });
  const config = writeConfig({
    interval: '1s',
    // Long on purpose: a host that comes back must not wait for the next KMS sweep.
    kms_interval: '10m',
    domains: [{ name: ZONE, resolvers: [dns.resolver] }],
    products: labProducts(['lab-windows']),
  });
  const server = await startServer('serve', [`--config.file=${config}`]);
  const kms2 = { host: `kms2.${ZONE}`, port: String(hosts[1]!.port) };
  try {
    await eventually('both hosts probed', async () => {
      const m = await scrape(server.url);
      return select(m, 'kms_probe_success', { product: 'lab-windows' }).length === 2
        ? m
        : undefined;
    });
    let m = await scrape(server.url);
    assert.equal(valueOf(m, 'kms_probe_success', { ...kms2, product: 'lab-windows' }), 1);
    assert.equal(valueOf(m, 'kms_srv_records', { domain: ZONE }), 2);

    assert.equal(dns.removeSrv(ZONE, `kms2.${ZONE}`), 1);
    m = await eventually('kms2 gone from /metrics', async () => {
      const now = await scrape(server.url);
      return select(now, 'kms_host_up', kms2).length === 0 ? now : undefined;
    });
    for (const name of [
      'kms_probe_success',
      'kms_host_active_clients',
      'kms_host_info',
      'kms_srv_record_info',
    ]) {
      assert.equal(select(m, name, kms2).length, 0, `${name} of the removed host`);
    }
    assert.equal(valueOf(m, 'kms_srv_records', { domain: ZONE }), 1);
    assert.equal(
      valueOf(m, 'kms_host_up', { host: `kms1.${ZONE}`, port: String(hosts[0]!.port) }),
      1,
    );

    dns.addSrv(ZONE, { target: `kms2.${ZONE}`, port: hosts[1]!.port, priority: 10, weight: 0 });
    m = await eventually('kms2 back in /metrics', async () => {
      const now = await scrape(server.url);
      return select(now, 'kms_probe_success', kms2).length === 1 ? now : undefined;
    });
    assert.equal(valueOf(m, 'kms_host_up', kms2), 1);
    assert.equal(valueOf(m, 'kms_srv_records', { domain: ZONE }), 2);
  } finally {
    assert.equal(await server.stop(), 0);
    await dns.close();
    for (const h of hosts) await h.close();
  }
});

test('with no configuration the monitor watches the search domains of the resolver configuration', async () => {
  const host = await startLabKmsHost({});
  const zones = ['alpha.kms-lab.test', 'beta.kms-lab.test'];
  const dns = await startDnsZoneServer({
    zones: Object.fromEntries(
      zones.map((zone) => [
        zone,
        [
          kmsSrvRecord(zone, { target: `kms.${zone}`, port: host.port }),
          ...addressRecords(`kms.${zone}`, ['127.0.0.1']),
        ],
      ]),
    ),
  });
  const resolv = writeResolvConf(dns.resolver, zones);
  const server = await startServer('serve', [`--dns.resolv-conf=${resolv}`]);
  try {
    const m = await eventually('both search domains looked up and their host probed', async () => {
      const now = await scrape(server.url);
      return select(now, 'kms_probe_success').length >= 2 ? now : undefined;
    });
    for (const zone of zones) {
      assert.equal(
        valueOf(m, 'kms_srv_lookup_success', { domain: zone, resolver: dns.resolver }),
        1,
      );
      assert.equal(valueOf(m, 'kms_srv_records', { domain: zone }), 1);
      assert.equal(valueOf(m, 'kms_host_up', { host: `kms.${zone}` }), 1);
    }
    // The default products are real ones, which the lab host refuses: probed, not activated.
    assert.ok(
      select(m, 'kms_probe_success', { product: 'windows-10-11' }).every((s) => s.value === 0),
    );
  } finally {
    assert.equal(await server.stop(), 0);
    await dns.close();
    await host.close();
  }
});
