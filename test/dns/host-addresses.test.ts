// Addresses of one host name from the configured resolvers only (a static host, or a
// probe of a name): every resolver asked, answers merged, each resolver's view kept, an
// IP literal used without a query, and every failure named.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseResolverAddress, resolveHostAddresses } from '../../src/dns/index.js';
import { addressRecords, kmsSrvRecord, startDnsZoneServer } from '../../src/lab/dns-zone-server.js';

const ZONE = 'hosts.kms-lab.test';

describe('resolveHostAddresses', () => {
  it('merges A and AAAA of every resolver and keeps what each one said', async () => {
    const a = await startDnsZoneServer({
      zones: { [ZONE]: addressRecords(`kms1.${ZONE}`, ['127.0.0.21', '::1']) },
    });
    const b = await startDnsZoneServer({
      zones: { [ZONE]: addressRecords(`kms1.${ZONE}`, ['127.0.0.22']) },
    });
    try {
      const found = await resolveHostAddresses(`KMS1.${ZONE}.`, {
        resolvers: [parseResolverAddress(a.resolver), parseResolverAddress(b.resolver)],
        timeoutMs: 2000,
      });
      assert.equal(found.error, null);
      assert.deepEqual([...found.addresses].sort(), ['127.0.0.21', '127.0.0.22', '::1']);
      assert.deepEqual(
        found.byResolver.map((r) => [r.resolver, [...r.addresses].sort()]),
        [
          [a.resolver, ['127.0.0.21', '::1']],
          [b.resolver, ['127.0.0.22']],
        ],
      );
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('names a missing host (nxdomain) and a name without addresses (no_address)', async () => {
    const server = await startDnsZoneServer({
      // The SRV owner name exists but has no A or AAAA record of its own.
      zones: { [ZONE]: [kmsSrvRecord(ZONE, { target: `kms1.${ZONE}`, port: 1688 })] },
    });
    try {
      const resolvers = [parseResolverAddress(server.resolver)];
      const gone = await resolveHostAddresses(`gone.${ZONE}`, { resolvers, timeoutMs: 2000 });
      assert.deepEqual(gone.addresses, []);
      assert.equal(gone.error?.reason, 'nxdomain');
      const bare = await resolveHostAddresses(`_vlmcs._tcp.${ZONE}`, {
        resolvers,
        timeoutMs: 2000,
      });
      assert.equal(bare.error?.reason, 'no_address');
    } finally {
      await server.close();
    }
  });

  it('takes an IP literal as it is, without asking anyone', async () => {
    for (const literal of ['127.0.0.5', '::1', '[::1]']) {
      const found = await resolveHostAddresses(literal, {
        resolvers: [parseResolverAddress('127.0.0.1:9')],
      });
      assert.deepEqual(found, {
        addresses: [literal.replace(/[[\]]/g, '')],
        byResolver: [],
        error: null,
      });
    }
  });

  it('a silent resolver is a timeout within the time given', async () => {
    const { createSocket } = await import('node:dgram');
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const started = performance.now();
      const found = await resolveHostAddresses(`kms1.${ZONE}`, {
        resolvers: [parseResolverAddress(`127.0.0.1:${silent.address().port}`)],
        timeoutMs: 300,
      });
      assert.equal(found.error?.reason, 'timeout');
      assert.ok(performance.now() - started < 900, 'ended near its timeout');
    } finally {
      silent.close();
    }
  });
});
