// Structured DNS fuzzing of the answer decoder (vetAnswer): whole messages generated
// record by record — SRV, A, AAAA, CNAME, SOA and foreign types, odd classes, hostile
// names, any rcode, our question or another — encoded by dns-packet, then sometimes
// damaged (bytes overwritten, compression pointers planted, cut, extended). Unlike the
// byte-level fuzz of test/dns/wire.test.ts, most cases here reach the record decoder.
// Properties: vetAnswer never throws; every verdict is an answer or a DnsFailure with a
// named reason; answers hold well-typed records; and the fast path (question compared on
// the bytes sent) always agrees with the slow one (question decoded and compared).
//
// FUZZ_RUNS sets the cases for this decoder, shared by the three properties (default 2,000;
// `npm run bench -- fuzz` runs 100,000).
// FUZZ_SEED=<n> replays a reported failure.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, Packet, Question } from 'dns-packet';
import fc from 'fast-check';
import { DNS_FAILURE_REASONS, DnsFailure } from '../../src/dns/index.js';
import { encodeQuery, vetAnswer, type SentQuery } from '../../src/dns/message.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : undefined;
/** FUZZ_RUNS is per decoder: the three properties share it (50 %, 40 %, 10 %). */
const params = (share: number) => ({
  numRuns: Math.max(100, Math.round(RUNS * share)),
  ...(SEED !== undefined && { seed: SEED }),
});

const QUERY: SentQuery = {
  name: '_vlmcs._tcp.corp.example.com',
  type: 'SRV',
  id: 0x4b4d,
  edns: true,
};
const QUERY_WIRE = encodeQuery(QUERY);

/** Labels: mostly plain, sometimes hostile (dots, backslashes, NUL, non-ASCII, 63 bytes). */
const label = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z0-9_-]{1,12}$/) },
  {
    weight: 1,
    arbitrary: fc
      .string({ minLength: 1, maxLength: 63, unit: 'binary-ascii' })
      .filter((s) => Buffer.byteLength(s) <= 63),
  },
  { weight: 1, arbitrary: fc.constantFrom('kms', 'KMS', '_vlmcs', '_tcp', 'a.b', 'x\\y', 'é') },
);
const name = fc.oneof(
  { weight: 3, arbitrary: fc.array(label, { maxLength: 5 }).map((l) => l.join('.') || '.') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(QUERY.name, 'kms1.corp.example.com', 'corp.example.com'),
  },
);
const ttl = fc.oneof(
  fc.nat(86_400),
  fc.constant(0),
  fc.constant(0x7fffffff),
  fc.constant(0xffffffff),
);
const klass = fc.oneof(
  { weight: 8, arbitrary: fc.constant('IN' as const) },
  { weight: 1, arbitrary: fc.constantFrom('CH' as const, 'HS' as const, 'ANY' as const) },
);
const u16 = fc.integer({ min: 0, max: 0xffff });

const record: fc.Arbitrary<Answer> = fc.oneof(
  fc.record({
    type: fc.constant('SRV' as const),
    name,
    ttl,
    class: klass,
    data: fc.record({ priority: u16, weight: u16, port: u16, target: name }),
  }),
  fc.record({ type: fc.constant('A' as const), name, ttl, class: klass, data: fc.ipV4() }),
  fc.record({ type: fc.constant('AAAA' as const), name, ttl, class: klass, data: fc.ipV6() }),
  fc.record({ type: fc.constant('CNAME' as const), name, ttl, class: klass, data: name }),
  fc.record({
    type: fc.constant('SOA' as const),
    name,
    ttl,
    class: klass,
    data: fc.record({
      mname: name,
      rname: name,
      serial: fc.nat(),
      refresh: fc.nat(),
      retry: fc.nat(),
      expire: fc.nat(),
      minimum: fc.nat(),
    }),
  }),
  fc.record({
    type: fc.constant('TXT' as const),
    name,
    ttl,
    class: klass,
    data: fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('MX' as const),
    name,
    ttl,
    class: klass,
    data: fc.record({ preference: u16, exchange: name }),
  }),
  fc.record({ type: fc.constant('NS' as const), name, ttl, class: klass, data: name }),
) as fc.Arbitrary<Answer>;

const question: fc.Arbitrary<Question> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constant({ name: QUERY.name, type: 'SRV' as const, class: 'IN' as const }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      name: fc.oneof(name, fc.constant(QUERY.name.toUpperCase())),
      type: fc.constantFrom('SRV' as const, 'A' as const, 'AAAA' as const, 'TXT' as const),
      class: klass,
    }),
  },
);

/** A whole response, as dns-packet would encode it. */
const packet = fc.record({
  id: fc.oneof({ weight: 9, arbitrary: fc.constant(QUERY.id) }, { weight: 1, arbitrary: u16 }),
  response: fc.oneof(
    { weight: 9, arbitrary: fc.constant(true) },
    { weight: 1, arbitrary: fc.boolean() },
  ),
  rcode: fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 15 }) },
  ),
  tc: fc.boolean(),
  aa: fc.boolean(),
  questions: fc.oneof(
    { weight: 8, arbitrary: question.map((q) => [q]) },
    { weight: 1, arbitrary: fc.array(question, { maxLength: 3 }) },
  ),
  answers: fc.array(record, { maxLength: 8 }),
  authorities: fc.array(record, { maxLength: 3 }),
  additionals: fc.array(record, { maxLength: 8 }),
  edns: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
});

function encode(p: PacketCase): Buffer | null {
  const additionals: Answer[] = [...p.additionals];
  if (p.edns !== undefined) {
    additionals.push({
      type: 'OPT',
      name: '.',
      udpPayloadSize: 1232,
      extendedRcode: p.edns,
      ednsVersion: 0,
      flags: 0,
      flag_do: false,
      options: [],
    } as unknown as Answer);
  }
  const flags =
    (p.response ? 0x8000 : 0) |
    (p.aa ? 0x0400 : 0) |
    (p.tc ? 0x0200 : 0) |
    0x0100 |
    0x0080 |
    p.rcode;
  const message: Packet = {
    id: p.id,
    type: p.response ? 'response' : 'query',
    flags,
    questions: p.questions,
    answers: p.answers,
    authorities: p.authorities,
    additionals,
  };
  try {
    return dnsPacket.encode(message);
  } catch {
    return null; // dns-packet refuses some generated values (e.g. a label over 63 bytes)
  }
}
type PacketCase = typeof packet extends fc.Arbitrary<infer T> ? T : never;

interface Damage {
  writes: Array<[number, number]>;
  pointers: Array<[number, number]>;
  cut?: number | undefined;
  tail: Uint8Array;
}
const damage: fc.Arbitrary<Damage | null> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  {
    weight: 3,
    arbitrary: fc.record({
      writes: fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }),
      // A compression pointer (0xC0 | hi, lo) planted anywhere: loops, forward jumps, jumps
      // into the middle of a record.
      pointers: fc.array(fc.tuple(fc.nat(), fc.nat(0x3fff)), { maxLength: 2 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
      tail: fc.uint8Array({ maxLength: 24 }),
    }),
  },
);

function applyDamage(buf: Buffer, d: Damage | null): Buffer {
  if (d === null) return buf;
  let out = Buffer.from(buf);
  // Bytes 0-1 (the ID) are left alone: a changed ID is only dropped, which tells nothing.
  for (const [at, value] of d.writes) if (out.length > 2) out[2 + (at % (out.length - 2))] = value;
  for (const [at, target] of d.pointers) {
    if (out.length < 14) continue;
    const i = 12 + (at % (out.length - 13));
    out[i] = 0xc0 | (target >> 8);
    out[i + 1] = target & 0xff;
  }
  if (d.cut !== undefined) out = out.subarray(0, Math.max(2, d.cut % (out.length + 1)));
  return Buffer.concat([out, d.tail]);
}

const REASONS: ReadonlySet<string> = new Set(DNS_FAILURE_REASONS);

function checkVerdict(bytes: Buffer): ReturnType<typeof vetAnswer> {
  const fast = vetAnswer(bytes, QUERY, QUERY_WIRE);
  const slow = vetAnswer(bytes, QUERY);
  // The byte comparison of the question is an optimisation: it must never change a verdict.
  assert.equal(fast.kind, slow.kind, `fast path ${fast.kind}, slow path ${slow.kind}`);
  if (fast.kind === 'answer' && slow.kind === 'answer') {
    assert.deepEqual(fast.response, slow.response);
    const r = fast.response;
    assert.equal(r.id, QUERY.id);
    assert.ok(/^[A-Z0-9_]+$/.test(r.rcode), r.rcode);
    for (const rec of [...r.answers, ...r.authorities, ...r.additionals]) {
      assert.equal(typeof rec.name, 'string');
      assert.ok(Number.isInteger(rec.ttl) && rec.ttl >= 0, `ttl ${rec.ttl}`);
      if (rec.type === 'SRV') {
        for (const v of [rec.port, rec.priority, rec.weight])
          assert.ok(Number.isInteger(v) && v >= 0 && v <= 0xffff);
        assert.equal(typeof rec.target, 'string');
      }
      if (rec.type === 'A') assert.ok(net.isIPv4(rec.address), rec.address);
      if (rec.type === 'AAAA') assert.ok(net.isIPv6(rec.address), rec.address);
      if (rec.type === 'CNAME') assert.equal(typeof rec.target, 'string');
    }
  } else if (fast.kind !== 'answer' && slow.kind !== 'answer') {
    for (const f of [fast.failure, slow.failure]) {
      assert.ok(f instanceof DnsFailure, String(f));
      assert.ok(REASONS.has(f.reason), f.reason);
    }
    assert.equal(fast.failure.reason, slow.failure.reason);
  }
  return fast;
}

describe(`fuzz: DNS answer decoder on generated messages (${RUNS} cases)`, () => {
  it('whole messages, intact and damaged: only answers and named DnsFailures', () => {
    let answers = 0;
    fc.assert(
      fc.property(packet, damage, (p, d) => {
        const encoded = encode(p);
        if (encoded === null) return;
        if (checkVerdict(applyDamage(encoded, d)).kind === 'answer') answers++;
      }),
      params(0.5),
    );
    // The generator is worth something only if many cases get through to the decoder.
    assert.ok(answers > RUNS / 20, `only ${answers} of ${RUNS / 2} cases decoded`);
  });

  it('our own question with hostile records: most cases reach the record decoder', () => {
    const ours = packet.map((p) => ({
      ...p,
      id: QUERY.id,
      response: true,
      questions: [{ name: QUERY.name, type: 'SRV' as const, class: 'IN' as const }],
    }));
    fc.assert(
      fc.property(ours, damage, (p, d) => {
        const encoded = encode(p);
        if (encoded !== null) checkVerdict(applyDamage(encoded, d));
      }),
      params(0.4),
    );
  });

  it('the question section itself damaged: case, length, pointers', () => {
    fc.assert(
      fc.property(
        fc.nat(QUERY_WIRE.length),
        fc.nat(255),
        fc.boolean(),
        fc.array(record, { maxLength: 3 }),
        (at, value, upper, answers) => {
          const response = dnsPacket.encode({
            id: QUERY.id,
            type: 'response',
            flags: 0x8180,
            questions: [
              { name: upper ? QUERY.name.toUpperCase() : QUERY.name, type: 'SRV', class: 'IN' },
            ],
            answers,
          });
          const bytes = Buffer.from(response);
          if (at >= 12 && at < bytes.length) bytes[at] = value;
          checkVerdict(bytes);
        },
      ),
      params(0.1),
    );
  });
});
