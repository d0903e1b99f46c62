// Fuzzing the DNS client's handling of answers, above the decoder: lookupSrv runs against
// a generated "world" — for each name and type it may be asked, an answer with any rcode,
// SRV records (limit overflow, target "."), CNAME chains and loops, glue or none, TC, a
// damaged datagram or silence — and must always resolve with one well-formed result per
// resolver: a named reason on failure, records in RFC 2782 order within the limit, only
// IP addresses, a bounded number of queries. The world is served two ways:
//  - in process, through a DnsClient whose query() builds the datagram and runs the real
//    decoder on it (fast: FUZZ_RUNS cases);
//  - over real UDP on 127.0.0.1 to the real DnsClient (slower: FUZZ_RUNS / 200 cases), which
//    must leave no socket or timer behind.
//
// FUZZ_RUNS (default 2,000; 100,000 in `npm run bench -- fuzz`); FUZZ_SEED replays a failure.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import fc from 'fast-check';
import {
  DNS_FAILURE_REASONS,
  DnsClient,
  DnsFailure,
  compareSrv,
  lookupSrv,
  type DnsQuestion,
  type QueryAnswer,
  type QueryOptions,
  type ResolverAddress,
  type SrvLookupResult,
} from '../../src/dns/index.js';
import { vetAnswer, type SentQuery } from '../../src/dns/message.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : undefined;
const params = (numRuns: number) => ({ numRuns, ...(SEED !== undefined && { seed: SEED }) });

const DOMAIN = 'corp.example.com';
const SRV_NAME = `_vlmcs._tcp.${DOMAIN}`;
/** Every name the world talks about: the SRV owner, aliases, targets. */
const NAMES = [
  SRV_NAME,
  `alias.${DOMAIN}`,
  `alias2.${DOMAIN}`,
  `kms1.${DOMAIN}`,
  `kms2.${DOMAIN}`,
  `KMS3.${DOMAIN}`,
  `gone.${DOMAIN}`,
  '.',
];
const TYPES = ['SRV', 'A', 'AAAA'] as const;
const REASONS: ReadonlySet<string> = new Set(DNS_FAILURE_REASONS);
const RCODES = ['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED', 'FORMERR', 'NOTIMP'] as const;

const someName = fc.constantFrom(...NAMES);
const ttl = fc.oneof(fc.nat(3600), fc.constant(0));
const record: fc.Arbitrary<Answer> = fc.oneof(
  fc.record({
    type: fc.constant('SRV' as const),
    name: fc.oneof(
      { weight: 4, arbitrary: fc.constant(SRV_NAME) },
      { weight: 1, arbitrary: someName },
    ),
    ttl,
    data: fc.record({
      priority: fc.nat(3),
      weight: fc.nat(5),
      port: fc.oneof(fc.constant(1688), fc.integer({ min: 0, max: 0xffff })),
      target: someName,
    }),
  }),
  fc.record({ type: fc.constant('A' as const), name: someName, ttl, data: fc.ipV4() }),
  fc.record({ type: fc.constant('AAAA' as const), name: someName, ttl, data: fc.ipV6() }),
  fc.record({ type: fc.constant('CNAME' as const), name: someName, ttl, data: someName }),
) as fc.Arbitrary<Answer>;

/** What the world does when asked one name and type. */
const reply = fc.record({
  rcode: fc.oneof(
    { weight: 6, arbitrary: fc.constant('NOERROR' as const) },
    { weight: 3, arbitrary: fc.constantFrom(...RCODES) },
  ),
  answers: fc.array(record, { maxLength: 8 }),
  additionals: fc.array(record, { maxLength: 6 }),
  soa: fc.boolean(),
  tc: fc.oneof(
    { weight: 9, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  /** How the datagram is spoiled, if at all. */
  spoil: fc.oneof(
    { weight: 12, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant('silent' as const) },
    { weight: 1, arbitrary: fc.constant('other-id' as const) },
    { weight: 1, arbitrary: fc.constant('other-question' as const) },
    { weight: 2, arbitrary: fc.record({ at: fc.nat(), value: fc.nat(255) }) },
    { weight: 1, arbitrary: fc.record({ cut: fc.nat() }) },
  ),
});
type Reply = typeof reply extends fc.Arbitrary<infer T> ? T : never;

/** The world: a reply per "name type" key; unknown keys get the fallback. */
const world = fc.record({
  replies: fc.dictionary(
    fc.tuple(someName, fc.constantFrom(...TYPES)).map(([n, t]) => `${n.toLowerCase()} ${t}`),
    reply,
    { maxKeys: 12 },
  ),
  fallback: reply,
  recordLimit: fc.integer({ min: 1, max: 6 }),
  resolvers: fc.integer({ min: 1, max: 2 }),
  mode: fc.constantFrom('each' as const, 'first' as const),
});
type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

/** The datagram the world sends for `sent`, or null for silence. */
function datagram(w: World, sent: SentQuery): Buffer | null {
  const key = `${sent.name.toLowerCase()} ${sent.type}`;
  const r: Reply = w.replies[key] ?? w.fallback;
  if (r.spoil === 'silent') return null;
  const rcode = RCODES.indexOf(r.rcode as (typeof RCODES)[number]);
  const question = r.spoil === 'other-question' ? { name: `x.${DOMAIN}`, type: sent.type } : sent;
  const authorities: Answer[] = r.soa
    ? [
        {
          type: 'SOA',
          name: DOMAIN,
          ttl: 60,
          data: {
            mname: `ns.${DOMAIN}`,
            rname: `hostmaster.${DOMAIN}`,
            serial: 1,
            refresh: 1,
            retry: 1,
            expire: 1,
            minimum: 30,
          },
        },
      ]
    : [];
  let bytes: Buffer;
  try {
    bytes = dnsPacket.encode({
      id: r.spoil === 'other-id' ? (sent.id + 1) & 0xffff : sent.id,
      type: 'response',
      flags: 0x8000 | 0x0400 | (r.tc ? 0x0200 : 0) | 0x0100 | 0x0080 | Math.max(0, rcode),
      questions: [{ name: question.name, type: question.type, class: 'IN' }],
      answers: r.answers,
      authorities,
      additionals: r.additionals,
    });
  } catch {
    bytes = Buffer.from([sent.id >> 8, sent.id & 0xff, 0x81, 0x82, 0, 0, 0, 0, 0, 0, 0, 0]);
  }
  const spoil = r.spoil;
  if (spoil !== null && typeof spoil === 'object') {
    bytes = Buffer.from(bytes);
    if ('at' in spoil && bytes.length > 2) bytes[2 + (spoil.at % (bytes.length - 2))] = spoil.value;
    if ('cut' in spoil) bytes = bytes.subarray(0, Math.max(2, spoil.cut % (bytes.length + 1)));
  }
  return bytes;
}

/**
 * A DnsClient answering from the world in process: the datagram goes through the real
 * decoder (vetAnswer); what a real client would do with a dropped datagram or silence —
 * wait, then fail with that reason — happens at once. TC answers stay truncated over "TCP".
 */
class WorldClient extends DnsClient {
  queries = 0;
  private nextId = 1;
  constructor(private readonly w: World) {
    super();
  }
  override async query(
    _server: ResolverAddress,
    question: DnsQuestion,
    _options?: QueryOptions,
  ): Promise<QueryAnswer> {
    this.queries++;
    const sent: SentQuery = { ...question, id: this.nextId++ & 0xffff, edns: true };
    const bytes = datagram(this.w, sent);
    if (bytes === null) throw new DnsFailure('timeout', 'silence');
    const verdict = vetAnswer(bytes, sent);
    if (verdict.kind !== 'answer') throw verdict.failure;
    if (verdict.response.truncated) throw new DnsFailure('truncated', 'TC over UDP and TCP');
    return { response: verdict.response, transport: 'udp' };
  }
}

function checkResults(results: SrvLookupResult[], w: World, label: string): void {
  assert.equal(results.length, w.mode === 'each' ? w.resolvers : 1, label);
  for (const r of results) {
    assert.equal(r.domain, DOMAIN);
    JSON.stringify(r); // plain data: the status API and `discover --json` print it
    if (r.error) assert.ok(REASONS.has(r.error.reason), `${label}: reason ${r.error.reason}`);
    if (r.success)
      assert.ok(r.rcode === 'NOERROR' || r.rcode === 'NXDOMAIN', `${label}: ${r.rcode}`);
    else assert.ok(r.error, `${label}: failure without a reason`);
    if (r.rcode === 'NOERROR' && r.success) assert.equal(r.error, null);
    assert.ok(r.records.length <= w.recordLimit, `${label}: ${r.records.length} records`);
    assert.ok(r.truncatedRecords >= 0);
    if (r.serviceUnavailable) assert.equal(r.records.length, 0);
    assert.ok(r.ttl === null || (Number.isInteger(r.ttl) && r.ttl >= 0), `ttl ${r.ttl}`);
    for (let i = 1; i < r.records.length; i++) {
      assert.ok(compareSrv(r.records[i - 1]!, r.records[i]!) <= 0, `${label}: order`);
    }
    for (const record of r.records) {
      assert.ok(record.host.length > 0 && record.host === record.host.toLowerCase());
      assert.ok(!record.host.endsWith('.'));
      for (const a of record.addresses) assert.ok(net.isIP(a) !== 0, `${label}: address ${a}`);
      assert.equal(new Set(record.addresses).size, record.addresses.length);
      if (record.addressError) assert.ok(REASONS.has(record.addressError.reason));
    }
  }
}

describe(`fuzz: lookupSrv over generated answers`, () => {
  it(`in process, through the real decoder (${RUNS} worlds)`, async () => {
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const client = new WorldClient(w);
        const resolvers = Array.from({ length: w.resolvers }, (_, i) => ({
          address: `127.0.0.${i + 1}`,
          port: 53,
        }));
        const results = await lookupSrv(DOMAIN, {
          resolvers,
          client,
          mode: w.mode,
          recordLimit: w.recordLimit,
          timeoutMs: 1000,
        });
        checkResults(results, w, 'in process');
        // SRV + CNAME hops, then two families per kept target, each with its own hops.
        const bound = w.resolvers * (9 + w.recordLimit * 2 * 9);
        assert.ok(client.queries <= bound, `${client.queries} queries`);
      }),
      params(RUNS),
    );
  });

  it(`over UDP on 127.0.0.1 to the real client (${Math.max(50, Math.round(RUNS / 200))} worlds), no handle left`, async () => {
    const server = dgram.createSocket('udp4');
    let current: World | null = null;
    server.on('message', (msg, rinfo) => {
      if (!current || msg.length < 12) return;
      let question: { name: string; type: string } | undefined;
      try {
        question = dnsPacket.decode(msg).questions?.[0];
      } catch {
        return;
      }
      if (!question || !TYPES.includes(question.type as (typeof TYPES)[number])) return;
      const sent: SentQuery = {
        name: question.name,
        type: question.type as SentQuery['type'],
        id: msg.readUInt16BE(0),
        edns: true,
      };
      const bytes = datagram(current, sent);
      if (bytes) server.send(bytes, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', () => resolve()));
    const resolver = { address: '127.0.0.1', port: server.address().port };
    const client = new DnsClient();
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'UDPWrap').length;
    try {
      await fc.assert(
        fc.asyncProperty(world, async (w) => {
          current = w;
          // Silence costs the whole timeout, so it is kept short; TC answers go to TCP,
          // where nothing listens: 'truncated'.
          const results = await lookupSrv(DOMAIN, {
            resolvers: [resolver],
            client,
            mode: 'each',
            recordLimit: w.recordLimit,
            timeoutMs: 150,
            attempts: 1,
          });
          checkResults(results, { ...w, resolvers: 1, mode: 'each' }, 'udp');
        }),
        params(Math.max(50, Math.round(RUNS / 200))),
      );
    } finally {
      current = null;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    const after = process.getActiveResourcesInfo();
    assert.equal(after.filter((r) => r === 'UDPWrap').length, 0, `left: ${after.join(', ')}`);
    assert.ok(after.length <= before, `left: ${after.join(', ')}`);
  });
});
