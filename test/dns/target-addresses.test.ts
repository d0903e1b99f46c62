// Addresses of SRV targets are asked once per name: a host published on two ports, or
// twice with different priorities, is one name to resolve (its addresses do not depend
// on the port), while each record stays a record of its own, with those addresses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lookupSrv, parseResolverAddress } from '../../src/dns/index.js';
import { addressRecords, kmsSrvRecord, startDnsZoneServer } from '../../src/lab/dns-zone-server.js';

const ZONE = 'twice.kms-lab.test';

describe('SRV target addresses', () => {
  it('asks once per target name, however many records name it', async () => {
    const server = await startDnsZoneServer({
      logQueries: true,
      zones: {
        [ZONE]: [
          // Only A glue, so the AAAA of each target must be asked.
          kmsSrvRecord(ZONE, { target: `kms1.${ZONE}`, port: 1688, priority: 0, weight: 10 }),
          kmsSrvRecord(ZONE, { target: `kms1.${ZONE}`, port: 1689, priority: 0, weight: 10 }),
          kmsSrvRecord(ZONE, { target: `kms1.${ZONE}`, port: 1688, priority: 5, weight: 10 }),
          kmsSrvRecord(ZONE, { target: `kms2.${ZONE}`, port: 1688, priority: 1, weight: 10 }),
          ...addressRecords(`kms1.${ZONE}`, ['127.0.0.21']),
          ...addressRecords(`kms2.${ZONE}`, ['127.0.0.22']),
        ],
      },
    });
    try {
      const [result] = await lookupSrv(ZONE, {
        resolvers: [parseResolverAddress(server.resolver)],
        timeoutMs: 3000,
      });
      assert.equal(result?.error, null);
      assert.deepEqual(
        result.records.map((r) => [r.host, r.port, r.priority, r.addresses]),
        [
          [`kms1.${ZONE}`, 1688, 0, ['127.0.0.21']],
          [`kms1.${ZONE}`, 1689, 0, ['127.0.0.21']],
          [`kms2.${ZONE}`, 1688, 1, ['127.0.0.22']],
          [`kms1.${ZONE}`, 1688, 5, ['127.0.0.21']],
        ],
      );
      const aaaa = server.received.filter((q) => q.type === 'AAAA').map((q) => q.name);
      assert.deepEqual(aaaa.sort(), [`kms1.${ZONE}`, `kms2.${ZONE}`]);
    } finally {
      await server.close();
    }
  });
});
