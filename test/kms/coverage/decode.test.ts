// The CSVLK an ePID names: every key block of docs/coverage.md §3 at both ends and just
// outside, written out by hand from the facts (not read from the model's table).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCsvlk, isKnownCsvlkGroup } from '../../../src/kms/coverage/index.js';
import { parseEpid } from '../../../src/kms/epid.js';

/** [group, first key ID, last key ID, CSVLK id]. */
const BLOCKS: [number, number, number, string][] = [
  [96, 199_000_000, 217_999_999, 'office-2010'],
  [206, 234_000_000, 255_999_999, 'office-2013'],
  [206, 256_000_000, 265_999_999, 'windows-10-2019'],
  [206, 2_855_000, 2_859_999, 'windows-10-2019'],
  [206, 271_000_000, 310_999_999, 'windows-server-2012-r2'],
  [206, 437_000_000, 458_999_999, 'office-2016'],
  [206, 491_000_000, 530_999_999, 'windows-server-2016'],
  [206, 551_000_000, 570_999_999, 'windows-server-2019'],
  [206, 571_000_000, 590_999_999, 'office-ltsc-2021'],
  [206, 591_000_000, 610_999_999, 'office-ltsc-2024'],
  [206, 666_000_000, 685_999_999, 'office-2019'],
  [206, 531_000_000, 545_999_999, 'windows-10-2016'],
  [206, 2_010_000, 2_014_999, 'windows-10-2016'],
  [206, 2_115_000, 2_814_999, 'windows-10-2016'],
  [206, 390_000_000, 404_999_999, 'windows-10-2015'],
  [206, 10_024_000, 10_028_999, 'windows-10-2015'],
  [206, 192_500_000, 193_199_999, 'windows-10-2015'],
  [206, 2_865_000, 2_874_999, 'windows-server-2019-azure'],
  [206, 2_835_000, 2_854_999, 'windows-server-2019-lab'],
  [206, 2_860_000, 2_864_999, 'windows-10-2019-lab'],
  [206, 2_015_000, 2_114_999, 'windows-10-2016-lab'],
  [206, 10_700_000, 10_799_999, 'windows-10-2015-lab'],
  [3858, 15_000_000, 999_999_999, 'windows-10-china-government'],
  [4573, 0, 19_999, 'windows-server-2022'],
  [4573, 30_000, 20_029_999, 'windows-server-2022'],
  [4574, 0, 49_999, 'windows-server-2022-azure'],
  [4575, 0, 49_999, 'windows-server-2022-lab'],
  [4918, 0, 49_999, 'windows-server-2025-azure'],
  [4919, 0, 20_019_999, 'windows-server-2025'],
  [4920, 0, 49_999, 'windows-server-2025-lab'],
];

/** Just outside each block: what sits there, by hand (null: no key). */
const OUTSIDE: [number, number, string | null][] = [
  [96, 198_999_999, null],
  [96, 218_000_000, null],
  [206, 233_999_999, null],
  [206, 266_000_000, null],
  [206, 2_854_999, 'windows-server-2019-lab'],
  [206, 2_834_999, null],
  [206, 2_860_000, 'windows-10-2019-lab'],
  [206, 2_865_000, 'windows-server-2019-azure'],
  [206, 2_875_000, null],
  [206, 270_999_999, null],
  [206, 311_000_000, null],
  [206, 436_999_999, null],
  [206, 459_000_000, null],
  [206, 490_999_999, null],
  [206, 531_000_000, 'windows-10-2016'],
  [206, 546_000_000, null],
  [206, 550_999_999, null],
  [206, 571_000_000, 'office-ltsc-2021'],
  [206, 591_000_000, 'office-ltsc-2024'],
  [206, 611_000_000, null],
  [206, 665_999_999, null],
  [206, 686_000_000, null],
  [206, 2_009_999, null],
  [206, 2_015_000, 'windows-10-2016-lab'],
  [206, 2_115_000, 'windows-10-2016'],
  [206, 2_815_000, null],
  [206, 389_999_999, null],
  [206, 405_000_000, null],
  [206, 10_023_999, null],
  [206, 10_029_000, null],
  [206, 192_499_999, null],
  [206, 193_200_000, null],
  [206, 10_699_999, null],
  [206, 10_800_000, null],
  [3858, 14_999_999, null],
  // Server 2022's hole between its two blocks.
  [4573, 20_000, null],
  [4573, 29_999, null],
  [4573, 20_030_000, null],
  [4574, 50_000, null],
  [4575, 50_000, null],
  [4918, 50_000, null],
  [4919, 20_020_000, null],
  [4920, 50_000, null],
  [999, 1, null],
];

describe('decodeCsvlk', () => {
  it('names the key at both ends of every block', () => {
    for (const [group, low, high, id] of BLOCKS) {
      assert.equal(decodeCsvlk(group, low)?.id, id, `${group}/${low}`);
      assert.equal(decodeCsvlk(group, high)?.id, id, `${group}/${high}`);
    }
  });

  it('names the neighbour, or nothing, just outside every block', () => {
    for (const [group, keyId, id] of OUTSIDE) {
      assert.equal(decodeCsvlk(group, keyId)?.id ?? null, id, `${group}/${keyId}`);
    }
  });

  it('names the pre-2012 keys by group alone', () => {
    for (const [group, id] of [
      [152, 'windows-server-2008'],
      [168, 'windows-server-2008-r2'],
      [172, 'windows-7'],
    ] as const) {
      assert.equal(decodeCsvlk(group, 0)?.id, id);
      assert.equal(decodeCsvlk(group, 999_999_999)?.id, id);
    }
    assert.equal(isKnownCsvlkGroup(206), true);
    assert.equal(isKnownCsvlkGroup(999), false);
  });

  it('decodes through parseEpid (vlmcsd defaults and docs/protocol.md examples)', () => {
    const id = (epid: string): string | undefined => parseEpid(epid).csvlk?.id;
    assert.equal(id('03612-00206-556-123727-03-1033-17763.0000-2972018'), 'windows-server-2019');
    assert.equal(id('06401-00206-271-298329-03-1033-9600.0000-2922017'), 'windows-server-2012-r2');
    assert.equal(id('03612-00096-199-799188-03-1033-17763.0000-2972018'), 'office-2010');
    assert.equal(id('03612-00206-240-719639-03-1033-17763.0000-2972018'), 'office-2013');
    assert.equal(id('03612-04573-000-030000-03-1033-20348.0000-2502021'), 'windows-server-2022');
    assert.equal(id('03612-04573-000-025000-03-1033-20348.0000-2502021'), undefined);
  });
});
