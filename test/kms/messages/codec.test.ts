// Field-level behaviour of the codecs: layout, limits, helpers, host-side request checks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { V6_CIPHER, encryptPadded, v4Mac } from '../../../src/kms/crypto/index.js';
import { KmsDecodeError } from '../../../src/kms/errors.js';
import type { KmsDecodeReason } from '../../../src/kms/errors.js';
import {
  BASE_REQUEST_OFFSETS,
  BASE_REQUEST_SIZE,
  baseRequest,
  baseResponse,
  decodeClientResponse,
  decodeServerRequest,
  encodeClientRequest,
  encodeServerResponse,
  filetime,
  filetimeFromDate,
  filetimeToDate,
  isSupportedVersion,
  makeBaseRequest,
  peekRequestVersion,
} from '../../../src/kms/messages/index.js';
import type { BaseRequest } from '../../../src/kms/messages/index.js';

const reason =
  (r: KmsDecodeReason) =>
  (e: unknown): boolean =>
    e instanceof KmsDecodeError && e.reason === r;

const sample = (protocol = 6, extra: Partial<BaseRequest> = {}): BaseRequest => ({
  ...makeBaseRequest({
    protocol,
    applicationId: '55c92734-d682-4d71-983e-d6ec3f16059f',
    skuId: '2de67392-b7a7-462a-b1ca-108dd189f588',
    kmsCountedId: '58e2134f-8e11-4d17-9cb2-91069c151148',
    cmid: '8e5f0c1a-3b7d-4c2e-9a61-4f0b2d7c9e13',
    nPolicy: 25,
    workstation: 'kms-probe.example.test',
    clientTime: 133814160000000000n,
  }),
  ...extra,
});

describe('FILETIME', () => {
  it('converts to and from Date', () => {
    assert.equal(filetimeFromDate(new Date('2025-01-15T12:00:00Z')), 133814160000000000n);
    assert.equal(filetimeFromDate(new Date(0)), 116444736000000000n);
    assert.equal(filetimeToDate(133814160000000000n).toISOString(), '2025-01-15T12:00:00.000Z');
    assert.equal(filetimeToDate(0n).toISOString(), '1601-01-01T00:00:00.000Z');
    assert.throws(() => filetimeFromDate(new Date(NaN)), RangeError);
    assert.throws(() => filetimeFromDate(new Date('1600-01-01T00:00:00Z')), RangeError);
  });

  it('is little-endian u64 on the wire', () => {
    assert.equal(filetime.encode(133814160000000000n).toString('hex'), '00a0b7004567db01');
    assert.equal(filetime.decode(Buffer.from('00a0b7004567db01', 'hex')), 133814160000000000n);
    assert.throws(() => filetime.decode(Buffer.alloc(7)), reason('malformed'));
    assert.throws(() => filetime.encode(-1n), RangeError);
  });
});

describe('base request codec', () => {
  it('puts every field at its docs/protocol.md §3.1 offset', () => {
    const b = baseRequest.encode(
      sample(5, { vmFlag: 1, licenseStatus: 3, bindingExpiration: 7, nPolicy: 5 }),
    );
    const o = BASE_REQUEST_OFFSETS;
    assert.equal(b.length, BASE_REQUEST_SIZE);
    assert.equal(b.subarray(0, 4).toString('hex'), '00000500');
    assert.equal(b.readUInt32LE(o.vmFlag), 1);
    assert.equal(b.readUInt32LE(o.licenseStatus), 3);
    assert.equal(b.readUInt32LE(o.bindingExpiration), 7);
    assert.equal(
      b.subarray(o.applicationId, o.applicationId + 16).toString('hex'),
      '3427c95582d6714d983ed6ec3f16059f',
    );
    assert.equal(
      b.subarray(o.cmid, o.cmid + 16).toString('hex'),
      '1a0c5f8e7d3b2e4c9a614f0b2d7c9e13',
    );
    assert.equal(b.readUInt32LE(o.nPolicy), 5);
    assert.equal(b.readBigUInt64LE(o.clientTime), 133814160000000000n);
    assert.ok(b.subarray(o.previousCmid, o.previousCmid + 16).equals(Buffer.alloc(16)));
    assert.equal(
      b.toString('utf16le', o.workstation, o.workstation + 44),
      'kms-probe.example.test',
    );
    assert.ok(
      b.subarray(o.workstation + 44).equals(Buffer.alloc(BASE_REQUEST_SIZE - o.workstation - 44)),
    );
  });

  it('abstract-encoding: offsets, provided buffers, .bytes', () => {
    const buf = Buffer.alloc(300, 0xee);
    baseRequest.encode(sample(), buf, 10);
    assert.equal(baseRequest.encode.bytes, 236);
    assert.equal(buf[9], 0xee);
    assert.equal(buf[246], 0xee);
    const back = baseRequest.decode(buf, 10);
    assert.equal(baseRequest.decode.bytes, 236);
    assert.deepEqual(back, sample());
    assert.equal(baseRequest.encodingLength(sample()), 236);
    assert.throws(() => baseRequest.encode(sample(), Buffer.alloc(235)), RangeError);
    assert.throws(() => baseRequest.decode(buf, 65), reason('malformed'));
    assert.throws(() => baseRequest.decode(buf, -1), reason('malformed'));
  });

  it('workstation: 63 units max, zero-filled; decode tolerates a full field without NUL', () => {
    const w63 = 'é'.repeat(63);
    assert.equal(
      baseRequest.decode(baseRequest.encode(sample(6, { workstation: w63 }))).workstation,
      w63,
    );
    assert.throws(() => baseRequest.encode(sample(6, { workstation: 'a'.repeat(64) })), RangeError);
    assert.throws(() => baseRequest.encode(sample(6, { workstation: 'a\0b' })), RangeError);
    const b = baseRequest.encode(sample());
    b.fill(0x41, BASE_REQUEST_OFFSETS.workstation);
    assert.equal(baseRequest.decode(b).workstation, '䅁'.repeat(64));
  });

  it('encoder rejects out-of-range numbers and non-GUIDs', () => {
    assert.throws(() => baseRequest.encode(sample(6, { nPolicy: -1 })), RangeError);
    assert.throws(() => baseRequest.encode(sample(6, { vmFlag: 2 ** 32 })), RangeError);
    assert.throws(
      () => baseRequest.encode(sample(6, { version: { major: 70000, minor: 0 } })),
      RangeError,
    );
    assert.throws(() => baseRequest.encode(sample(6, { cmid: 'nope' })), TypeError);
  });
});

describe('base response codec', () => {
  const value = {
    version: { major: 6, minor: 0 },
    epid: '03612-00206-556-123727-03-1033-17763.0000-2972018',
    cmid: '8e5f0c1a-3b7d-4c2e-9a61-4f0b2d7c9e13',
    clientTime: 133814160000000000n,
    activeClients: 50,
    activationIntervalMinutes: 120,
    renewalIntervalMinutes: 10080,
  };

  it('a 49-character ePID gives P = 100 and 144 bytes', () => {
    const b = baseResponse.encode(value);
    assert.equal(b.length, 144);
    assert.equal(baseResponse.encodingLength(value), 144);
    assert.equal(b.readUInt32LE(4), 100);
    assert.deepEqual(baseResponse.decode(b), value);
    assert.equal(baseResponse.decode.bytes, 144);
  });

  it('ePID limit is 63 characters (P ≤ 128)', () => {
    assert.equal(baseResponse.encode({ ...value, epid: 'x'.repeat(63) }).readUInt32LE(4), 128);
    assert.throws(() => baseResponse.encode({ ...value, epid: 'x'.repeat(64) }), RangeError);
  });

  it('rejects P > 128, odd, zero, or past the end before reading the ePID', () => {
    const b = baseResponse.encode(value);
    for (const p of [0, 1, 99, 130, 0xffffffff]) {
      const bad = Buffer.from(b);
      bad.writeUInt32LE(p, 4);
      assert.throws(() => baseResponse.decode(bad), reason('malformed'), `P = ${p}`);
    }
    assert.throws(() => baseResponse.decode(b.subarray(0, 143)), reason('malformed'));
    assert.throws(() => baseResponse.decode(b.subarray(0, 60)), reason('malformed'));
  });
});

describe('host-side request decoding', () => {
  it('peeks the clear version and knows which versions are served', () => {
    assert.deepEqual(peekRequestVersion(Buffer.from('00000600', 'hex')), { major: 6, minor: 0 });
    assert.throws(() => peekRequestVersion(Buffer.alloc(3)), reason('malformed'));
    assert.ok(isSupportedVersion({ major: 4, minor: 0 }));
    assert.ok(!isSupportedVersion({ major: 6, minor: 1 }));
    assert.ok(!isSupportedVersion({ major: 3, minor: 0 }));
    assert.ok(!isSupportedVersion({ major: 7, minor: 0 }));
  });

  it('unsupported versions are unexpected (→ 0x8007000D at the host)', () => {
    for (const v of ['00000300', '01000600', '00000700']) {
      const payload = Buffer.concat([Buffer.from(v, 'hex'), Buffer.alloc(256)]);
      assert.throws(() => decodeServerRequest(payload), reason('unexpected'));
    }
  });

  it('v4: wrong size → malformed, bad MAC → verify_failed unless verification is off', () => {
    const { payload } = encodeClientRequest(sample(4));
    assert.throws(() => decodeServerRequest(payload.subarray(0, 251)), reason('malformed'));
    assert.throws(
      () => decodeServerRequest(Buffer.concat([payload, Buffer.alloc(1)])),
      reason('malformed'),
    );
    const bad = Buffer.from(payload);
    bad[100]! ^= 1;
    assert.throws(() => decodeServerRequest(bad), reason('verify_failed'));
    assert.equal(decodeServerRequest(bad, { verifyV4Mac: false }).request.nPolicy, 25);
  });

  it('v5/v6: short → malformed, bad length or padding → decrypt_failed, inner version → mismatch', () => {
    for (const protocol of [5, 6]) {
      // A fixed IV: with a random one, the flipped last byte below decrypts to valid padding
      // (0x01) once in 256 runs and the case tests the length check instead.
      const { payload } = encodeClientRequest(sample(protocol), { iv: Buffer.alloc(16, 7) });
      assert.throws(() => decodeServerRequest(payload.subarray(0, 19)), reason('malformed'));
      assert.throws(() => decodeServerRequest(payload.subarray(0, 20)), reason('decrypt_failed'));
      assert.throws(() => decodeServerRequest(payload.subarray(0, 259)), reason('decrypt_failed'));
      const pad = Buffer.from(payload);
      pad[259]! ^= 1;
      assert.throws(() => decodeServerRequest(pad), reason('decrypt_failed'));
      // Dropping the last block leaves valid-looking ciphertext that fails padding.
      assert.throws(() => decodeServerRequest(payload.subarray(0, 244)), reason('decrypt_failed'));
    }
    // A 6.0 envelope around a 5.0 base request.
    const iv = Buffer.alloc(16, 1);
    const inner = baseRequest.encode(sample(5));
    const payload = Buffer.concat([
      Buffer.from('00000600', 'hex'),
      iv,
      encryptPadded(V6_CIPHER, iv, inner),
    ]);
    assert.throws(() => decodeServerRequest(payload), reason('mismatch'));
    // Right padding but a plaintext that is not 236 bytes.
    const short = Buffer.concat([
      Buffer.from('00000600', 'hex'),
      iv,
      encryptPadded(V6_CIPHER, iv, inner.subarray(0, 200)),
    ]);
    assert.throws(() => decodeServerRequest(short), reason('malformed'));
  });

  it('v4 request MAC is V4MAC(base)', () => {
    const { payload } = encodeClientRequest(sample(4));
    assert.deepEqual(payload.subarray(236), v4Mac(payload.subarray(0, 236)));
  });
});

describe('host-side response encoding', () => {
  const answer = {
    epid: '03612-00206-556-123727-03-1033-17763.0000-2972018',
    activeClients: 1,
    activationIntervalMinutes: 120,
    renewalIntervalMinutes: 10080,
  };

  it('v6 needs an 8-byte HWID; v4/v5 ignore it', () => {
    const { context } = encodeClientRequest(sample(6));
    assert.throws(() => encodeServerResponse(context, answer), RangeError);
    assert.throws(() => encodeServerResponse(context, { ...answer, hwid: 'xyz' }), RangeError);
    assert.throws(
      () => encodeServerResponse(context, { ...answer, hwid: new Uint8Array(7) }),
      RangeError,
    );
    assert.equal(
      decodeClientResponse(
        encodeServerResponse(context, { ...answer, hwid: new Uint8Array(8).fill(0xab) }),
        context,
      ).hwid,
      'ABABABABABABABAB',
    );
    const v5 = encodeClientRequest(sample(5)).context;
    assert.equal(decodeClientResponse(encodeServerResponse(v5, answer), v5).hwid, null);
  });

  it('injected randomness must be 16 bytes; unknown versions are refused', () => {
    const { context } = encodeClientRequest(sample(5));
    assert.throws(
      () => encodeServerResponse(context, answer, { random: new Uint8Array(15) }),
      RangeError,
    );
    const v7 = encodeClientRequest(sample(7)).context;
    assert.throws(
      () => encodeServerResponse(v7, { ...answer, hwid: '0000000000000000' }),
      RangeError,
    );
    assert.throws(
      () => decodeClientResponse(Buffer.from('00000700', 'hex'), v7),
      reason('unexpected'),
    );
  });

  it('client request encoder validates the IV', () => {
    assert.throws(() => encodeClientRequest(sample(6), { iv: new Uint8Array(8) }), RangeError);
    assert.throws(() => encodeClientRequest(sample(3)), RangeError);
  });
});
