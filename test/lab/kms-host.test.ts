import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLabKmsHost } from '../../src/lab/index.js';
import type { LabKmsHost } from '../../src/lab/index.js';
import {
  DEFAULT_LAB_EPIDS,
  DEFAULT_LAB_HWID,
  labCounterOf,
  labProduct,
} from '../../src/lab/index.js';
import { exchange } from './lab-client.js';

describe('lab KMS host: exchanges', () => {
  let host: LabKmsHost;
  before(async () => {
    host = await startLabKmsHost();
  });
  after(() => host.close());

  it('listens on 127.0.0.1 and a random port by default', () => {
    assert.equal(host.address, '127.0.0.1');
    assert.ok(host.port > 0);
  });

  for (const [slug, protocol] of [
    ['lab-windows', 6],
    ['lab-windows-v5', 5],
    ['lab-windows-v4', 4],
    ['lab-office-2010', 4],
    ['lab-office', 6],
  ] as const) {
    it(`answers a v${protocol} request for ${slug} with a verifiable response`, async () => {
      const p = labProduct(slug);
      const result = await exchange(host.port, p);
      assert.equal(result.hresult, 0);
      const r = result.response;
      assert.ok(r);
      assert.equal(r.version.major, protocol);
      assert.equal(r.epid, DEFAULT_LAB_EPIDS[labCounterOf(p)]);
      assert.equal(r.hwid, protocol === 6 ? DEFAULT_LAB_HWID : null);
      assert.equal(r.activationIntervalMinutes, 120);
      assert.equal(r.renewalIntervalMinutes, 10080);
      assert.ok(r.activeClients >= 1);
      assert.deepEqual(r.warnings, []);
    });
  }
});
