// A request template reused for many requests gives, for each time and IV, the bytes and
// the context an encoding from scratch gives: the captured requests byte for byte, and
// for other times an encoding built here from the base request codec and the cipher's
// padded CBC (not through the template).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { encryptPadded, kmsCipher, v4Mac } from '../../../src/kms/crypto/index.js';
import {
  baseRequest,
  createRequestTemplate,
  decodeServerRequest,
  isSupportedVersion,
  peekRequestVersion,
} from '../../../src/kms/messages/index.js';
import type { BaseRequest } from '../../../src/kms/messages/index.js';
import { exchanges } from './vectors.js';

function fromScratch(request: BaseRequest, iv: Buffer): Buffer {
  const base = baseRequest.encode(request);
  if (request.version.major === 4) return Buffer.concat([base, v4Mac(base)]);
  const version = Buffer.alloc(4);
  version.writeUInt16LE(request.version.minor, 0);
  version.writeUInt16LE(request.version.major, 2);
  return Buffer.concat([version, iv, encryptPadded(kmsCipher(request.version.major), iv, base)]);
}

/** Writes with `template` at an offset inside a guarded buffer; checks nothing else moved. */
function written(template: ReturnType<typeof createRequestTemplate>, time: bigint, iv: Buffer) {
  const offset = 5;
  const out = Buffer.alloc(offset + template.size + 3, 0xee);
  const context = template.writeInto(out, offset, time, iv);
  assert.equal(out.subarray(0, offset).toString('hex'), 'ee'.repeat(offset));
  assert.equal(out.subarray(offset + template.size).toString('hex'), 'eeeeee');
  return { payload: out.subarray(offset, offset + template.size), context };
}

const served = exchanges.filter((x) => isSupportedVersion(peekRequestVersion(x.request)));

describe('request templates', () => {
  it('one template per captured request reproduces it, with the host-side context', () => {
    assert.ok(served.length >= 3);
    const majors = new Set<number>();
    for (const x of served) {
      const host = decodeServerRequest(x.request);
      const { request } = host;
      majors.add(request.version.major);
      const template = createRequestTemplate({ ...request, clientTime: 0n });
      const iv = request.version.major === 4 ? Buffer.alloc(16) : x.request.subarray(4, 20);
      const { payload, context } = written(template, request.clientTime, iv);
      assert.deepEqual(payload, x.request, x.name);
      assert.deepEqual(context, host.context, x.name);
    }
    assert.deepEqual([...majors].sort(), [4, 5, 6]);
  });

  it('the same template for other times and IVs: the request encoded from scratch', () => {
    for (const major of [4, 5, 6]) {
      const x = served.find((e) => peekRequestVersion(e.request).major === major)!;
      const { request } = decodeServerRequest(x.request);
      const template = createRequestTemplate(request);
      for (const clientTime of [133814160000000001n, 0n, 0xffffffffffffffffn]) {
        const iv = randomBytes(16);
        const { payload, context } = written(template, clientTime, iv);
        const want = fromScratch({ ...request, clientTime }, iv);
        assert.equal(template.size, want.length);
        assert.deepEqual(payload, want, `v${major} at ${clientTime}`);
        assert.deepEqual(context, decodeServerRequest(want).context);
      }
    }
  });

  it('a product with a bad GUID fails when the template is made, as the encoder does', () => {
    const { request } = decodeServerRequest(served[0]!.request);
    assert.throws(() => createRequestTemplate({ ...request, skuId: 'not-a-guid' }), /not a GUID/);
  });
});
