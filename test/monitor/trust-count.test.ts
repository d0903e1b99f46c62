// The monitor's requests to a genuine host: a sweep (the product exchanges) plus the trust
// kind's controls, echo and clock-window request adds exactly one client to the host's count
// — the monitor's one CMID — and no request sends an N policy above the product's genuine one.
// The same holds for an emulator, which answers what a genuine host refuses.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { probeKms, resolveIdentity } from '../../src/kms/client/index.js';
import {
  LAB_PERSONALITIES,
  labProduct,
  startLabKmsHost,
  type LabKmsHost,
} from '../../src/lab/index.js';
import { trustKind, trustSpecs } from '../../src/monitor/kinds/trust.js';
import type { KmsTarget } from '../../src/monitor/targets.js';

const identity = resolveIdentity({
  cmid: '6a1f2c3d-4b5e-4f60-8a7b-9c0d1e2f3a4b',
  workstation: 'kms-monitor-test',
});
const PRODUCTS = ['lab-windows', 'lab-windows-server', 'lab-office'].map(labProduct);
const TIMEOUTS = { connectMs: 2000, bindMs: 2000, requestMs: 2000, overallMs: 20_000 };
/** Every optional request on. */
const ALL = { countEcho: true, clockWindow: true };

for (const personality of ['genuine', 'vlmcsd'] as const)
  describe(`the trust kind on a ${personality} host`, () => {
    let host: LabKmsHost;
    before(async () => {
      host = await startLabKmsHost({
        ...LAB_PERSONALITIES[personality],
        counts: { windows: 10, 'office-2013+': 3 },
      });
    });
    after(() => host?.close());

    it('never sends an N policy above the genuine one', () => {
      const { specs, clock } = trustSpecs(identity.cmid, PRODUCTS, ALL);
      assert.ok(clock !== null && specs.some((s) => s.slug === clock), 'the clock request is sent');
      const genuine = Math.max(...PRODUCTS.map((p) => p.nPolicy));
      for (const spec of specs) {
        const own = PRODUCTS.find((p) => spec.slug.endsWith(p.slug));
        assert.ok(spec.nPolicy < (own?.nPolicy ?? genuine + 1), `${spec.slug}: N ${spec.nPolicy}`);
      }
    });

    it('a sweep and the trust requests, twice, raise each count by exactly one', async () => {
      const target = {
        host: '127.0.0.1',
        port: host.port,
        addresses: ['127.0.0.1'],
      } as unknown as KmsTarget;
      const probe = trustKind.realProbe({ identity: () => identity });
      const before = { windows: host.count('windows'), office: host.count('office-2013+') };
      for (let sweep = 0; sweep < 2; sweep++) {
        const results = await probeKms(
          { host: '127.0.0.1', port: host.port, address: '127.0.0.1' },
          PRODUCTS,
          { identity, timeouts: TIMEOUTS },
        );
        assert.ok(
          results.every((r) => r.success),
          JSON.stringify(results.map((r) => r.error)),
        );
        const controls = await probe(target, {
          products: PRODUCTS,
          timeoutMs: 2000,
          signal: new AbortController().signal,
          trust: ALL,
        });
        assert.equal(controls.error, null);
        if (personality === 'genuine') {
          assert.equal(controls.unknownId?.error?.code, '0xC004F042');
          assert.equal(controls.clock?.error?.code, '0xC004F06C');
        } else {
          assert.equal(controls.unknownId?.success, true);
          assert.equal(controls.clock?.success, true, 'the emulator answers any client time');
        }
      }
      assert.deepEqual(
        { windows: host.count('windows'), office: host.count('office-2013+') },
        { windows: before.windows + 1, office: before.office + 1 },
      );
    });
  });
