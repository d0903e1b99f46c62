// ePID consistency over the coverage model: each ePID and product below is decoded by hand
// from docs/coverage.md (platform IDs by build, CSVLK key blocks, hosting rules).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findProduct } from '../../../src/kms/products/index.js';
import { epidConsistency, epidProblems } from '../../../src/kms/trust/index.js';

const NOW = new Date('2026-12-01T00:00:00Z');
// Windows Server 2019 CSVLK (group 206, key 556,123,456 in 551,000,000–570,999,999) on
// build 17763 (Server 2019, platform 3612), installed on day 45 of 2019.
const SERVER_2019 = '03612-00206-556-123456-03-1033-17763.0000-0452019';

function check(epid: string, slug: string) {
  const product = findProduct(slug);
  assert.ok(product, slug);
  return epidProblems({ product, epid }, NOW).map((p) => [p.verdict, p.text]);
}

describe('ePID consistency', () => {
  it('a genuine-looking Server 2019 host key passes for what it covers', () => {
    assert.deepEqual(check(SERVER_2019, 'windows-server-2019'), []);
    assert.deepEqual(check(SERVER_2019, 'windows-10-11'), []);
    const product = findProduct('windows-server-2019')!;
    assert.equal(epidConsistency([{ product, epid: SERVER_2019 }], NOW).verdict, 'pass');
    assert.equal(epidConsistency([], NOW).verdict, 'not_run');
  });

  it('vlmcsd’s default ePID answering Server 2022: a 2019 key, on Server 2008', () => {
    assert.deepEqual(
      check('55041-00206-567-333897-03-1102-6002.0000-3342021', 'windows-server-2022'),
      [
        ['failed', 'the Windows Server 2019 host key does not cover Windows Server 2022'],
        [
          'failed',
          'the Windows Server 2019 host key cannot be installed on build 6002 (Windows Server 2008)',
        ],
      ],
    );
  });

  it('a custom product is not held to the table: which keys cover it is unknown', () => {
    const custom = { ...findProduct('windows-server-2022')!, slug: 'my-server', builtIn: false };
    const server2022 = '03612-04573-012-345678-03-1033-20348.0000-0012025';
    assert.deepEqual(epidProblems({ product: custom, epid: server2022 }, NOW), []);
    // The built-in product the same key does not cover still fails.
    assert.deepEqual(check(server2022, 'windows-server-2025'), [
      ['failed', 'the Windows Server 2022 host key does not cover Windows Server 2025'],
    ]);
  });

  it('an Office answer carrying a Windows host key (py-kms) fails', () => {
    assert.deepEqual(check(SERVER_2019, 'office-2019'), [
      [
        'failed',
        'Office 2019 was answered with the Windows Server 2019 host key, which serves another application',
      ],
    ]);
  });

  it('each part that disagrees is named: platform, channel, key block, install date', () => {
    assert.deepEqual(
      check('06401-00206-556-123456-03-1033-17763.0000-0452019', 'windows-server-2019'),
      [['failed', 'platform ID 6401 does not belong to build 17763 (3612 does)']],
    );
    assert.deepEqual(
      check('03612-00206-556-123456-02-1033-17763.0000-0452019', 'windows-server-2019'),
      [['failed', 'channel 2, where a host key has 03']],
    );
    assert.deepEqual(
      check('03612-00206-999-123456-03-1033-17763.0000-0452019', 'windows-server-2019'),
      [['suspicious', 'key ID 999123456 is in no known host key block of group 206']],
    );
    assert.deepEqual(
      check('03612-00206-556-123456-03-1033-17763.0000-0452028', 'windows-server-2019'),
      [['suspicious', 'key install date: installed 2028-02-14, after today (2026-12-01)']],
    );
    assert.deepEqual(check('not an epid', 'windows-server-2019'), [
      ['failed', 'ePID not an epid does not parse'],
    ]);
  });

  it('the verdict is the worst problem over every answer, with the product named', () => {
    const server = findProduct('windows-server-2019')!;
    const office = findProduct('office-2019')!;
    const r = epidConsistency(
      [
        { product: server, epid: SERVER_2019 },
        { product: office, epid: SERVER_2019 },
      ],
      NOW,
    );
    assert.equal(r.verdict, 'failed');
    assert.match(r.evidence, /^office-2019: Office 2019 was answered with the Windows Server 2019/);
  });
});
