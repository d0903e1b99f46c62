// Hostile input: random bytes and mutated captured PDUs into every decoder and the framer.
// Each must either decode or throw KmsDecodeError — never a RangeError, TypeError or hang —
// and whatever decodes must survive encode → decode unchanged. FUZZ_RUNS sets the runs per
// decoder (default 3000, so npm test stays fast; raise it for a longer soak).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KmsDecodeError } from '../../../src/kms/errors.js';
import {
  RpcFramer,
  alterContext,
  alterContextResp,
  bind,
  bindAck,
  bindNak,
  chooseContext,
  decodePdu,
  encodePdu,
  fault,
  header,
  ndr32RequestStub,
  ndr32ResponseStub,
  ndr64RequestStub,
  ndr64ResponseStub,
  request,
  response,
  validateHeader,
  vlmcsBindContexts,
} from '../../../src/kms/rpc/index.js';
import { allPdus } from './vectors.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

const corpus = [...new Set(allPdus().map((p) => p.hex))].map((h) => Buffer.from(h, 'hex'));
const stubCorpus = corpus.filter((b) => b[2] === 0 || b[2] === 2).map((b) => b.subarray(24));

interface Mutation {
  at: number;
  value: number;
}

/** A corpus entry with bytes overwritten, then cut or extended, frag_length optionally fixed. */
function mutated(base: Buffer[], fixLength: boolean): fc.Arbitrary<Buffer> {
  return fc
    .record({
      pick: fc.nat(),
      mutations: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), {
        maxLength: 8,
      }),
      cut: fc.option(fc.nat(), { nil: undefined }),
      extra: fc.uint8Array({ maxLength: 16 }),
      fix: fc.boolean(),
    })
    .map(({ pick, mutations, cut, extra, fix }) => {
      const src = base[pick % base.length] as Buffer;
      let b = Buffer.from(src);
      for (const m of mutations as Mutation[]) if (b.length > 0) b[m.at % b.length] = m.value;
      if (cut !== undefined) b = b.subarray(0, cut % (b.length + 1));
      b = Buffer.concat([b, extra]);
      if (fixLength && fix && b.length >= 10 && b.length <= 0xffff) b.writeUInt16LE(b.length, 8);
      return b;
    });
}

function input(base: Buffer[], fixLength = true): fc.Arbitrary<Buffer> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 400 }).map((u) => Buffer.from(u)),
    mutated(base, fixLength),
    mutated(base, fixLength),
  );
}

function onlyDecodeErrors(run: () => void): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof KmsDecodeError)) throw e;
  }
}

interface Codec {
  decode(buf: Uint8Array, offset?: number): unknown;
  encode(value: never): Buffer;
}

const pduCodecs: [string, Codec][] = [
  ['bind', bind],
  ['alter_context', alterContext],
  ['bind_ack', bindAck],
  ['alter_context_resp', alterContextResp],
  ['bind_nak', bindNak],
  ['request', request],
  ['response', response],
  ['fault', fault],
];

describe(`fuzz (${RUNS} runs per decoder)`, () => {
  it('header.decode + validateHeader', () => {
    fc.assert(
      fc.property(input(corpus), (b) =>
        onlyDecodeErrors(() => validateHeader(header.decode(b), { ptype: [2, 3], callId: 2 })),
      ),
      { numRuns: RUNS },
    );
  });

  for (const [name, codec] of pduCodecs) {
    it(`${name}.decode, and re-encode of whatever decodes`, () => {
      fc.assert(
        fc.property(input(corpus), fc.nat({ max: 3 }), (b, offset) => {
          const padded = Buffer.concat([Buffer.alloc(offset), b]);
          onlyDecodeErrors(() => {
            const value = codec.decode(padded, offset);
            const again = codec.decode(codec.encode(value as never));
            assert.deepEqual(again, value);
          });
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('decodePdu / encodePdu / chooseContext', () => {
    fc.assert(
      fc.property(input(corpus), (b) =>
        onlyDecodeErrors(() => {
          const { pdu } = decodePdu(b);
          assert.deepEqual(decodePdu(encodePdu(pdu)).pdu, pdu);
          if (pdu.type === 'bind_ack' || pdu.type === 'alter_context_resp') {
            chooseContext(vlmcsBindContexts(), pdu.results);
          }
        }),
      ),
      { numRuns: RUNS },
    );
  });

  const stubCodecs = [ndr32RequestStub, ndr64RequestStub, ndr32ResponseStub, ndr64ResponseStub];
  for (const codec of stubCodecs) {
    const kind = codec === ndr32RequestStub || codec === ndr64RequestStub ? 'request' : 'response';
    it(`${codec.syntax} ${kind} stub decode`, () => {
      fc.assert(
        fc.property(input(stubCorpus, false), (b) =>
          onlyDecodeErrors(() => {
            const value = codec.decode(b) as never;
            const encoded = (codec.encode as (v: never) => Buffer)(value);
            assert.deepEqual(codec.decode(encoded), value);
          }),
        ),
        { numRuns: RUNS },
      );
    });
  }

  it('RpcFramer on random and mutated streams', () => {
    const streams = fc.array(input(corpus), { maxLength: 6 });
    fc.assert(
      fc.property(
        streams,
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }),
        (chunks, sizes) => {
          const framer = new RpcFramer({ maxPduSize: 4096 });
          const whole = Buffer.concat(chunks);
          let pos = 0;
          let i = 0;
          let threw = 0;
          while (pos < whole.length) {
            const size = sizes[i++ % sizes.length] as number;
            try {
              for (const pdu of framer.push(whole.subarray(pos, pos + size))) {
                assert.ok(pdu.length >= 16 && pdu.length <= 4096);
                assert.equal(pdu.readUInt16LE(8), pdu.length);
              }
            } catch (e) {
              if (!(e instanceof KmsDecodeError)) throw e;
              threw++;
            }
            assert.ok(framer.bufferedBytes < 4096);
            pos += size;
          }
          assert.ok(threw <= 1, 'the framer throws at most once');
        },
      ),
      { numRuns: RUNS },
    );
  });
});
