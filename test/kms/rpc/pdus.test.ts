// Symmetric codecs for what the captures lack: bind_nak, faults with other statuses, requests
// with an object UUID, NDR64 and failure stubs, and the structural errors decoders report.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KmsDecodeError } from '../../../src/kms/errors.js';
import {
  FAULT_STATUS,
  PFC,
  alterContext,
  bind,
  bindAck,
  bindNak,
  bindNakReasonName,
  buildNdr32Bind,
  decodePdu,
  encodePdu,
  fault,
  faultStatusName,
  ndr32RequestStub,
  ndr32ResponseStub,
  ndr64RequestStub,
  ndr64ResponseStub,
  request,
  response,
} from '../../../src/kms/rpc/index.js';
import { hex } from './vectors.js';

function failsWith(reason: string): (e: unknown) => boolean {
  return (e: unknown) => e instanceof KmsDecodeError && e.reason === reason;
}

describe('bind_nak', () => {
  it('round-trips with its version list', () => {
    const wire = bindNak.encode({ callId: 2, rejectReason: 4 });
    assert.equal(hex(wire), '05000d031000000015000000020000000400' + '010500');
    const back = bindNak.decode(wire);
    assert.deepEqual(back, {
      callId: 2,
      pfcFlags: 3,
      rejectReason: 4,
      versions: [{ major: 5, minor: 0 }],
    });
    assert.equal(bindNakReasonName(back.rejectReason), 'protocol_version_not_supported');
    assert.equal(bindNakReasonName(99), 'reason_99');
    assert.equal(hex(encodePdu(decodePdu(wire).pdu)), hex(wire));
  });

  it('accepts a nak without version list and rejects a truncated one', () => {
    const short = bindNak.encode({ callId: 2, rejectReason: 0, versions: [] }).subarray(0, 18);
    short.writeUInt16LE(18, 8);
    assert.deepEqual(bindNak.decode(short).versions, []);
    const cut = Buffer.from(
      bindNak.encode({ callId: 2, rejectReason: 0, versions: [{ major: 5, minor: 0 }] }),
    );
    cut[18] = 9; // claims 9 versions, has 1
    assert.throws(() => bindNak.decode(cut), failsWith('malformed'));
  });
});

describe('fault', () => {
  it('encodes what vlmcsd sends for an unknown context, minus its garbage', () => {
    const wire = fault.encode({ callId: 2, status: FAULT_STATUS.unk_if });
    assert.equal(
      hex(wire),
      '050003231000000020000000020000002000000000000000' + '0300011c00000000',
    );
  });

  it('names the statuses of docs/protocol.md', () => {
    assert.equal(faultStatusName(0x1c010002), 'op_rng_error');
    assert.equal(faultStatusName(0x1c01000b), 'proto_error');
    assert.equal(faultStatusName(0x1c010014), 'server_too_busy');
    assert.equal(faultStatusName(5), 'access_denied');
    assert.equal(faultStatusName(0x6f7), 'bad_stub_data');
    assert.equal(faultStatusName(0x12345678), undefined);
  });

  it('keeps extended data, tolerates a fault cut after its status', () => {
    const ext = fault.encode({ callId: 7, status: 5, stub: Buffer.from('abcd') });
    assert.equal(hex(fault.decode(ext).stub), hex(Buffer.from('abcd')));
    const cut = Buffer.from(ext.subarray(0, 28));
    cut.writeUInt16LE(28, 8);
    const f = fault.decode(cut);
    assert.equal(f.status, 5);
    assert.equal(f.reserved, 0);
  });
});

describe('request and response', () => {
  it('carries an object UUID when the flag says so', () => {
    const object = '01234567-89ab-cdef-0123-456789abcdef';
    const wire = request.encode({ callId: 3, contextId: 1, object, stub: Buffer.from([1, 2, 3]) });
    assert.equal(wire[3]! & PFC.objectUuid, PFC.objectUuid);
    const back = request.decode(wire);
    assert.equal(back.object, object);
    assert.equal(hex(back.stub), '010203');
    assert.equal(back.allocHint, 3);
    assert.equal(hex(request.encode(back)), hex(wire));
  });

  it('refuses a PDU of another type and a frag_length beyond the buffer', () => {
    const r = response.encode({ callId: 2, stub: Buffer.alloc(12) });
    assert.throws(() => request.decode(r), failsWith('unexpected'));
    assert.throws(() => bind.decode(r), failsWith('unexpected'));
    assert.throws(() => alterContext.decode(buildNdr32Bind()), failsWith('unexpected'));
    assert.throws(() => response.decode(r.subarray(0, r.length - 1)), failsWith('malformed'));
    const tiny = Buffer.from(r);
    tiny.writeUInt16LE(8, 8);
    assert.throws(() => response.decode(tiny), failsWith('malformed'));
  });

  it('decodes at an offset inside a larger buffer', () => {
    const pdu = buildNdr32Bind({ callId: 5 });
    const buf = Buffer.concat([Buffer.from('xyz'), pdu, Buffer.from('trailing')]);
    assert.equal(bind.decode(buf, 3).callId, 5);
    const out = Buffer.alloc(pdu.length + 4, 0xaa);
    bind.encode(bind.decode(pdu), out, 4);
    assert.equal(hex(out.subarray(4)), hex(pdu));
  });

  it('refuses a context list longer than the PDU', () => {
    const b = Buffer.from(buildNdr32Bind());
    b[24] = 200;
    assert.throws(() => bind.decode(b), failsWith('malformed'));
    const ack = Buffer.from(bindAck.encode({ callId: 2, secAddr: '1688', results: [] }));
    ack.writeUInt16LE(0xffff, 24); // sec_addr length beyond the PDU
    assert.throws(() => bindAck.decode(ack), failsWith('malformed'));
  });

  it('rejects packet types KMS does not use', () => {
    const r = Buffer.from(response.encode({ callId: 2, stub: Buffer.alloc(0) }));
    r[2] = 16; // auth3
    assert.throws(() => decodePdu(r), failsWith('unexpected'));
  });
});

describe('NDR stubs', () => {
  const payload = Buffer.from(Array.from({ length: 158 }, (_, i) => i));

  it('encodes the request stub in NDR32 and NDR64', () => {
    assert.equal(hex(ndr32RequestStub.encode({ payload })).slice(0, 16), '9e0000009e000000');
    assert.equal(
      hex(ndr64RequestStub.encode({ payload })).slice(0, 32),
      '9e000000000000009e00000000000000',
    );
    assert.equal(
      hex(ndr64RequestStub.decode(ndr64RequestStub.encode({ payload })).payload),
      hex(payload),
    );
  });

  it('refuses request stubs whose counts disagree or overrun', () => {
    const s = Buffer.from(ndr32RequestStub.encode({ payload }));
    s.writeUInt32LE(157, 4);
    assert.throws(() => ndr32RequestStub.decode(s), failsWith('malformed'));
    s.writeUInt32LE(400, 0);
    s.writeUInt32LE(400, 4);
    assert.throws(() => ndr32RequestStub.decode(s), failsWith('malformed'));
    s.writeUInt32LE(0xffffffff, 0);
    s.writeUInt32LE(0xffffffff, 4);
    assert.throws(() => ndr32RequestStub.decode(s), failsWith('malformed'));
  });

  it('reads the return value in both layouts after an odd-length payload', () => {
    for (const codec of [ndr32ResponseStub, ndr64ResponseStub]) {
      const aligned = codec.encode({ payload, hresult: 0x8007000d });
      const packed = codec.encode({ payload, hresult: 0x8007000d, layout: 'packed' });
      assert.equal(aligned.length, packed.length);
      assert.notEqual(hex(aligned), hex(packed));
      assert.deepEqual(codec.decode(aligned), { payload, hresult: 0x8007000d });
      // A packed stub cut right after its return value (no trailing pad) still decodes.
      const head = codec.syntax === 'ndr64' ? 24 : 12;
      const tight = packed.subarray(0, head + payload.length + 4);
      assert.deepEqual(codec.decode(tight), { payload, hresult: 0x8007000d });
    }
  });

  it('encodes and decodes refusals', () => {
    const r32 = ndr32ResponseStub.encode({ payload: null, hresult: 0xc004f042 });
    assert.equal(hex(r32), '000000000000000042f004c0');
    assert.deepEqual(ndr32ResponseStub.decode(r32), { payload: null, hresult: 0xc004f042 });
    const r64 = ndr64ResponseStub.encode({ payload: null, hresult: 0xc004f042 });
    assert.equal(hex(r64), '0000000000000000000000000000000042f004c0');
    assert.deepEqual(ndr64ResponseStub.decode(r64), { payload: null, hresult: 0xc004f042 });
    // The spec's complete refusal PDU (§2.5).
    const pdu = response.encode({ callId: 2, stub: r32 });
    assert.equal(
      hex(pdu),
      '050002031000000024000000020000000c000000000000000000000000000000' + '42f004c0',
    );
  });

  it('refuses response stubs that are malformed', () => {
    const ok = ndr32ResponseStub.encode({ payload, hresult: 0 });
    const badCount = Buffer.from(ok);
    badCount.writeUInt32LE(159, 8);
    assert.throws(() => ndr32ResponseStub.decode(badCount), failsWith('malformed'));
    assert.throws(() => ndr32ResponseStub.decode(ok.subarray(0, 12 + 158)), failsWith('malformed'));
    assert.throws(() => ndr32ResponseStub.decode(Buffer.alloc(8)), failsWith('malformed'));
    const big64 = Buffer.from(ndr64ResponseStub.encode({ payload, hresult: 0 }));
    big64.writeUInt32LE(1, 4); // size high word
    assert.throws(() => ndr64ResponseStub.decode(big64), failsWith('malformed'));
  });
});
