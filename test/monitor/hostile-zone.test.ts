import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLabKmsHost } from '../../src/lab/index.js';
import {
  addressRecords,
  kmsSrvRecord,
  startDnsZoneServer,
  type ZoneRecord,
} from '../../src/lab/dns-zone-server.js';
import { startServer } from '../helpers/cli.js';
import { eventually, scrape, select, valueOf } from '../helpers/metrics.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';
import { labProducts, writeConfig } from './lab-setup.js';

const HOSTILE = 'hostile.kms-lab.test';
const GOOD = 'good.kms-lab.test';
const RECORD_LIMIT = 25;

test('a zone with 10,000 SRV records neither floods /metrics nor stalls the other domains; the cut shows', async () => {
  const host = await startLabKmsHost({ counts: { windows: 30 } });
  const flood: ZoneRecord[] = [];
  for (let i = 0; i < 10_000; i++) {
    // Every target on loopback (nothing listens on port 1): probes fail fast and stay here.
    flood.push(
      kmsSrvRecord(HOSTILE, {
        target: `h${i}.${HOSTILE}`,
        port: 1,
        priority: i % 7,
        weight: i % 13,
      }),
    );
    flood.push(
      ...addressRecords(`h${i}.${HOSTILE}`, [`127.0.${30 + Math.floor(i / 250)}.${(i % 250) + 1}`]),
    );
  }
  const dns = await startDnsZoneServer({
    zones: {
      [HOSTILE]: flood,
      [GOOD]: [
        kmsSrvRecord(GOOD, { target: `kms.${GOOD}`, port: host.port }),
        ...addressRecords(`kms.${GOOD}`, ['127.0.0.1']),
      ],
    },
  });
  const config = writeConfig({
    interval: '2s',
    kms_interval: '2s',
    domains: [
      { name: HOSTILE, resolvers: [dns.resolver] },
      { name: GOOD, resolvers: [dns.resolver] },
    ],
    products: labProducts(['lab-windows']),
    limits: { records_per_domain: RECORD_LIMIT, hosts_total: 100 },
  });
  const server = await startServer('serve', [`--config.file=${config}`]);
  try {
    await eventually(
      'the first round finished',
      async () => ((await fetch(`${server.url}/-/ready`)).status === 200 ? true : undefined),
      60_000,
    );
    const res = await fetch(`${server.url}/metrics`);
    const text = await res.text();
    const m = await scrape(server.url);
    // The good domain is unaffected.
    assert.equal(valueOf(m, 'kms_srv_lookup_success', { domain: GOOD }), 1);
    assert.equal(
      valueOf(m, 'kms_probe_success', { host: `kms.${GOOD}`, product: 'lab-windows' }),
      1,
    );
    // The hostile one is answered, cut at the limit, and the cut is counted.
    assert.equal(valueOf(m, 'kms_srv_lookup_success', { domain: HOSTILE }), 1);
    // kms_srv_records says how many the zone published (as many as fit in one 64 KiB TCP
    // answer); only the first RECORD_LIMIT are kept, listed and probed.
    assert.equal(select(m, 'kms_srv_record_info', { domain: HOSTILE }).length, RECORD_LIMIT);
    const published = valueOf(m, 'kms_srv_records', { domain: HOSTILE });
    const cut = valueOf(m, 'kms_srv_records_truncated', { domain: HOSTILE });
    assert.ok(published > 500, `published ${published}`);
    assert.equal(cut, published - RECORD_LIMIT);
    assert.equal(select(m, 'kms_host_up').length, RECORD_LIMIT + 1);
    // Bounded output: a few hundred series, not tens of thousands.
    assert.ok(m.length < 1_000, `${m.length} samples`);
    assert.ok(text.length < 256 * 1024, `${text.length} bytes`);
    const lint = promtoolCheckMetrics(text);
    assert.ok(lint.ok, lint.output);
    assert.match(server.logs(), /more SRV records than limits\.records_per_domain/);
  } finally {
    assert.equal(await server.stop(), 0);
    await dns.close();
    await host.close();
  }
});
