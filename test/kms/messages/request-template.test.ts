// A request template reused for many requests gives, for each time and IV, the bytes and
// the context an encoding from scratch gives (built here from the base request codec and
// the cipher's padded CBC, not through the template).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { encryptPadded, kmsCipher, v4Mac } from '../../../src/kms/crypto/index.js';
import {
  baseRequest,
  createRequestTemplate,
  decodeServerRequest,
  makeBaseRequest,
} from '../../../src/kms/messages/index.js';
import type { BaseRequest } from '../../../src/kms/messages/index.js';

const input = (protocol: number, clientTime: bigint): BaseRequest =>
  makeBaseRequest({
    protocol,
    applicationId: '55c92734-d682-4d71-983e-d6ec3f16059f',
    skuId: '2de67392-b7a7-462a-b1ca-108dd189f588',
    kmsCountedId: '58e2134f-8e11-4d17-9cb2-91069c151148',
    cmid: '8e5f0c1a-3b7d-4c2e-9a61-4f0b2d7c9e13',
    nPolicy: 25,
    workstation: 'kms-monitor.example.test',
    clientTime,
  });

function fromScratch(request: BaseRequest, iv: Buffer): Buffer {
  const base = baseRequest.encode(request);
  if (request.version.major === 4) return Buffer.concat([base, v4Mac(base)]);
  const version = Buffer.alloc(4);
  version.writeUInt16LE(request.version.minor, 0);
  version.writeUInt16LE(request.version.major, 2);
  return Buffer.concat([version, iv, encryptPadded(kmsCipher(request.version.major), iv, base)]);
}

describe('request templates', () => {
  for (const protocol of [4, 5, 6]) {
    it(`v${protocol}: every request of one template is the request encoded from scratch`, () => {
      const template = createRequestTemplate(input(protocol, 0n));
      for (const clientTime of [133814160000000000n, 133814160000000001n, 0xffffffffffffffffn]) {
        const iv = randomBytes(16);
        const offset = 5;
        const out = Buffer.alloc(offset + template.size + 3, 0xee);
        const context = template.writeInto(out, offset, clientTime, iv);
        const want = fromScratch(input(protocol, clientTime), iv);
        assert.equal(template.size, want.length);
        assert.deepEqual(out.subarray(offset, offset + template.size), want);
        // Nothing written outside the payload.
        assert.equal(out.subarray(0, offset).toString('hex'), 'ee'.repeat(offset));
        assert.equal(out.subarray(offset + template.size).toString('hex'), 'eeeeee');
        // The host sees the same request and the same context the client keeps.
        const host = decodeServerRequest(want);
        assert.equal(host.request.clientTime, clientTime);
        assert.deepEqual(context, host.context);
      }
    });
  }

  it('a product with a bad GUID fails when the template is made, as the encoder does', () => {
    assert.throws(
      () => createRequestTemplate({ ...input(6, 0n), skuId: 'not-a-guid' }),
      /not a GUID/,
    );
  });
});
