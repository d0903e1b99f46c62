// The helpers the trust checks share with the matrix, and the exact fix texts of the
// issue's examples, written out by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  coverageMatrix,
  csvlkCovers,
  csvlkHostableOn,
  csvlkServesApplication,
  findCsvlk,
  keyInstallDateVerdict,
  type ProbeOutcome,
} from '../../../src/kms/coverage/index.js';
import { expectedPlatformId, parseEpid } from '../../../src/kms/epid.js';
import { hostOsOf } from '../../../src/kms/host-os.js';
import { findProduct } from '../../../src/kms/products/index.js';

const key = (id: string) => findCsvlk(id)!;
const product = (slug: string) => findProduct(slug)!;
const answered = (epid: string): ProbeOutcome => ({ status: 'answered', epid: parseEpid(epid) });
const REFUSED: ProbeOutcome = { status: 'refused' };

function text(probes: [string, ProbeOutcome][], slug: string): string {
  return coverageMatrix(new Map(probes), [product(slug)]).verdicts[0]!.text;
}

describe('fix texts (the issue examples)', () => {
  it('a Server 2019 key asked for Server 2025', () => {
    assert.equal(
      text(
        [
          ['windows-server-2019', answered('03612-00206-556-123727-03-1033-17763.0000-2972018')],
          ['windows-server-2025', REFUSED],
        ],
        'windows-server-2025',
      ),
      'host key Windows Server 2019 does not cover Windows Server 2025: install the Windows Server 2025 CSVLK ' +
        'after KB5034768 (or a later cumulative update); this host runs Windows Server 2019 (17763), which can host it',
    );
  });

  it('Office LTSC 2024 on a Server 2016 host', () => {
    assert.equal(
      text(
        [
          ['windows-server-2016', answered('03612-00206-500-000000-03-1033-14393.0000-3002016')],
          ['office-2016', answered('03612-00206-438-004532-03-1033-14393.0000-3002016')],
          ['office-ltsc-2024', REFUSED],
        ],
        'office-ltsc-2024',
      ),
      'host key Office 2016 does not cover Office LTSC 2024: Office LTSC 2024 cannot be hosted on ' +
        'Windows Server 2016 (14393): needs Windows Server 2022 or later, or Windows 10 or later',
    );
  });

  it('a Server 2022 host with the 2025 key but without KB5034765', () => {
    assert.equal(
      text(
        [
          ['windows-server-2022', answered('03612-04919-000-000123-03-1033-20348.0000-3202024')],
          ['windows-server-2025', REFUSED],
        ],
        'windows-server-2025',
      ),
      'host key Windows Server 2025 covers Windows Server 2025, but Windows Server 2022 (20348) needs KB5034765 ' +
        'to activate it: install KB5034765 (or a later cumulative update)',
    );
  });

  it('a shared build read as a server, and saying so', () => {
    assert.equal(
      text(
        [
          ['office-2016', answered('03612-00206-438-004532-03-1033-14393.0000-3002016')],
          ['office-ltsc-2024', REFUSED],
        ],
        'office-ltsc-2024',
      ),
      'host key Office 2016 does not cover Office LTSC 2024: Office LTSC 2024 cannot be hosted on Windows Server 2016 ' +
        '(14393; assumed, build 14393 is also Windows 10): needs Windows Server 2022 or later, or Windows 10 or later',
    );
  });

  it('Office 2016 needs Windows 7 SP1, and Office LTSC 2024 on a Server 2022 host names its pack', () => {
    assert.equal(
      text(
        [
          ['windows-7', answered('55041-00206-400-000000-03-1033-7600.0000-3002015')],
          ['office-2016', REFUSED],
        ],
        'office-2016',
      ),
      'no Office 2013+ host key answered a probe: Office 2016 cannot be hosted on Windows 7 (7600): ' +
        'needs Windows Server 2008 R2 or later, or Windows 7 SP1 or later',
    );
    assert.equal(
      text(
        [
          ['windows-server-2022', answered('03612-04573-000-040000-03-1033-20348.0000-3002021')],
          ['office-ltsc-2024', REFUSED],
        ],
        'office-ltsc-2024',
      ),
      'no Office 2013+ host key answered a probe: install the Office LTSC 2024 Volume License Pack ' +
        '(https://www.microsoft.com/download/details.aspx?id=106246) and the Office LTSC 2024 CSVLK; ' +
        'this host runs Windows Server 2022 (20348), which can host it',
    );
  });

  it('Office 2010 cannot be hosted on Server 2008', () => {
    assert.equal(
      text(
        [
          ['windows-server-2008-b', answered('55041-00152-305-190596-03-1033-6002.0000-1002009')],
          ['office-2010', REFUSED],
        ],
        'office-2010',
      ),
      'no Office 2010 host key answered a probe: Office 2010 cannot be hosted on Windows Server 2008 (6002): ' +
        'needs Windows Server 2003 or Windows Server 2008 R2, or Windows 7',
    );
  });
});

describe('facts for the trust checks', () => {
  it('covers: per application, retail never, unknown where the sources are silent', () => {
    assert.equal(
      csvlkCovers(key('windows-server-2022'), product('windows-server-2022')).status,
      'covered',
    );
    assert.equal(
      csvlkCovers(key('windows-server-2022'), product('office-2016')).status,
      'not-covered',
    );
    assert.equal(csvlkCovers(key('office-2019'), product('windows-10-11')).status, 'not-covered');
    assert.equal(
      csvlkCovers(key('windows-server-2025'), product('windows-10-11-retail')).status,
      'not-covered',
    );
    assert.equal(
      csvlkCovers(key('windows-10-2019-lab'), product('windows-10-11-retail')).status,
      'covered',
    );
    assert.equal(csvlkCovers(key('windows-server-2019'), product('windows-8')).status, 'unknown');
    assert.deepEqual(
      csvlkCovers(key('windows-server-2019'), product('windows-server-2019')).sources,
      ['WSD-PLAN'],
    );
  });

  it('an Office answer must carry an Office key', () => {
    assert.equal(csvlkServesApplication(key('office-2016'), 'office-2013+'), true);
    assert.equal(csvlkServesApplication(key('windows-server-2019'), 'office-2013+'), false);
    assert.equal(csvlkServesApplication(key('office-2010'), 'office-2013+'), false);
  });

  it('hostable: the permissive reading of a shared build, and nothing proven on an unknown build', () => {
    // vlmcsd's default: a Server 2019 key on build 6002 (Server 2008 / Vista).
    assert.equal(csvlkHostableOn(key('windows-server-2019'), 6002).status, 'no');
    assert.equal(csvlkHostableOn(key('windows-server-2019'), 17763).status, 'yes');
    assert.equal(csvlkHostableOn(key('windows-server-2019'), 17763, 'client').status, 'no');
    assert.equal(csvlkHostableOn(key('office-ltsc-2024'), 14393).status, 'yes'); // as Windows 10 1607
    assert.equal(csvlkHostableOn(key('office-ltsc-2024'), 14393, 'server').status, 'no');
    assert.equal(csvlkHostableOn(key('windows-server-2025-azure'), 26100).status, 'no');
    assert.equal(csvlkHostableOn(key('windows-server-2025'), 21000).status, 'unknown');
    assert.equal(csvlkHostableOn(key('windows-server-2012-r2'), 9600).status, 'unknown');
  });

  it('key install dates: not before the key or the build (90 days grace), not in the future', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const d = (s: string): Date => new Date(`${s}T00:00:00Z`);
    assert.equal(
      keyInstallDateVerdict(d('2024-09-01'), key('windows-server-2025'), 26100, now).status,
      'plausible',
    );
    // 2025 key released 2024-11-01: 90 days earlier is 2024-08-03.
    assert.equal(
      keyInstallDateVerdict(d('2024-08-03'), key('windows-server-2025'), 26100, now).status,
      'plausible',
    );
    assert.equal(
      keyInstallDateVerdict(d('2024-08-02'), key('windows-server-2025'), 26100, now).status,
      'before-release',
    );
    // Build 17763 released 2018-10-02 bounds an undated key: 2018-07-04 is the earliest.
    assert.equal(
      keyInstallDateVerdict(d('2018-07-03'), key('office-2016'), 17763, now).status,
      'before-release',
    );
    assert.equal(
      keyInstallDateVerdict(d('2018-07-04'), key('office-2016'), 17763, now).status,
      'plausible',
    );
    assert.equal(keyInstallDateVerdict(d('2026-12-03'), null, 17763, now).status, 'in-future');
    assert.equal(keyInstallDateVerdict(d('2026-12-02'), null, 17763, now).status, 'plausible');
    assert.equal(keyInstallDateVerdict(null, null, 17763, now).status, 'invalid');
    assert.equal(keyInstallDateVerdict(d('2001-01-01'), null, 5000, now).status, 'plausible');
  });

  it('platform IDs by build', () => {
    for (const [build, id] of [
      [6002, 55041],
      [7601, 55041],
      [9200, 5426],
      [9600, 6401],
      [10240, 3612],
      [26100, 3612],
      [9999, null],
      [5000, null],
    ] as const) {
      assert.equal(expectedPlatformId(build), id, String(build));
    }
  });

  it('host OS readings', () => {
    assert.equal(hostOsOf(17763)?.server?.name, 'Windows Server 2019');
    assert.equal(hostOsOf(17763)?.client?.name, 'Windows 10');
    assert.equal(hostOsOf(20348)?.client, null);
    assert.equal(hostOsOf(25398)?.client, null);
    assert.equal(hostOsOf(22631)?.server, null);
    assert.equal(hostOsOf(3790)?.server?.id, 'server-2003');
    assert.equal(hostOsOf(19045)?.earliestRelease?.toISOString().slice(0, 10), '2018-10-02');
    assert.equal(hostOsOf(5000), null);
  });
});
