/**
 * Every failure reason, produced by the fault server, asserted by name; and no lookup may
 * leave a socket or timer behind, whatever went wrong.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import {
  DnsClient,
  DnsFailure,
  discoverAll,
  lookupSrv,
  type LookupOptions,
  type SrvLookupResult,
} from '../../src/dns/index.js';
import { faultDomain, startFaultServer, type FaultServer } from '../fixtures/dns-fault-zones.js';
import { withoutLeaks } from '../helpers/leaks.js';

const TIMEOUT_MS = 300;

let server: FaultServer;
let tcpless: FaultServer;

before(async () => {
  server = await startFaultServer();
  tcpless = await startFaultServer({ tcp: false });
});
after(async () => {
  await server.close();
  await tcpless.close();
});

async function lookup(
  mode: string,
  extra: Partial<LookupOptions> = {},
  at = server,
): Promise<SrvLookupResult> {
  const results = await withoutLeaks(() =>
    lookupSrv(faultDomain(mode), {
      resolvers: [{ address: at.address, port: at.port }],
      timeoutMs: TIMEOUT_MS,
      ...extra,
    }),
  );
  assert.equal(results.length, 1);
  return results[0]!;
}

function assertFailure(result: SrvLookupResult, reason: string, pattern?: RegExp): void {
  assert.equal(result.success, false, `expected a failure, got ${JSON.stringify(result)}`);
  assert.equal(result.error?.reason, reason, JSON.stringify(result.error));
  if (pattern) assert.match(result.error?.message ?? '', pattern);
  assert.deepEqual(result.records, []);
}

async function closedUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

describe('answers the resolver gives', () => {
  it('ok: records in RFC 2782 order, the addresses taken from the glue', async () => {
    const result = await lookup('ok');
    assert.equal(result.success, true);
    assert.equal(result.rcode, 'NOERROR');
    assert.equal(result.error, null);
    assert.equal(result.transport, 'udp');
    assert.equal(result.ttl, 300);
    assert.deepEqual(
      result.records.map((r) => [r.host, r.port, r.priority, r.weight, r.addresses]),
      [
        ['kms1.ok.fault.test', 1688, 0, 100, ['127.0.10.1', '127.0.10.2', 'fd00::10:1']],
        ['kms2.ok.fault.test', 1688, 10, 0, ['127.0.10.3']],
      ],
    );
    // The glue held every address but kms2's IPv6 one: only that was asked for.
    const asked = server.received.filter(
      (q) => q.name.startsWith('kms') && q.name.endsWith('.ok.fault.test'),
    );
    assert.deepEqual(
      asked.map((q) => `${q.name} ${q.type}`),
      ['kms2.ok.fault.test AAAA'],
    );
  });

  it('an answer without glue: the addresses of every target are asked for', async () => {
    const result = await lookup('noglue');
    assert.deepEqual(
      result.records.map((r) => [r.host, r.addresses]),
      [
        ['kms1.noglue.fault.test', ['127.0.10.1', '127.0.10.2', 'fd00::10:1']],
        ['kms2.noglue.fault.test', ['127.0.10.3']],
      ],
    );
    const asked = server.received.filter(
      (q) => q.name.startsWith('kms') && q.name.endsWith('.noglue.fault.test'),
    );
    assert.deepEqual(asked.map((q) => `${q.name} ${q.type}`).sort(), [
      'kms1.noglue.fault.test A',
      'kms1.noglue.fault.test AAAA',
      'kms2.noglue.fault.test A',
      'kms2.noglue.fault.test AAAA',
    ]);
  });

  it('servfail', async () => {
    const result = await lookup('servfail');
    assertFailure(result, 'servfail');
    assert.equal(result.rcode, 'SERVFAIL');
  });

  it('refused', async () => {
    const result = await lookup('refused');
    assertFailure(result, 'refused');
    assert.equal(result.rcode, 'REFUSED');
  });

  it('formerr, also when the server leaves the question out', async () => {
    assertFailure(await lookup('formerr'), 'formerr');
    const bare = await lookup('formerr-noquestion');
    assertFailure(bare, 'formerr');
    assert.equal(bare.rcode, 'FORMERR');
  });

  it('another error rcode (NOTIMP) counts as servfail and keeps its rcode', async () => {
    const result = await lookup('notimp');
    assertFailure(result, 'servfail', /NOTIMP/);
    assert.equal(result.rcode, 'NOTIMP');
  });

  it('nxdomain is an answer: success, no records, negative TTL from the SOA', async () => {
    const result = await lookup('nxdomain');
    assert.equal(result.success, true);
    assert.equal(result.rcode, 'NXDOMAIN');
    assert.equal(result.error?.reason, 'nxdomain');
    assert.equal(result.ttl, 30);
    assert.deepEqual(result.records, []);
  });

  it('NOERROR without SRV data: success, no records, no error', async () => {
    const result = await lookup('nodata');
    assert.equal(result.success, true);
    assert.equal(result.error, null);
    assert.deepEqual(result.records, []);
  });

  it('a server without EDNS (FORMERR to OPT) is asked again without it', async () => {
    const result = await lookup('noedns');
    assert.equal(result.success, true);
    assert.equal(result.records.length, 2);
    const asked = server.received.filter((q) => q.name === '_vlmcs._tcp.noedns.fault.test');
    assert.deepEqual(
      asked.map((q) => q.edns),
      [true, false],
    );
  });
});

describe('silence, noise and broken bytes', () => {
  it('timeout: silence until the deadline, after the allowed retransmissions', async () => {
    const started = performance.now();
    const result = await lookup('timeout');
    const elapsed = performance.now() - started;
    assertFailure(result, 'timeout', /2 UDP attempt/);
    assert.ok(elapsed >= TIMEOUT_MS - 5 && elapsed < TIMEOUT_MS + 200, `took ${elapsed} ms`);
    assert.equal(
      server.received.filter((q) => q.name === '_vlmcs._tcp.timeout.fault.test').length,
      2,
    );
  });

  it('a lost datagram is retransmitted and the answer to the second send is taken', async () => {
    const result = await lookup('drop-first');
    assert.equal(result.success, true);
    assert.equal(result.records.length, 2);
  });

  it('id_mismatch: answers with another ID are dropped, the client waits, then names them', async () => {
    const started = performance.now();
    const result = await lookup('wrong-id');
    assertFailure(result, 'id_mismatch', /dropped 2 datagram/);
    assert.ok(performance.now() - started >= TIMEOUT_MS - 5, 'must keep waiting until the timeout');
  });

  it('question_mismatch: an answer for another name or another type is dropped', async () => {
    assertFailure(
      await lookup('wrong-question'),
      'question_mismatch',
      /elsewhere\._vlmcs\._tcp\.wrong-question\.fault\.test/,
    );
    assertFailure(await lookup('wrong-type'), 'question_mismatch');
  });

  it('stray and spoofed datagrams before the real answer do not stop the lookup', async () => {
    const result = await lookup('stray-then-good');
    assert.equal(result.success, true);
    assert.ok(result.records.every((r) => !r.host.startsWith('evil')));
    assert.equal(result.records.length, 2);
  });

  it('the question is compared case-insensitively; output names are lower case', async () => {
    const result = await lookup('case');
    assert.equal(result.success, true);
    assert.equal(result.records[0]?.host, 'kms1.case.fault.test');
  });

  it('malformed: garbage after our ID, too-short datagrams and non-responses are dropped and named', async () => {
    assertFailure(await lookup('garbage'), 'malformed', /unreadable/);
    assertFailure(await lookup('short'), 'malformed', /too short/);
    assertFailure(await lookup('not-response'), 'malformed', /not a response/);
  });

  it('malformed: our answer with impossible RDATA ends the lookup at once', async () => {
    const started = performance.now();
    assertFailure(await lookup('badrdata'), 'malformed', /SRV RDATA too short/);
    assert.ok(performance.now() - started < TIMEOUT_MS / 2);
  });

  it('malformed: a compression pointer to itself, and a pointer cycle', async () => {
    assertFailure(await lookup('pointer-loop'), 'malformed', /compression pointer/);
    assertFailure(await lookup('pointer-cycle'), 'malformed', /compression pointer/);
  });

  it('malformed: a header that promises 10,000 records and holds one', async () => {
    assertFailure(await lookup('count-lie'), 'malformed');
  });
});

describe('truncation and TCP', () => {
  it('TC set, TCP works: the TCP answer is used', async () => {
    const result = await lookup('tc-tcp-ok');
    assert.equal(result.success, true);
    assert.equal(result.transport, 'tcp');
    assert.equal(result.records.length, 3);
  });

  it('truncated: TC set and the server closes the TCP connection', async () => {
    assertFailure(await lookup('tc-tcp-close'), 'truncated', /closed the connection/);
  });

  it('truncated: TC set and TCP stays silent until the deadline', async () => {
    assertFailure(await lookup('tc-tcp-silent'), 'truncated', /no TCP answer/);
  });

  it('truncated: TC set and TCP is refused', async () => {
    assertFailure(await lookup('tc-tcp-refused', {}, tcpless), 'truncated', /ECONNREFUSED/);
  });

  it('a huge record set over TCP is cut at the record limit and the excess reported', async () => {
    const result = await lookup('huge', { recordLimit: 20, timeoutMs: 2000 });
    assert.equal(result.success, true);
    assert.equal(result.transport, 'tcp');
    assert.equal(result.records.length, 20);
    assert.ok(result.truncatedRecords > 2000, `only ${result.truncatedRecords} cut`);
    // Addresses were asked only for the records kept.
    assert.ok(result.records.every((r) => r.addresses.length === 1));
  });

  it('a TCP answer longer than the response-size limit is refused as malformed', async () => {
    const client = new DnsClient({ maxResponseBytes: 4096 });
    assertFailure(
      await lookup('huge', { client, timeoutMs: 2000 }),
      'malformed',
      /above the 4096-byte limit/,
    );
  });
});

describe('CNAMEs, "." and duplicates', () => {
  it('a CNAME chain inside one answer is followed; the TTL is the lowest along it', async () => {
    const result = await lookup('cname-inline');
    assert.equal(result.success, true);
    assert.equal(result.records[0]?.host, 'kms1.ok.fault.test');
    assert.equal(result.ttl, 90);
  });

  it('a chain answered one hop at a time is followed by asking again, within the hop limit', async () => {
    const result = await lookup('chain3');
    assert.equal(result.success, true);
    assert.equal(result.records.length, 2);
    assert.equal(result.ttl, 61);
  });

  it('a chain beyond the hop limit, and a CNAME loop, fail as malformed', async () => {
    assertFailure(await lookup('chain12'), 'malformed', /longer than 8 hops/);
    assertFailure(await lookup('chain4', { maxCnameHops: 3 }), 'malformed', /longer than 3 hops/);
    assertFailure(await lookup('loop'), 'malformed', /CNAME loop/);
  });

  it('target "." alone means the service is decidedly not available', async () => {
    const result = await lookup('dot');
    assert.equal(result.success, true);
    assert.equal(result.serviceUnavailable, true);
    assert.deepEqual(result.records, []);
  });

  it('duplicates are merged (case and trailing dot ignored), "." beside real targets ignored', async () => {
    const result = await lookup('dupes');
    assert.deepEqual(
      result.records.map((r) => [r.host, r.priority, r.weight, r.ttl]),
      [
        ['kms1.ok.fault.test', 0, 100, 200],
        ['kms2.ok.fault.test', 0, 100, 300],
        ['kms1.ok.fault.test', 5, 100, 300],
      ],
    );
    assert.equal(result.serviceUnavailable, false);
  });

  it('a target that does not exist is reported on the record as nxdomain (a stale record)', async () => {
    const result = await lookup('stale');
    assert.equal(result.success, true);
    assert.equal(result.records[0]?.addressError?.reason, 'nxdomain');
    assert.deepEqual(result.records[0]?.addresses, []);
  });
});

describe('network errors and resolver strategies', () => {
  it('network: UDP to a closed port (ICMP port unreachable)', async () => {
    const port = await closedUdpPort();
    const result = await withoutLeaks(() =>
      lookupSrv(faultDomain('ok'), {
        resolvers: [{ address: '127.0.0.1', port }],
        timeoutMs: TIMEOUT_MS,
      }),
    );
    assertFailure(result[0]!, 'network', /ECONNREFUSED/);
  });

  it("'each' gives one result per resolver, in order", async () => {
    const port = await closedUdpPort();
    const results = await withoutLeaks(() =>
      lookupSrv(faultDomain('ok'), {
        resolvers: [
          { address: '127.0.0.1', port },
          { address: server.address, port: server.port },
        ],
        timeoutMs: TIMEOUT_MS,
      }),
    );
    assert.deepEqual(
      results.map((r) => [r.resolver, r.success]),
      [
        [`127.0.0.1:${port}`, false],
        [`127.0.0.1:${server.port}`, true],
      ],
    );
  });

  it("'first' moves on from a failing resolver and says which failed", async () => {
    const port = await closedUdpPort();
    const results = await withoutLeaks(() =>
      lookupSrv(faultDomain('ok'), {
        mode: 'first',
        resolvers: [
          { address: '127.0.0.1', port },
          { address: server.address, port: server.port },
        ],
        timeoutMs: TIMEOUT_MS,
      }),
    );
    assert.equal(results.length, 1);
    assert.equal(results[0]?.resolver, `127.0.0.1:${server.port}`);
    assert.equal(results[0]?.success, true);
    assert.deepEqual(
      results[0]?.failedResolvers.map((f) => [f.resolver, f.error.reason]),
      [[`127.0.0.1:${port}`, 'network']],
    );
  });

  it("'first' shares the time among resolvers: a silent one cannot use it all", async () => {
    const silent = { address: server.address, port: server.port };
    const started = performance.now();
    const results = await withoutLeaks(() =>
      lookupSrv(faultDomain('timeout'), {
        mode: 'first',
        resolvers: [silent, silent],
        timeoutMs: 400,
      }),
    );
    const elapsed = performance.now() - started;
    assert.equal(results[0]?.error?.reason, 'timeout');
    assert.equal(results[0]?.failedResolvers.length, 1);
    assert.ok(elapsed < 600, `took ${elapsed} ms`);
  });

  it('programming errors reject before any query: no resolver, bad address', async () => {
    const before = server.received.length;
    await assert.rejects(
      discoverAll([{ domain: 'ok.fault.test', resolvers: [] }], { resolvers: [] }),
      /no resolver/,
    );
    await assert.rejects(lookupSrv('ok.fault.test', { resolvers: [] }), RangeError);
    assert.equal(server.received.length, before, 'nothing was sent');
    const failure = await withoutLeaks(() =>
      new DnsClient()
        .query({ address: '127.0.0.1', port: 0 }, { name: 'x.test', type: 'A' })
        .catch((e: unknown) => e),
    );
    assert.ok(failure instanceof DnsFailure && failure.reason === 'network');
  });

  it('an aborted lookup ends at once, without leaks', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30).unref();
    const started = performance.now();
    const result = await lookup('timeout', { signal: controller.signal, timeoutMs: 5000 });
    assertFailure(result, 'timeout', /aborted/);
    assert.ok(performance.now() - started < 1000);
  });
});

describe('UDP socket sharing', () => {
  const at = (): { address: string; port: number } => ({
    address: server.address,
    port: server.port,
  });
  const portsFor = (name: string, since: number): Set<number> =>
    new Set(
      server.received
        .slice(since)
        .filter((q) => q.name === name && q.transport === 'udp')
        .map((q) => q.peerPort),
    );

  it('queries in flight together share a socket, retired after its query budget', async () => {
    const name = '_vlmcs._tcp.slow.fault.test';
    for (const [budget, sockets] of [
      [100, 1],
      [4, 3],
    ] as const) {
      const client = new DnsClient({ maxQueriesPerSocket: budget });
      const since = server.received.length;
      const answers = await withoutLeaks(() =>
        Promise.all(
          Array.from({ length: 12 }, () =>
            client.query(at(), { name, type: 'SRV' }, { timeoutMs: 2000 }),
          ),
        ),
      );
      assert.ok(answers.every((a) => a.response.rcode === 'NOERROR'));
      assert.equal(portsFor(name, since).size, sockets, `budget ${budget}`);
    }
  });

  it('IDs stay unique on a socket even when the random source repeats itself', async () => {
    const ids = [7, 7, 7, 7, 8];
    const client = new DnsClient({ randomId: () => ids.shift() ?? 9 });
    const name = '_vlmcs._tcp.slow.fault.test';
    const answers = await withoutLeaks(() =>
      Promise.all([
        client.query(at(), { name, type: 'SRV' }),
        client.query(at(), { name, type: 'SRV' }),
      ]),
    );
    assert.deepEqual(answers.map((a) => a.response.id).sort(), [7, 8]);
  });
});
