// ePIDs: every one in the captures, docs/protocol.md's example, hostile text, and HWID formatting.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KmsDecodeError } from '../../src/kms/errors.js';
import { csvlkHint, formatHwid, parseEpid, parseHwid, tryParseEpid } from '../../src/kms/epid.js';
import { windowsNameForBuild } from '../../src/kms/host-os.js';
import { collectStrings, loadCaptures } from './rpc/vectors.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const captures = loadCaptures();

describe('parseEpid', () => {
  it('decodes every ePID in the captures', () => {
    const epids = collectStrings(captures, 'epid');
    assert.ok(epids.size >= 6, `${epids.size} ePIDs`);
    for (const text of epids) {
      const e = parseEpid(text);
      assert.equal(e.raw, text);
      assert.equal(e.channel, 3);
      assert.equal(e.lcid, 1033);
      assert.ok(e.hostOs, text);
      assert.ok(e.keyInstallDate instanceof Date, text);
    }
  });

  it("decodes vlmcsd's default Windows ePID: Server 2019, day 297 of 2018", () => {
    const e = parseEpid('03612-00206-556-123727-03-1033-17763.0000-2972018');
    assert.equal(e.platformId, 3612);
    assert.equal(e.platform, 'Windows 10 / 11 / Server 2016-2025');
    assert.equal(e.groupId, 206);
    assert.equal(e.keyId, 556123727);
    assert.equal(e.hostBuild, 17763);
    assert.equal(e.hostOs, 'Windows Server 2019 / Windows 10 1809');
    assert.equal(e.keyInstallDate?.toISOString(), '2018-10-24T00:00:00.000Z');
    assert.equal(e.csvlkHint, 'Windows Server 2019');
  });

  it("decodes docs/protocol.md's example and the capture with a fixed ePID", () => {
    const e = parseEpid('06401-00206-271-298329-03-1033-9600.0000-2922017');
    assert.equal(e.platform, 'Windows 8.1 / Server 2012 R2');
    assert.equal(e.hostBuild, 9600);
    assert.equal(e.hostOs, 'Windows Server 2012 R2 / Windows 8.1');
    assert.equal(e.keyInstallDate?.toISOString(), '2017-10-19T00:00:00.000Z');
    assert.equal(e.csvlkHint, 'Windows Server 2012 R2');
  });

  it("hints the CSVLK of vlmcsd's Office ePIDs", () => {
    const hint = (epid: string): string | null => parseEpid(epid).csvlkHint;
    assert.equal(hint('03612-00096-199-799188-03-1033-17763.0000-2972018'), 'Office 2010');
    assert.equal(hint('03612-00206-438-004532-03-1033-17763.0000-2972018'), 'Office 2016');
    assert.equal(hint('03612-00206-684-137669-03-1033-17763.0000-2972018'), 'Office 2019');
    assert.equal(hint('03612-00206-240-719639-03-1033-17763.0000-2972018'), 'Office 2013');
    assert.equal(csvlkHint(4573, 123), 'Windows Server 2022');
    assert.equal(csvlkHint(206, 500_000_000), 'Windows Server 2016');
    assert.equal(csvlkHint(999, 1), null);
    // A key ID outside every block of group 206 names no key.
    assert.equal(csvlkHint(206, 100), null);
    assert.equal(
      parseEpid('03612-00206-556-123727-03-1033-17763.0000-2972018').csvlk?.id,
      'windows-server-2019',
    );
  });

  it('handles leap days and impossible dates', () => {
    assert.equal(
      parseEpid('03612-00206-556-123727-03-1033-20348.0000-3662020').keyInstallDate?.toISOString(),
      '2020-12-31T00:00:00.000Z',
    );
    assert.equal(
      parseEpid('03612-00206-556-123727-03-1033-20348.0000-3662021').keyInstallDate,
      null,
    );
    assert.equal(
      parseEpid('03612-00206-556-123727-03-1033-20348.0000-0002021').keyInstallDate,
      null,
    );
  });

  it('accepts 5-digit LCIDs and short builds', () => {
    const e = parseEpid('55041-00168-305-190596-03-58380-7601.0000-1002010');
    assert.equal(e.lcid, 58380);
    assert.equal(e.hostOs, 'Windows Server 2008 R2 / Windows 7 SP1');
    assert.equal(e.csvlkHint, 'Windows Server 2008 R2');
  });

  it('refuses anything else with KmsDecodeError, and tryParseEpid returns null', () => {
    for (const bad of [
      '',
      'hello',
      '03612-00206-556-123727-03-1033-17763.0000-297201', // date too short
      '03612-00206-556-123727-03-1033-17763-2972018',
      ' 03612-00206-556-123727-03-1033-17763.0000-2972018',
      '03612-00206-556-123727-03-1033-17763.0000-2972018\u0000',
      '9'.repeat(1000),
    ]) {
      assert.throws(() => parseEpid(bad), KmsDecodeError, JSON.stringify(bad));
      assert.equal(tryParseEpid(bad), null);
    }
    assert.throws(() => parseEpid(42), KmsDecodeError);
    assert.equal(tryParseEpid(undefined), null);
  });

  it('throws nothing but KmsDecodeError on random and mutated text', () => {
    const base = [...collectStrings(captures, 'epid')];
    const mutated = fc
      .tuple(fc.constantFrom(...base), fc.nat(), fc.string({ maxLength: 3 }), fc.nat({ max: 3 }))
      .map(([s, at, insert, del]) => {
        const i = at % (s.length + 1);
        return s.slice(0, i) + insert + s.slice(i + del);
      });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.string({ unit: 'binary', maxLength: 80 }),
          mutated,
        ),
        (s) => {
          try {
            const e = parseEpid(s);
            assert.ok(Number.isInteger(e.hostBuild));
          } catch (err) {
            if (!(err instanceof KmsDecodeError)) throw err;
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('windowsNameForBuild', () => {
  it('names the builds of docs/protocol.md', () => {
    assert.equal(windowsNameForBuild(6002), 'Windows Server 2008 / Windows Vista SP2');
    assert.equal(windowsNameForBuild(7601), 'Windows Server 2008 R2 / Windows 7 SP1');
    assert.equal(windowsNameForBuild(9200), 'Windows Server 2012 / Windows 8');
    assert.equal(windowsNameForBuild(14393), 'Windows Server 2016 / Windows 10 1607');
    assert.equal(windowsNameForBuild(20348), 'Windows Server 2022');
    assert.equal(windowsNameForBuild(22000), 'Windows 11 21H2');
    assert.equal(windowsNameForBuild(26100), 'Windows Server 2025 / Windows 11 24H2');
  });

  it('falls back to the family of the range', () => {
    assert.equal(windowsNameForBuild(18950), 'Windows 10 family (build 18950)');
    assert.equal(windowsNameForBuild(23000), 'Windows 11 family (build 23000)');
    assert.equal(windowsNameForBuild(27000), 'Windows 11 / Server 2025 or later (build 27000)');
    assert.equal(windowsNameForBuild(5000), null);
    assert.equal(windowsNameForBuild(1.5), null);
  });
});

describe('HWID', () => {
  it('formats 8 bytes as 16 uppercase hex digits in byte order', () => {
    assert.equal(formatHwid(Buffer.from('3a1c049600b60076', 'hex')), '3A1C049600B60076');
    assert.equal(formatHwid(Buffer.from('ff364f463a8863d35f', 'hex'), 1), '364F463A8863D35F');
    assert.throws(() => formatHwid(Buffer.alloc(7)), KmsDecodeError);
  });

  it('parses the forms vlmcsd and vlmcs print', () => {
    assert.equal(parseHwid('36 4F 46 3A 88 63 D3 5F').toString('hex'), '364f463a8863d35f');
    assert.equal(formatHwid(parseHwid('3A1C049600B60076')), '3A1C049600B60076');
    assert.throws(() => parseHwid('3A1C0496'), KmsDecodeError);
    assert.throws(() => parseHwid('zz1C049600B60076'), KmsDecodeError);
  });
});
