// The one evaluation, situation by situation, on hand-built status views (no sockets): the
// working-host rule (reachable now, answered, count ≥ N), CRITICAL for a domain where no
// host works whatever the reason, machines counted once, every address, stale records,
// and a verdict for every configured domain and product.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/monitor/evaluate.js';
import { FINDINGS, FINDING_CODES } from '../../src/monitor/findings.js';
import type { TcpProbeResult } from '../../src/kms/client/result.js';
import { domain, host, product, record, resolver, tcp, view } from '../web/status-page-views.js';

type ViewHost = ReturnType<typeof host>;

/** A host that is its own machine: its own address and hardware ID. */
function machine(name: string, n: number, over: Partial<ViewHost> = {}): ViewHost {
  const address = `127.0.1.${n}`;
  const base = host(name, ['a.test']);
  return {
    ...base,
    addresses: [address],
    tcp: { ...tcp(name, 1688, true), address },
    reachability: [{ ...tcp(name, 1688, true), address }],
    products: ['lab-windows'].map((slug) =>
      product(name, 1688, slug, { hwid: `1AB0C0FFEE${String(n).padStart(6, '0')}` }),
    ),
    ...over,
  };
}

const down = (name: string, reason: 'connect_refused' | 'no_address' = 'connect_refused') => {
  const result: TcpProbeResult = {
    ...tcp(name, 1688, false),
    ...(reason === 'no_address'
      ? { address: null, error: { reason, code: null, message: `${name} does not exist` } }
      : {}),
  };
  return { tcp: result, reachability: [result] };
};

function oneDomain(hosts: ViewHost[], name = 'a.test') {
  return view(
    [domain(name, [resolver(hosts.map((h) => record(h.host)))])],
    hosts.map((h) => ({ ...h, domains: [name] })),
    { products: [{ product: 'lab-windows', threshold: 25 }] },
  );
}

const codes = (e: ReturnType<typeof evaluate>) => e.problems.map((p) => p.code).sort();

describe('evaluate', () => {
  it('a host down now is not working, whatever its last exchange said (was WARNING)', () => {
    const e = evaluate(oneDomain([machine('kms1.a.test', 1, down('kms1.a.test'))]));
    assert.equal(e.status, 'critical');
    assert.deepEqual(codes(e), ['host_down', 'no_working_host', 'single_host']);
    assert.deepEqual(e.verdicts, [
      { domain: 'a.test', product: 'lab-windows', workingHosts: 0, status: 'critical' },
    ]);
    assert.equal(e.domainStatus.get('a.test'), 'critical');
  });

  it('a domain whose only host counts below N is CRITICAL, and the headline says why', () => {
    const lonely = machine('kms1.lonely.test', 1, {
      products: [product('kms1.lonely.test', 1688, 'lab-windows', { activeClients: 12 })],
    });
    const e = evaluate(oneDomain([lonely], 'lonely.test'));
    assert.equal(e.status, 'critical');
    const headline = e.problems.find((p) => p.code === 'all_below_threshold');
    assert.equal(
      headline?.message,
      'no host in lonely.test can activate lab-windows: the only host: kms1.lonely.test:1688 counts 12 of 25 (0xC004F038)',
    );
    assert.equal(headline?.severity, 'critical');
    assert.equal(e.verdicts[0]?.workingHosts, 0);
  });

  it('three names of one address and port are one machine: a single host', () => {
    const names = ['kms1.a.test', 'kms2.a.test', 'alias.a.test'];
    const e = evaluate(oneDomain(names.map((n) => machine(n, 7))));
    assert.deepEqual(codes(e), ['single_host']);
    assert.match(e.problems[0]!.message, /3 names for one KMS machine/);
    assert.equal(e.verdicts[0]?.workingHosts, 1);
  });

  it('two addresses answering with one ePID and hardware ID are one machine', () => {
    const a = machine('kms1.a.test', 1);
    const b = machine('kms2.a.test', 2, {
      products: a.products.map((p) => ({ ...p, host: 'kms2.a.test' })),
    });
    assert.deepEqual(codes(evaluate(oneDomain([a, b]))), ['single_host']);
  });

  it('two machines working: OK, two working hosts', () => {
    const e = evaluate(oneDomain([machine('kms1.a.test', 1), machine('kms2.a.test', 2)]));
    assert.equal(e.status, 'ok');
    assert.deepEqual(e.problems, []);
    assert.equal(e.verdicts[0]?.workingHosts, 2);
  });

  it('a dead address beside a live one: up and working, the dead address is a finding', () => {
    const name = 'dual.a.test';
    const dead = { ...tcp(name, 1688, false), address: '127.0.0.77' };
    const live = { ...tcp(name, 1688, true), address: '::1' };
    const dual = machine(name, 1, {
      addresses: ['127.0.0.77', '::1'],
      tcp: live,
      reachability: [dead, live],
    });
    const e = evaluate(oneDomain([dual, machine('kms2.a.test', 2)]));
    assert.deepEqual(codes(e), ['address_unreachable']);
    assert.match(
      e.problems[0]!.message,
      /127\.0\.0\.77 \(connect_refused\) does not accept connections; ::1 does/,
    );
    assert.equal(e.verdicts[0]?.workingHosts, 2);
  });

  it('a published target without an address is a stale record, and cannot work', () => {
    const e = evaluate(
      oneDomain([
        machine('gone.a.test', 1, down('gone.a.test', 'no_address')),
        machine('kms2.a.test', 2),
      ]),
    );
    assert.deepEqual(codes(e), ['srv_target_unresolvable']);
    assert.equal(e.verdicts[0]?.workingHosts, 1);
  });

  it('every configured domain has a verdict, also with no record or a failing lookup', () => {
    const v = view(
      [
        domain('norecord.test', [resolver([], { rcode: 'NXDOMAIN' })]),
        domain('failing.test', [
          resolver([], {
            success: false,
            rcode: null,
            error: { reason: 'timeout', message: 'no answer' },
          }),
        ]),
      ],
      [],
      {
        products: [
          { product: 'lab-windows', threshold: 25 },
          { product: 'lab-office', threshold: 5 },
        ],
      },
    );
    const e = evaluate(v);
    assert.deepEqual(
      e.verdicts.map((x) => [x.domain, x.product, x.workingHosts, x.status]),
      [
        ['norecord.test', 'lab-windows', 0, 'critical'],
        ['norecord.test', 'lab-office', 0, 'critical'],
        ['failing.test', 'lab-windows', 0, 'critical'],
        ['failing.test', 'lab-office', 0, 'critical'],
      ],
    );
    assert.deepEqual(codes(e), ['srv_lookup_failing', 'srv_missing']);
  });

  it('every finding comes from the catalogue, with its severity', () => {
    const e = evaluate(oneDomain([machine('kms1.a.test', 1, down('kms1.a.test'))]));
    for (const p of e.problems) {
      assert.ok(FINDING_CODES.includes(p.code));
      assert.equal(p.severity, FINDINGS[p.code].severity);
    }
    for (const code of FINDING_CODES) {
      assert.ok(FINDINGS[code].meaning.length > 0 && FINDINGS[code].fix.length > 0, code);
    }
  });
});
