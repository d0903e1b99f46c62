/**
 * The hand-written query encoder and record reader against dns-packet, the general codec
 * they replaced on the hot path: the same bytes for every query, the same records for every
 * answer, over many generated names, IDs, addresses and messages (some of them damaged).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import fc from 'fast-check';
import {
  vetAnswer,
  type DnsRecord,
  type QueryType,
  type SentQuery,
} from '../../src/dns/message.js';
import { canonicalName, checkWireLimits } from '../../src/dns/names.js';
import { encodeQueryWire } from '../../src/dns/query-wire.js';
import { decodeCanonicalName, decodeIpv4, decodeIpv6 } from '../../src/dns/record-data.js';
import { dnsPacketQuery } from '../helpers/dns-packet-query.js';
import { CLASS_IN, TYPE, checkMessage } from '../../src/dns/wire-check.js';

/** dns-packet's part decoders: exported at runtime, absent from @types/dns-packet. */
const parts = dnsPacket as unknown as {
  name: { decode(buf: Buffer, offset: number): string };
  aaaa: { decode(buf: Buffer, offset: number): string };
  answer: { decode(buf: Buffer, offset: number): Answer };
};

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 3000);
const TYPES: QueryType[] = ['SRV', 'A', 'AAAA'];

/**
 * Labels as config and hostile answers can give them: plain, mixed case, any character but
 * "." (the separator) and line terminators (dns-packet strips a "." next to one, a quirk of
 * its multi-line regular expression, not a name rule), non-ASCII (UTF-8 on the wire).
 */
const label = fc.oneof(
  { weight: 5, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/) },
  {
    weight: 2,
    arbitrary: fc
      .string({ minLength: 1, maxLength: 63, unit: 'grapheme' })
      .map((s) => s.replace(/[.\n\r\u2028\u2029]/g, 'x'))
      .filter((s) => s.length > 0 && Buffer.byteLength(s) <= 63),
  },
  { weight: 1, arbitrary: fc.constantFrom('_vlmcs', '_tcp', 'KMS', 'é', 'x\\y', 'a'.repeat(63)) },
);
const queryName = fc
  .array(label, { minLength: 1, maxLength: 6 })
  .map((labels) => labels.join('.'))
  .filter((name) => {
    try {
      checkWireLimits(name);
      return true;
    } catch {
      return false;
    }
  });

describe('encodeQueryWire', () => {
  it(`writes the bytes dns-packet writes (${RUNS} names, IDs, types, EDNS on and off)`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        queryName,
        fc.constantFrom(...TYPES),
        fc.boolean(),
        (id, name, type, edns) => {
          const ours = encodeQueryWire(id, name, TYPE[type], edns);
          assert.deepEqual(ours, dnsPacketQuery(name, type, { id, edns }));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('writes the KMS SRV query of every test zone name exactly', () => {
    for (const name of ['_vlmcs._tcp.corp.example.com', 'kms1.alpha.test', 'x.Y.z']) {
      for (const edns of [true, false]) {
        assert.deepEqual(
          encodeQueryWire(0xbeef, name, TYPE.SRV, edns),
          dnsPacketQuery(name, 'SRV', { id: 0xbeef, edns }),
        );
      }
    }
  });
});

/** 16 bytes whose groups are often zero, so runs of zeros of every length and place occur. */
const ipv6Bytes = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
    minLength: 8,
    maxLength: 8,
  })
  .map((groups) => {
    const buf = Buffer.alloc(16);
    groups.forEach((g, i) => buf.writeUInt16BE(g, 2 * i));
    return buf;
  });

describe('record data', () => {
  it('prints IPv6 as dns-packet does (leftmost run of two or more zero groups as ::)', () => {
    fc.assert(
      fc.property(ipv6Bytes, (bytes) => {
        const rdata = Buffer.concat([Buffer.from([0, 16]), bytes]);
        assert.equal(decodeIpv6(bytes, 0), parts.aaaa.decode(rdata, 0));
      }),
      { numRuns: RUNS },
    );
    assert.equal(decodeIpv6(Buffer.alloc(16), 0), '::');
  });

  it('prints IPv4 as dotted decimal', () => {
    assert.equal(decodeIpv4(Buffer.from([127, 0, 10, 255]), 0), '127.0.10.255');
  });

  it('reads names, compressed or not, with any bytes, as canonicalName(dns-packet)', () => {
    const rawLabel = fc.uint8Array({ minLength: 1, maxLength: 63 });
    fc.assert(
      fc.property(
        fc.array(rawLabel, { minLength: 0, maxLength: 4 }),
        fc.array(rawLabel, { minLength: 0, maxLength: 3 }),
        (first, second) => {
          // A first name at offset 0, then a second one ending in a pointer to the first.
          const wire = (labels: Uint8Array[]): number[] => labels.flatMap((l) => [l.length, ...l]);
          const buf = Buffer.from([...wire(first), 0, ...wire(second), 0xc0, 0x00]);
          if (buf.length > 255) return;
          const secondAt = wire(first).length + 1;
          for (const at of [0, secondAt]) {
            const reference = canonicalName(parts.name.decode(buf, at));
            assert.equal(decodeCanonicalName(buf, at), reference);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/** What the client reported before record-data.ts: dns-packet's record, mapped the same way. */
function referenceRecord(answer: Answer): DnsRecord {
  const name = canonicalName(answer.name);
  const raw = 'ttl' in answer && typeof answer.ttl === 'number' ? answer.ttl : 0;
  const ttl = raw <= 0x7fffffff ? raw : 0;
  switch (answer.type) {
    case 'SRV':
      return {
        type: 'SRV',
        name,
        ttl,
        priority: answer.data.priority ?? 0,
        weight: answer.data.weight ?? 0,
        port: answer.data.port,
        target: canonicalName(answer.data.target),
      };
    case 'A':
    case 'AAAA':
      return { type: answer.type, name, ttl, address: answer.data };
    case 'CNAME':
      return { type: 'CNAME', name, ttl, target: canonicalName(answer.data) };
    case 'SOA': {
      const minimum = answer.data.minimum ?? 0;
      return { type: 'SOA', name, ttl, minimum: minimum <= 0x7fffffff ? minimum : 0 };
    }
    default:
      throw new Error(`unexpected ${answer.type}`);
  }
}

const QUERY: SentQuery = {
  id: 0x1234,
  name: '_vlmcs._tcp.corp.example.com',
  type: 'SRV',
  edns: true,
};

describe('answers read without dns-packet', () => {
  const hostName = fc.oneof(
    fc.constantFrom(QUERY.name, 'KMS1.corp.example.com', 'corp.example.com', 'é.test', 'a.b'),
    queryName,
  );
  const ttl = fc.oneof(fc.nat(86_400), fc.constant(0x7fffffff), fc.constant(0xffffffff));
  const u16 = fc.integer({ min: 0, max: 0xffff });
  const record: fc.Arbitrary<Answer> = fc.oneof(
    fc.record({
      type: fc.constant('SRV' as const),
      name: hostName,
      ttl,
      data: fc.record({ priority: u16, weight: u16, port: u16, target: hostName }),
    }),
    fc.record({ type: fc.constant('A' as const), name: hostName, ttl, data: fc.ipV4() }),
    fc.record({ type: fc.constant('AAAA' as const), name: hostName, ttl, data: fc.ipV6() }),
    fc.record({ type: fc.constant('CNAME' as const), name: hostName, ttl, data: hostName }),
    fc.record({
      type: fc.constant('SOA' as const),
      name: hostName,
      ttl,
      data: fc.record({
        mname: hostName,
        rname: hostName,
        serial: fc.nat(),
        refresh: fc.nat(),
        retry: fc.nat(),
        expire: fc.nat(),
        minimum: fc.oneof(fc.nat(), fc.constant(0xffffffff)),
      }),
    }),
  );

  it(`give the records dns-packet gives (${RUNS} generated answers)`, () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 4 }),
        fc.array(record, { maxLength: 2 }),
        fc.array(record, { maxLength: 4 }),
        (answers, authorities, additionals) => {
          const buf = dnsPacket.encode({
            type: 'response',
            id: QUERY.id,
            flags: dnsPacket.RECURSION_DESIRED,
            questions: [{ name: QUERY.name, type: 'SRV', class: 'IN' }],
            answers,
            authorities,
            additionals,
          });
          const verdict = vetAnswer(buf, QUERY);
          assert.equal(verdict.kind, 'answer');
          if (verdict.kind !== 'answer') return;
          const layout = checkMessage(buf);
          const expected = layout.records
            .filter((r) => r.class === CLASS_IN)
            .map((r) => referenceRecord(parts.answer.decode(buf, r.offset)));
          const { response } = verdict;
          assert.deepEqual(
            [...response.answers, ...response.authorities, ...response.additionals],
            expected,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});
