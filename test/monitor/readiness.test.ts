// Planned products (docs/coverage.md §7) on hand-built views: probed like the others but
// never today's verdict; per domain ready or not, with the shortest fix the coverage model
// finds among the published hosts; and every configured product's verdict per host.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/monitor/evaluate.js';
import {
  domain,
  host,
  product,
  record,
  refused,
  resolver,
  tcp,
  view,
} from '../web/status-page-views.js';

type ViewHost = ReturnType<typeof host>;

// Server 2022 key on Server 2016 (14393), Office LTSC 2021 key on it: docs/coverage.md §3.
const OLD_WINDOWS = '03612-04573-012-100001-03-1033-14393.0000-0452022';
const OLD_OFFICE = '03612-00206-580-300001-03-1033-14393.0000-0452022';
// The Server 2025 key on Server 2022 (20348).
const KEY_2025_ON_2022 = '03612-04919-012-100002-03-1033-20348.0000-0152025';

const PRODUCTS = [
  { product: 'windows-server-2022', threshold: 5 },
  { product: 'office-ltsc-2021', threshold: 5 },
  { product: 'office-ltsc-2024', threshold: 5, planned: true as const },
  { product: 'windows-server-2025', threshold: 5, planned: true as const },
];

function kms(name: string, n: number, results: ViewHost['products']): ViewHost {
  const address = `127.0.1.${n}`;
  return {
    ...host(name, ['a.test']),
    addresses: [address],
    tcp: { ...tcp(name, 1688, true), address },
    reachability: [{ ...tcp(name, 1688, true), address }],
    products: results,
  };
}

function answer(name: string, slug: string, epid: string, hwid: string) {
  return product(name, 1688, slug, { epid, hwid, activeClients: 10, threshold: 5 });
}

function estate(hosts: ViewHost[]) {
  return view([domain('a.test', [resolver(hosts.map((h) => record(h.host)))])], hosts, {
    products: PRODUCTS,
  });
}

function oldHost(name: string, n: number): ViewHost {
  const hwid = `1AB0C0FFEE00000${n}`;
  return kms(name, n, [
    answer(name, 'windows-server-2022', OLD_WINDOWS, hwid),
    answer(name, 'office-ltsc-2021', OLD_OFFICE, hwid),
    refused(name, 1688, 'office-ltsc-2024'),
    refused(name, 1688, 'windows-server-2025'),
  ]);
}

describe('readiness of planned products', () => {
  it('refused planned products do not make today red: a warning each, with the fix', () => {
    const e = evaluate(estate([oldHost('kms1.a.test', 1), oldHost('kms2.a.test', 2)]));
    assert.equal(e.status, 'warning');
    assert.equal(e.domainStatus.get('a.test'), 'warning');
    assert.deepEqual(
      e.verdicts.map((v) => v.product),
      ['windows-server-2022', 'office-ltsc-2021'],
      'planned products have no verdict of today',
    );
    assert.deepEqual(
      e.problems.map((p) => [p.code, p.product]),
      [
        ['planned_not_ready', 'office-ltsc-2024'],
        ['planned_not_ready', 'windows-server-2025'],
      ],
    );
    const office = e.readiness.find((r) => r.product === 'office-ltsc-2024');
    assert.equal(office?.ready, false);
    assert.equal(
      office?.fix,
      'Office LTSC 2024 cannot be hosted on Windows Server 2016 (14393): needs Windows Server 2022 or later, or Windows 10 or later',
    );
    const server = e.readiness.find((r) => r.product === 'windows-server-2025');
    assert.match(server?.fix ?? '', /Windows Server 2025 cannot be hosted on Windows Server 2016/);
  });

  it('the shortest fix wins: a missing update before a new host OS', () => {
    const patched = kms('kms2.a.test', 2, [
      answer('kms2.a.test', 'windows-server-2022', KEY_2025_ON_2022, '1AB0C0FFEE000002'),
      answer(
        'kms2.a.test',
        'office-ltsc-2021',
        OLD_OFFICE.replace('14393', '20348'),
        '1AB0C0FFEE000002',
      ),
      refused('kms2.a.test', 1688, 'windows-server-2025'),
      answer(
        'kms2.a.test',
        'office-ltsc-2024',
        '03612-00206-600-300002-03-1033-20348.0000-0152025',
        '1AB0C0FFEE000002',
      ),
    ]);
    const e = evaluate(estate([oldHost('kms1.a.test', 1), patched]));
    const server = e.readiness.find((r) => r.product === 'windows-server-2025');
    assert.equal(server?.ready, false);
    assert.equal(server?.fixHost, 'kms2.a.test:1688');
    assert.equal(server?.fix, 'install KB5034765');
    assert.ok(
      server?.reasons.some((r) => /cannot see installed updates/.test(r)),
      'a missing update is an inference, and the text says so',
    );
    const office = e.readiness.find((r) => r.product === 'office-ltsc-2024');
    assert.deepEqual([office?.ready, office?.workingHosts], [true, 1]);
    const cells = e.coverage.find((c) => c.host === 'kms2.a.test:1688')?.cells ?? [];
    assert.deepEqual(
      cells.map((c) => [c.product, c.verdict, c.reason]),
      [
        ['windows-server-2022', 'activates', null],
        ['office-ltsc-2021', 'activates', null],
        ['office-ltsc-2024', 'activates', null],
        ['windows-server-2025', 'refused', 'needs-update'],
      ],
    );
  });

  it('a planned product that activates leaves the domain OK', () => {
    const good = (name: string, n: number) => {
      const hwid = `1AB0C0FFEE00000${n}`;
      return kms(name, n, [
        answer(name, 'windows-server-2022', KEY_2025_ON_2022, hwid),
        answer(name, 'office-ltsc-2021', OLD_OFFICE.replace('14393', '20348'), hwid),
        answer(name, 'office-ltsc-2024', '03612-00206-600-300002-03-1033-20348.0000-0152025', hwid),
        answer(name, 'windows-server-2025', KEY_2025_ON_2022, hwid),
      ]);
    };
    const e = evaluate(estate([good('kms1.a.test', 1), good('kms2.a.test', 2)]));
    assert.equal(e.status, 'ok');
    assert.deepEqual(
      e.readiness.map((r) => [r.product, r.ready]),
      [
        ['office-ltsc-2024', true],
        ['windows-server-2025', true],
      ],
    );
  });

  it('a custom product without group: is unknown to the model; with one it is reasoned about', () => {
    const products = [
      { product: 'lab-x', threshold: 5 },
      { product: 'lab-y', threshold: 5, group: 'windows-server-2022' },
    ];
    const h = kms('kms1.a.test', 1, [
      answer('kms1.a.test', 'lab-x', OLD_WINDOWS, '1AB0C0FFEE000001'),
      refused('kms1.a.test', 1688, 'lab-y'),
    ]);
    const v = view([domain('a.test', [resolver([record(h.host)])])], [h], { products });
    const cells = evaluate(v).coverage[0]?.cells ?? [];
    assert.deepEqual(
      cells.map((c) => [c.product, c.verdict, c.group]),
      [
        ['lab-x', 'unknown', null],
        ['lab-y', 'refused', 'windows-server-2022'],
      ],
    );
  });
});
