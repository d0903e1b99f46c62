// probeKms against the real lab KMS host on 127.0.0.1: v4, v5 and v6 answers carry exactly
// what the lab was configured with; all products share one connection; the monitor's one
// CMID counts once however often it probes; 0x8007000D falls back to a lower version.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { probeKms, resolveIdentity } from '../../../src/kms/client/index.js';
import type { KmsProbeOptions } from '../../../src/kms/client/index.js';
import { findProduct } from '../../../src/kms/products/index.js';
import { startLabKmsHost } from '../../../src/lab/index.js';
import type { LabKmsHost } from '../../../src/lab/index.js';
import { FAST, TEST_IDENTITY, assertNoLeaks, lab, snapshot } from './helpers.js';

const EPIDS = {
  windows: '03612-00206-551-123456-03-1033-17763.0000-2972018',
  'office-2010': '03612-00096-199-799188-03-1031-9600.0000-0452011',
  'office-2013+': '06401-00206-438-004532-03-1033-9600.0000-2922017',
};
const HWID = '364F463A8863D35F';

function options(extra: Partial<KmsProbeOptions> = {}): KmsProbeOptions {
  return { identity: TEST_IDENTITY, timeouts: FAST, ...extra };
}

describe('probeKms against the lab host', () => {
  let host: LabKmsHost;
  let target: { host: string; port: number };

  before(async () => {
    host = await startLabKmsHost({
      epid: EPIDS,
      hwid: HWID,
      activationIntervalMinutes: 45,
      renewalIntervalMinutes: 2880,
      counts: { windows: 30, 'office-2010': 2, 'office-2013+': 7 },
    });
    target = { host: '127.0.0.1', port: host.port };
  });
  after(() => host.close());

  it('v4, v5 and v6 products print the configured count, ePID, HWID and intervals', async () => {
    const leaks = await snapshot(host);
    const stats = host.stats();
    const products = [
      'lab-windows',
      'lab-windows-v5',
      'lab-windows-v4',
      'lab-office',
      'lab-office-2010',
    ].map(lab);
    const now = new Date();
    const results = await probeKms(target, products, options({ now: () => now }));
    await assertNoLeaks(leaks, host);

    assert.deepEqual(
      results.map((r) => [r.product, r.success, r.protocol, r.error]),
      [
        ['lab-windows', true, 6, null],
        ['lab-windows-v5', true, 5, null],
        ['lab-windows-v4', true, 4, null],
        ['lab-office', true, 6, null],
        ['lab-office-2010', true, 4, null],
      ],
    );
    const [v6, v5, v4, office, office2010] = results;
    assert.ok(v6 && v5 && v4 && office && office2010);
    // The monitor is a new machine: prefilled count + 1, capped at 2 × N (Office: 7 + 1 = 8 ≤ 10).
    for (const r of [v6, v5, v4]) {
      assert.equal(r.epid, EPIDS.windows);
      assert.equal(r.activeClients, 31);
      assert.equal(r.threshold, 25);
      assert.equal(r.hostBuild, 17763);
      assert.equal(r.keyInstallDate, '2018-10-24');
      assert.equal(r.activationIntervalMinutes, 45);
      assert.equal(r.renewalIntervalMinutes, 2880);
      assert.equal(r.host, '127.0.0.1');
      assert.equal(r.port, host.port);
      assert.equal(r.address, '127.0.0.1');
    }
    assert.equal(v6.hwid, HWID, 'v6 answers carry the HWID');
    assert.equal(v5.hwid, null);
    assert.equal(v4.hwid, null);
    assert.deepEqual(
      [
        office.epid,
        office.activeClients,
        office.threshold,
        office.hwid,
        office.hostBuild,
        office.keyInstallDate,
      ],
      [EPIDS['office-2013+'], 8, 5, HWID, 9600, '2017-10-19'],
    );
    assert.deepEqual(
      [office2010.epid, office2010.activeClients, office2010.threshold, office2010.keyInstallDate],
      [EPIDS['office-2010'], 3, 5, '2011-02-14'],
    );
    for (const r of results) {
      assert.equal(r.timestamp, now.toISOString());
      assert.ok(
        r.phases.connect !== undefined &&
          r.phases.bind !== undefined &&
          r.phases.request !== undefined,
      );
      assert.ok(r.durationSeconds > 0 && r.durationSeconds < 2);
      const sum = (r.phases.connect ?? 0) + (r.phases.bind ?? 0) + (r.phases.request ?? 0);
      assert.ok(Math.abs(r.durationSeconds - sum) < 1e-5);
    }
    // One TCP connection, one bind, one request per product.
    const after = host.stats();
    assert.equal(after.connections - stats.connections, 1);
    assert.equal(after.requests - stats.requests, 5);
  });

  it('a probe run 100 times from one instance adds exactly one client', async () => {
    await host.configure({ counts: { windows: 10 } });
    const product = lab('lab-windows-server');
    const seen = new Set<number | null>();
    for (let i = 0; i < 100; i++) {
      const [r] = await probeKms(target, [product], options());
      assert.equal(r?.success, true, r?.error?.message);
      seen.add(r?.activeClients ?? null);
    }
    assert.deepEqual([...seen], [11]);
    assert.equal(host.count('windows'), 11);
    // A second instance (another host name, so another CMID) is one more machine.
    const other = resolveIdentity({ hostname: 'another-monitor' });
    const [r] = await probeKms(target, [product], options({ identity: other }));
    assert.equal(r?.activeClients, 12);
  });

  it('on 0x8007000D retries with the next lower version and reports the one that worked', async () => {
    await host.configure({ protocols: [4, 5] });
    try {
      const stats = host.stats();
      const [v6, v6office] = await probeKms(
        target,
        [lab('lab-windows'), lab('lab-office')],
        options(),
      );
      assert.deepEqual([v6?.success, v6?.protocol, v6?.hwid], [true, 5, null]);
      assert.deepEqual([v6office?.success, v6office?.protocol], [true, 5]);
      // 6 refused, 5 answered, for each product: four requests on one connection.
      assert.equal(host.stats().requests - stats.requests, 4);
      assert.equal(host.stats().connections - stats.connections, 1);

      await host.configure({ protocols: [4] });
      const [down] = await probeKms(target, [lab('lab-windows')], options());
      assert.deepEqual([down?.success, down?.protocol], [true, 4]);

      // A forced version is tried alone.
      const [forced] = await probeKms(target, [lab('lab-windows')], options({ protocol: 6 }));
      assert.deepEqual(
        [forced?.success, forced?.protocol, forced?.error?.reason, forced?.error?.code],
        [false, 6, 'kms_error', '0x8007000D'],
      );
    } finally {
      await host.configure({ protocols: [4, 5, 6] });
    }
  });

  it('a forced version is sent for every product', async () => {
    const results = await probeKms(
      target,
      [lab('lab-windows-v4'), lab('lab-office')],
      options({ protocol: 5 }),
    );
    assert.deepEqual(
      results.map((r) => [r.success, r.protocol]),
      [
        [true, 5],
        [true, 5],
      ],
    );
  });

  it('a refused product fails with 0xC004F042 and the next one still goes over the same connection', async () => {
    await host.configure({ refuse: ['lab-office'] });
    try {
      const stats = host.stats();
      const real = findProduct('office-2016');
      assert.ok(real);
      const results = await probeKms(
        target,
        [lab('lab-office'), real, lab('lab-windows')],
        options(),
      );
      assert.deepEqual(
        results.map((r) => [r.product, r.success, r.error?.reason ?? null, r.error?.code ?? null]),
        [
          ['lab-office', false, 'kms_error', '0xC004F042'],
          ['office-2016', false, 'kms_error', '0xC004F042'],
          ['lab-windows', true, null, null],
        ],
      );
      assert.match(results[0]?.error?.message ?? '', /SL_E_VL_KEY_MANAGEMENT_SERVICE_ID_MISMATCH/);
      assert.equal(results[0]?.protocol, 6);
      assert.equal(results[0]?.activeClients, null);
      assert.equal(host.stats().connections - stats.connections, 1);
    } finally {
      await host.configure({ refuse: [] });
    }
  });

  it('with the Windows bind offer, follows the alter-context path of a host preferring NDR64', async () => {
    const results = await probeKms(
      target,
      [lab('lab-windows'), lab('lab-windows-v4')],
      options({ bind: 'windows' }),
    );
    assert.deepEqual(
      results.map((r) => [r.success, r.epid]),
      [
        [true, EPIDS.windows],
        [true, EPIDS.windows],
      ],
    );
  });

  it('a client clock far from the host clock gets 0xC004F06C', async () => {
    await host.configure({ maxClockSkewMinutes: 240 });
    try {
      const skewed = new Date(Date.now() - 24 * 3600_000);
      const [r] = await probeKms(target, [lab('lab-windows')], options({ now: () => skewed }));
      assert.deepEqual([r?.error?.reason, r?.error?.code], ['kms_error', '0xC004F06C']);
    } finally {
      await host.configure({ maxClockSkewMinutes: null });
    }
  });

  it('returns an empty list for no products without connecting', async () => {
    const stats = host.stats();
    assert.deepEqual(await probeKms(target, [], options()), []);
    assert.equal(host.stats().connections, stats.connections);
  });

  it('a product spec that cannot be encoded is a named failure, not an exception', async () => {
    const bad = { ...lab('lab-windows'), slug: 'broken', kmsCountedId: 'not-a-guid' };
    const [r, ok] = await probeKms(target, [bad, lab('lab-windows')], options());
    assert.equal(r?.success, false);
    assert.equal(r?.error?.reason, 'malformed');
    assert.equal(ok?.success, true);
  });
});
