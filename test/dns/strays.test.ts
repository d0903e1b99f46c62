/**
 * Datagrams of other queries on a shared UDP socket are not this query's business: a late
 * answer to a finished query (the reply to a retransmission) or a wrong-ID answer to
 * another question must neither end a waiting query nor rename its timeout. Only what was
 * meant for this query (its ID, or its question with another ID) names a failure. And TTLs
 * with the top bit set read as 0 (RFC 2181 section 8).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DnsClient, DnsFailure, lookupSrv } from '../../src/dns/index.js';
import { faultDomain, startFaultServer, type FaultServer } from '../fixtures/dns-fault-zones.js';
import { withoutLeaks } from '../helpers/leaks.js';

let server: FaultServer;
before(async () => {
  server = await startFaultServer();
});
after(() => server.close());

const at = () => ({ address: server.address, port: server.port });
const srvName = (mode: string) => `_vlmcs._tcp.${faultDomain(mode)}`;

async function failureOf(promise: Promise<unknown>): Promise<DnsFailure> {
  const outcome = await promise.then(
    (value) => assert.fail(`expected a failure, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
  assert.ok(outcome instanceof DnsFailure, String(outcome));
  return outcome;
}

describe('strays on a shared socket', () => {
  it('a late second answer to a finished query leaves a slow query a timeout', async () => {
    const client = new DnsClient();
    const [fast, slow] = await withoutLeaks(() =>
      Promise.allSettled([
        // Answered at once and again 100 ms later, after this query is done.
        client.query(at(), { name: srvName('twice'), type: 'SRV' }, { timeoutMs: 2000 }),
        // Never answered: must end as a timeout when its own deadline comes.
        client.query(at(), { name: srvName('timeout'), type: 'SRV' }, { timeoutMs: 600 }),
      ]),
    );
    assert.equal(fast.status, 'fulfilled');
    assert.equal(slow.status, 'rejected');
    const failure = (slow as PromiseRejectedResult).reason as DnsFailure;
    assert.equal(failure.reason, 'timeout', failure.message);
    assert.match(failure.message, /no answer from .* within \d+ ms \(2 UDP attempt\(s\)\)/);
    // Both queries shared one socket: the late answer reached the waiting query's socket.
    const ports = server.received
      .filter((q) => q.name === srvName('twice') || q.name === srvName('timeout'))
      .map((q) => q.peerPort);
    assert.equal(new Set(ports).size, 1, `one source port expected, got ${ports.join(', ')}`);
  });

  it('wrong-ID answers to another question do not rename a timeout', async () => {
    // IDs far apart, so that the server's "ID + 1" never names the other query.
    const ids = [100, 200];
    const client = new DnsClient({ randomId: () => ids.shift() ?? 300 });
    const [wrong, silent] = await withoutLeaks(() =>
      Promise.all([
        failureOf(
          client.query(at(), { name: srvName('wrong-id'), type: 'SRV' }, { timeoutMs: 400 }),
        ),
        failureOf(
          client.query(at(), { name: srvName('timeout'), type: 'SRV' }, { timeoutMs: 400 }),
        ),
      ]),
    );
    assert.equal(wrong.reason, 'id_mismatch', wrong.message);
    assert.equal(silent.reason, 'timeout', silent.message);
  });

  it('a wrong-ID answer to a question counts for every query asking it', async () => {
    const ids = [100, 200];
    const client = new DnsClient({ randomId: () => ids.shift() ?? 300 });
    const results = await withoutLeaks(() =>
      Promise.all(
        ['wrong-id', 'wrong-id'].map((mode) =>
          lookupSrv(faultDomain(mode), { resolvers: [at()], timeoutMs: 400, client }),
        ),
      ),
    );
    assert.deepEqual(
      results.map((r) => r[0]?.error?.reason),
      ['id_mismatch', 'id_mismatch'],
    );
  });

  it('the late answer is never taken for a new query: IDs are not reused on a socket', async () => {
    // The random source repeats itself; a socket still hands out each ID once.
    const client = new DnsClient({ randomId: () => 4242 });
    const name = srvName('twice');
    const first = client.query(at(), { name, type: 'SRV' }, { timeoutMs: 2000 });
    // Keeps the socket open (a query in flight) until the second query is done.
    const hold = new AbortController();
    const keepOpen = client
      .query(
        at(),
        { name: srvName('timeout'), type: 'SRV' },
        { timeoutMs: 5000, signal: hold.signal },
      )
      .catch(() => null);
    const a = await first;
    const b = await client.query(at(), { name, type: 'SRV' }, { timeoutMs: 2000 });
    hold.abort();
    await keepOpen;
    assert.equal(a.response.id, 4242);
    assert.notEqual(b.response.id, 4242);
  });
});

describe('RFC 2181 TTLs', () => {
  it('a TTL with the top bit set reads as 0; 2^31 − 1 is kept', async () => {
    const [result] = await withoutLeaks(() =>
      lookupSrv(faultDomain('ttl-max'), { resolvers: [at()], timeoutMs: 2000 }),
    );
    assert.equal(result?.success, true, JSON.stringify(result?.error));
    assert.deepEqual(
      result?.records.map((r) => [r.host, r.ttl]),
      [
        ['kms1.ttl-max.fault.test', 0],
        ['kms2.ttl-max.fault.test', 0x7fffffff],
      ],
    );
    assert.equal(result?.ttl, 0);
  });

  it('the negative-caching TTL of an SOA is bound the same way', async () => {
    const [result] = await lookupSrv(faultDomain('nodata-ttl-max'), {
      resolvers: [at()],
      timeoutMs: 2000,
    });
    assert.equal(result?.success, true);
    assert.equal(result?.records.length, 0);
    assert.equal(result?.ttl, 0);
  });
});
