// epid_stable on an Office KMS host holding two Office host keys (docs/trust.md): each
// Office release's products are answered with that release's key's ePID, which is what a
// genuine host does, so the check passes; one key answering two ePIDs, or its ePID
// changing between sweeps, still fails or is suspicious, and Windows keeps one slot.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assessTrust, type HostTrust } from '../../src/monitor/trust.js';
import { findProduct, type Product } from '../../src/kms/products/index.js';
import type { KmsProductResult } from '../../src/kms/client/index.js';

const OFFICE_2021_EPID = '03612-00206-575-123456-03-1033-20348.0000-0452022';
const OFFICE_2021_REINSTALLED = '03612-00206-575-654321-03-1033-20348.0000-0452022';
const OFFICE_2024_EPID = '03612-00206-595-123456-03-1033-20348.0000-3002024';
const WINDOWS_EPID = '03612-00206-565-123456-03-1033-20348.0000-0452022';
const WINDOWS_OTHER = '03612-00206-565-654321-03-1033-20348.0000-0452022';

const product = (slug: string): Product => {
  const found = findProduct(slug);
  assert.ok(found, slug);
  return found;
};
const PRODUCTS = ['office-ltsc-2021', 'office-ltsc-2024', 'windows-server-2022'].map(product);

function answer(slug: string, epid: string): KmsProductResult {
  return {
    host: 'kms1.corp.example',
    port: 1688,
    address: '127.0.0.1',
    product: slug,
    success: true,
    protocol: 6,
    epid,
    hwid: '1AB0C0FFEE000001',
    hostBuild: 20348,
    keyInstallDate: null,
    activeClients: 12,
    threshold: 5,
    activationIntervalMinutes: 120,
    renewalIntervalMinutes: 10080,
    durationSeconds: 0.001,
    phases: {},
    timestamp: new Date().toISOString(),
    error: null,
  };
}

function stability(exchanges: KmsProductResult[], previous: HostTrust | null = null) {
  const trust = assessTrust(
    exchanges,
    { unknownId: null, retail: null, echo: [], products: PRODUCTS },
    previous,
    new Date('2026-12-01T00:00:00Z'),
  );
  const check = trust.checks.find((c) => c.check === 'epid_stable');
  assert.ok(check);
  return { trust, verdict: check.verdict, evidence: check.evidence };
}

describe('epid_stable per host key', () => {
  it('an Office host with the LTSC 2021 and LTSC 2024 keys passes, sweep after sweep', () => {
    const sweep = [
      answer('office-ltsc-2021', OFFICE_2021_EPID),
      answer('office-ltsc-2024', OFFICE_2024_EPID),
    ];
    const first = stability(sweep);
    assert.equal(first.verdict, 'pass', first.evidence);
    assert.deepEqual(first.trust.epids, {
      'office-2013+/office-ltsc-2021': OFFICE_2021_EPID,
      'office-2013+/office-ltsc-2024': OFFICE_2024_EPID,
    });
    assert.equal(stability(sweep, first.trust).verdict, 'pass');
  });

  it('one Office key answering two ePIDs fails; its ePID changing is suspicious', () => {
    const two = stability([
      answer('office-ltsc-2021', OFFICE_2021_EPID),
      answer('office-ltsc-2021', OFFICE_2021_REINSTALLED),
    ]);
    assert.equal(two.verdict, 'failed');
    assert.match(two.evidence, /^office-2013\+ \(Office LTSC 2021 key\): two requests/);
    const before = stability([answer('office-ltsc-2021', OFFICE_2021_EPID)]).trust;
    const changed = stability([answer('office-ltsc-2021', OFFICE_2021_REINSTALLED)], before);
    assert.equal(changed.verdict, 'suspicious');
  });

  it('Windows keeps one slot: a second Windows ePID in a sweep fails', () => {
    const windows = stability([
      answer('windows-server-2022', WINDOWS_EPID),
      answer('windows-server-2022', WINDOWS_OTHER),
    ]);
    assert.equal(windows.verdict, 'failed');
    assert.match(windows.evidence, /^windows: /);
  });
});
