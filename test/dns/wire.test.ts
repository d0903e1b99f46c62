/**
 * Hostile bytes: the structural check and answer vetting must turn every byte string into
 * an answer, a drop or a named failure — never a foreign exception, a hang or a huge
 * allocation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { DnsFailure } from '../../src/dns/errors.js';
import { encodeQuery, vetAnswer, type SentQuery } from '../../src/dns/message.js';
import { checkMessage, readName } from '../../src/dns/wire-check.js';

const query: SentQuery = { id: 0x4242, name: '_vlmcs._tcp.alpha.test', type: 'SRV', edns: true };

function answer(fields: Partial<dnsPacket.Packet> = {}): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: query.id,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
    questions: [{ type: 'SRV', name: query.name, class: 'IN' }],
    answers: [
      {
        type: 'SRV',
        name: query.name,
        ttl: 300,
        class: 'IN',
        data: { target: 'kms1.alpha.test', port: 1688, priority: 0, weight: 5 },
      },
      {
        type: 'SRV',
        name: query.name,
        ttl: 200,
        class: 'IN',
        data: { target: 'kms2.alpha.test', port: 1688, priority: 1, weight: 0 },
      },
    ],
    additionals: [
      { type: 'A', name: 'kms1.alpha.test', ttl: 300, class: 'IN', data: '127.0.1.1' },
      { type: 'AAAA', name: 'kms1.alpha.test', ttl: 300, class: 'IN', data: 'fd00::1' },
    ],
    ...fields,
  });
}

describe('encodeQuery', () => {
  it('builds a standard query with RD and an EDNS0 OPT of 1232 bytes', () => {
    const packet = dnsPacket.decode(encodeQuery(query));
    assert.equal(packet.id, query.id);
    assert.equal(packet.flag_rd, true);
    assert.equal(packet.flag_qr, false);
    assert.deepEqual(packet.questions, [{ name: query.name, type: 'SRV', class: 'IN' }]);
    const opt = packet.additionals?.[0];
    assert.equal(opt?.type, 'OPT');
    assert.equal(opt && 'udpPayloadSize' in opt ? opt.udpPayloadSize : 0, 1232);
    assert.equal(dnsPacket.decode(encodeQuery({ ...query, edns: false })).additionals?.length, 0);
  });
});

describe('vetAnswer', () => {
  it('accepts a matching answer and types its records', () => {
    const verdict = vetAnswer(answer(), query);
    assert.equal(verdict.kind, 'answer');
    if (verdict.kind !== 'answer') return;
    assert.equal(verdict.response.rcode, 'NOERROR');
    assert.deepEqual(verdict.response.answers[0], {
      type: 'SRV',
      name: query.name,
      ttl: 300,
      priority: 0,
      weight: 5,
      port: 1688,
      target: 'kms1.alpha.test',
    });
    assert.deepEqual(verdict.response.additionals[1], {
      type: 'AAAA',
      name: 'kms1.alpha.test',
      ttl: 300,
      address: 'fd00::1',
    });
  });

  it('drops another ID, another question, a query, and a short datagram', () => {
    const kinds = (buf: Buffer) => {
      const verdict = vetAnswer(buf, query);
      return verdict.kind === 'answer' ? 'answer' : `${verdict.kind}:${verdict.failure.reason}`;
    };
    assert.equal(kinds(answer({ id: query.id + 1 })), 'drop:id_mismatch');
    assert.equal(
      kinds(answer({ questions: [{ type: 'SRV', name: '_vlmcs._tcp.beta.test' }] })),
      'drop:question_mismatch',
    );
    assert.equal(
      kinds(answer({ questions: [{ type: 'A', name: query.name }] })),
      'drop:question_mismatch',
    );
    assert.equal(
      kinds(answer({ questions: [{ type: 'SRV', name: query.name, class: 'CH' }] })),
      'drop:question_mismatch',
    );
    assert.equal(kinds(answer({ type: 'query' })), 'drop:malformed');
    assert.equal(kinds(Buffer.from([0x42, 0x42, 0x81])), 'drop:malformed');
    // NOERROR without a question cannot be matched to ours.
    assert.equal(kinds(answer({ questions: [] })), 'drop:question_mismatch');
  });

  it('a label containing a dot is not the same name as two labels', () => {
    const buf = answer();
    // Turn "_tcp" + the length byte of "alpha" into one label "_tcp.alpha" by hand:
    // the question is 12: [6]_vlmcs [4]_tcp [5]alpha [4]test [0]
    const forged = Buffer.from(buf);
    forged[19] = 10; // "_tcp" becomes 10 bytes long...
    forged[24] = 0x2e; // ...swallowing the "alpha" length byte, replaced by "."
    assert.equal(readName(forged, 12).name, '_vlmcs._tcp\\.alpha.test');
    assert.equal(vetAnswer(forged, query).kind, 'drop');
  });

  it('fails our answer when a record is broken', () => {
    const buf = answer();
    const cut = buf.subarray(0, buf.length - 3);
    const verdict = vetAnswer(cut, query);
    assert.equal(verdict.kind, 'fail');
    assert.equal(verdict.kind === 'fail' && verdict.failure.reason, 'malformed');
  });

  it('reads the EDNS extended rcode', () => {
    const buf = answer({
      additionals: [
        {
          type: 'OPT',
          name: '.',
          udpPayloadSize: 1232,
          extendedRcode: 1,
          ednsVersion: 0,
          flags: 0,
          flag_do: false,
          options: [],
        },
      ],
    });
    const verdict = vetAnswer(buf, query);
    assert.equal(verdict.kind === 'answer' && verdict.response.rcode, 'BADVERS');
  });
});

describe('checkMessage', () => {
  it('rejects a compression pointer to itself', () => {
    const buf = Buffer.from(answer());
    // dns-packet does not compress: the first answer's owner name starts right after the
    // question. Make it a compression pointer to itself.
    const at = dnsPacket.encode({
      type: 'query',
      questions: [{ type: 'SRV', name: query.name }],
    }).length;
    buf[at] = 0xc0 | (at >> 8);
    buf[at + 1] = at & 0xff;
    assert.throws(
      () => checkMessage(buf),
      (e: unknown) => e instanceof DnsFailure && /pointer/.test(e.message),
    );
  });

  it('rejects RDATA shorter than its type needs, which dns-packet reads past', () => {
    // One A record with RDLENGTH 2: dns-packet would read 4 bytes anyway.
    const buf = answer({
      answers: [{ type: 'A', name: query.name, ttl: 1, class: 'IN', data: '127.0.0.1' }],
      additionals: [],
    });
    const rdlength = buf.length - 6;
    buf.writeUInt16BE(2, rdlength);
    assert.throws(() => checkMessage(buf.subarray(0, buf.length - 2)), DnsFailure);
  });

  it('dns-packet alone throws plain errors on hostile input: the reason for the wrapper', () => {
    assert.throws(() =>
      dnsPacket.decode(Buffer.from([0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0x3f])),
    );
  });
});

describe('fuzz: only DnsFailure, never a foreign exception', () => {
  const valid = answer();

  it('arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const verdict = vetAnswer(Buffer.from(bytes), query);
        assert.ok(verdict.kind === 'answer' || verdict.failure instanceof DnsFailure);
      }),
      { numRuns: 3000 },
    );
  });

  it('a valid answer with bytes flipped, cut or appended (header kept, so it gets past the ID)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
          maxLength: 8,
        }),
        fc.nat(valid.length),
        fc.uint8Array({ maxLength: 40 }),
        (flips, cutAt, tail) => {
          const bytes = Buffer.from(valid);
          for (const [at, value] of flips) if (at >= 2) bytes[at] = value;
          const mutated = Buffer.concat([bytes.subarray(0, Math.max(12, cutAt)), tail]);
          const verdict = vetAnswer(mutated, query);
          if (verdict.kind !== 'answer') assert.ok(verdict.failure instanceof DnsFailure);
          else for (const r of verdict.response.answers) assert.equal(typeof r.name, 'string');
        },
      ),
      { numRuns: 5000 },
    );
  });
});
