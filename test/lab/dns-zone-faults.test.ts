// The lab DNS server's CNAMEs, per-zone SOA and fault modes as a server feature: set and
// cleared at run time, limited to query types, validated, and gone without a trace on
// close(). What each mode does to the DNS client is tested in test/dns/fault.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { DnsClient, type QueryType } from '../../src/dns/index.js';
import {
  DnsZoneError,
  addressRecords,
  kmsSrvRecord,
  startDnsZoneServer,
} from '../../src/lab/dns-zone-server.js';
import type { DnsZoneServer, DnsZoneServerOptions } from '../../src/lab/dns-zone-server.js';
import { withoutLeaks } from '../helpers/leaks.js';

const ZONE = 'beta.kms-lab.test';
const SRV = `_vlmcs._tcp.${ZONE}`;

async function withServer<T>(
  work: (server: DnsZoneServer) => Promise<T>,
  options: DnsZoneServerOptions = {},
): Promise<T> {
  const server = await startDnsZoneServer({
    zones: {
      [ZONE]: [
        kmsSrvRecord(ZONE, { target: `kms1.${ZONE}`, port: 1688 }),
        ...addressRecords(`kms1.${ZONE}`, ['127.0.0.1']),
      ],
    },
    ...options,
  });
  try {
    return await work(server);
  } finally {
    await server.close();
  }
}

function ask(server: DnsZoneServer, name: string, type: QueryType = 'SRV', timeoutMs = 1000) {
  return new DnsClient().query(
    { address: server.address, port: server.port },
    { name, type },
    { timeoutMs },
  );
}

describe('lab DNS zone server: CNAMEs and per-zone SOA', () => {
  it('follows a CNAME chain inside its zone, stops at one leaving it and at a loop', () =>
    withServer(async (server) => {
      server.setZone('alias.kms-lab.test', [
        { type: 'CNAME', name: '_vlmcs._tcp.alias.kms-lab.test', target: 'hop.alias.kms-lab.test' },
        { type: 'CNAME', name: 'hop.alias.kms-lab.test', target: SRV, ttl: 30 },
        { type: 'CNAME', name: 'a.alias.kms-lab.test', target: 'b.alias.kms-lab.test' },
        { type: 'CNAME', name: 'b.alias.kms-lab.test', target: 'a.alias.kms-lab.test' },
        { type: 'CNAME', name: 'gone.alias.kms-lab.test', target: 'nothing.alias.kms-lab.test' },
      ]);
      const chained = await ask(server, '_vlmcs._tcp.alias.kms-lab.test');
      // The first hop stays in the zone; the second leaves it: the client asks again.
      assert.deepEqual(
        chained.response.answers.map((r) => [r.type, r.name, 'target' in r ? r.target : null]),
        [
          ['CNAME', '_vlmcs._tcp.alias.kms-lab.test', 'hop.alias.kms-lab.test'],
          ['CNAME', 'hop.alias.kms-lab.test', SRV],
        ],
      );
      const loop = await ask(server, 'a.alias.kms-lab.test', 'A');
      assert.equal(loop.response.rcode, 'NOERROR');
      assert.equal(loop.response.answers.length, 2, 'each alias of the loop once');
      const dangling = await ask(server, 'gone.alias.kms-lab.test', 'A');
      assert.equal(dangling.response.rcode, 'NXDOMAIN', 'the rcode is the last name’s');
      assert.equal(dangling.response.answers[0]?.type, 'CNAME');
    }));

  it('a zone can have its own SOA TTLs, any 32-bit value included', () =>
    withServer(async (server) => {
      server.setZone('neg.kms-lab.test', [], { ttl: 0xffffffff, minimum: 7200 });
      const negative = await ask(server, '_vlmcs._tcp.neg.kms-lab.test');
      const soa = negative.response.authorities[0];
      assert.equal(soa?.type, 'SOA');
      // The negative TTL is the smaller of the SOA's TTL and MINIMUM (RFC 2308).
      assert.equal(soa?.ttl, 7200);
      assert.equal(soa && soa.type === 'SOA' ? soa.minimum : null, 7200);
      // Other zones keep the server's.
      const other = await ask(server, `nope.${ZONE}`, 'A');
      assert.equal(other.response.authorities[0]?.ttl, 30);
      assert.throws(() => server.setZone('neg.kms-lab.test', [], { ttl: -1 }), DnsZoneError);
    }));
});

describe('lab DNS zone server: faults', () => {
  it('a fault set at run time applies to its zone only, and null clears it', () =>
    withServer(async (server) => {
      server.setFault(ZONE, { mode: 'rcode', rcode: 'SERVFAIL' });
      assert.equal((await ask(server, SRV)).response.rcode, 'SERVFAIL');
      assert.equal((await ask(server, `kms1.${ZONE}`, 'A')).response.rcode, 'SERVFAIL');
      assert.equal(server.stats().faulted, 2);
      server.setFault(ZONE, null);
      const healthy = await ask(server, SRV);
      assert.equal(healthy.response.rcode, 'NOERROR');
      assert.equal(healthy.response.answers.length, 1);
    }));

  it('`types` limits a fault to those query types', () =>
    withServer(
      async (server) => {
        await assert.rejects(ask(server, SRV, 'SRV', 300), /no answer/);
        const address = await ask(server, `kms1.${ZONE}`, 'A');
        assert.equal(address.response.answers.length, 1);
      },
      { faults: { [ZONE]: { mode: 'silent', types: ['srv'] } } },
    ));

  it('logs queries only when asked to', async () => {
    await withServer(async (server) => {
      await ask(server, SRV);
      assert.deepEqual(server.received, []);
    });
    await withServer(
      async (server) => {
        await ask(server, SRV);
        assert.deepEqual(
          server.received.map((q) => [q.transport, q.name, q.type, q.edns]),
          [['udp', SRV, 'SRV', true]],
        );
      },
      { logQueries: true },
    );
  });

  it('tcp: false refuses TCP connections on the port it answers UDP on', () =>
    withServer(
      async (server) => {
        assert.equal((await ask(server, SRV)).response.rcode, 'NOERROR');
        const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
          const socket = net.connect(server.port, server.address);
          socket.once('connect', () => {
            socket.destroy();
            reject(new Error('TCP connected'));
          });
          socket.once('error', resolve);
        });
        assert.equal(error.code, 'ECONNREFUSED');
      },
      { tcp: false },
    ));

  it('close() cancels answers a delay fault still holds', () =>
    withoutLeaks(async () => {
      const server = await startDnsZoneServer({
        zones: { [ZONE]: [] },
        faults: { [ZONE]: { mode: 'delay', ms: 5000 } },
      });
      const pending = ask(server, SRV, 'SRV', 200).catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await server.close();
      // Never the held answer: silence, or the closed port's ICMP error on a retransmission.
      assert.match(String(await pending), /no answer|ECONNREFUSED/);
    }));

  it('rejects unknown modes and bad values before changing anything', async () => {
    await assert.rejects(
      startDnsZoneServer({ faults: { [ZONE]: 'explode' as never } }),
      /unknown DNS fault "explode"; one of silent, rcode/,
    );
    await withServer(async (server) => {
      assert.throws(() => server.setFault(ZONE, { mode: 'delay', ms: -1 }), DnsZoneError);
      assert.throws(
        () => server.setFault(ZONE, { mode: 'rcode', rcode: 'NXDOMAIN' as never }),
        DnsZoneError,
      );
      assert.equal((await ask(server, SRV)).response.rcode, 'NOERROR');
    });
  });
});
