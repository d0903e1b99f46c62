// The request frame (header, call fields and stub head encoded once) plus a payload is the
// PDU the request and stub codecs build for that payload, for each syntax, context and call.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  header,
  request,
  requestFrame,
  requestStub,
  response,
  responseStub,
  responseStubOf,
} from '../../../src/kms/rpc/index.js';
import type { NdrSyntax } from '../../../src/kms/rpc/index.js';

describe('request frames', () => {
  for (const syntax of ['ndr32', 'ndr64'] as NdrSyntax[]) {
    it(`${syntax}: frame + payload = the codecs' PDU`, () => {
      for (const [contextId, size, callId] of [
        [0, 260, 2],
        [1, 252, 3],
        [2, 7, 0xffffffff],
      ] as const) {
        const payload = randomBytes(size);
        const frame = requestFrame(syntax, contextId, size);
        const pdu = frame.open(callId);
        payload.copy(pdu, frame.payloadAt);
        const stub = requestStub(syntax).encode({ payload });
        assert.deepEqual(pdu, request.encode({ callId, contextId, stub }));
        assert.equal(frame.length, pdu.length);
        // Each call gets its own buffer: writing one leaves the next untouched.
        const next = frame.open(callId);
        pdu.fill(0);
        assert.deepEqual(
          next.subarray(0, frame.payloadAt),
          request.encode({ callId, contextId, stub }).subarray(0, frame.payloadAt),
        );
      }
    });
  }

  it('responseStubOf: a view of a well-framed response, the codec for anything else', () => {
    const stub = responseStub('ndr32').encode({ payload: randomBytes(40) });
    const pdu = response.encode({ callId: 2, stub });
    const view = responseStubOf(pdu, header.decode(pdu));
    assert.deepEqual(view, stub);
    assert.equal(view.buffer, pdu.buffer, 'no copy');
    // Trailing bytes after frag_length: the codec's copy of the framed stub.
    const longer = Buffer.concat([pdu, Buffer.alloc(4)]);
    assert.deepEqual(responseStubOf(longer, header.decode(longer)), stub);
    // Cut short: the codec names it.
    const short = pdu.subarray(0, 20);
    assert.throws(() => responseStubOf(short, header.decode(short)), /response/);
  });
});
