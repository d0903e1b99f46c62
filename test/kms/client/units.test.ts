// The client's small pure parts: PDU framing with early rejection, the protocol fallback
// order, the deadline budget and the result builder.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KmsDecodeError } from '../../../src/kms/errors.js';
import { PduReader } from '../../../src/kms/client/pdu-reader.js';
import { protocolsToTry } from '../../../src/kms/client/fallback.js';
import { Deadline } from '../../../src/kms/client/deadline.js';
import { ProbeFailure, asProbeFailure, hresultFailure } from '../../../src/kms/client/failure.js';
import { buildProductResult } from '../../../src/kms/client/build-result.js';
import { isoTimestamp } from '../../../src/kms/client/iso-time.js';
import { buildNdr32Bind } from '../../../src/kms/rpc/index.js';
import { lab } from './helpers.js';

describe('PduReader', () => {
  const bind = buildNdr32Bind();

  it('reassembles PDUs split and coalesced at every position', () => {
    const two = Buffer.concat([bind, bind]);
    for (let cut = 0; cut <= two.length; cut++) {
      const reader = new PduReader();
      const out = [...reader.push(two.subarray(0, cut)), ...reader.push(two.subarray(cut))];
      assert.deepEqual(out, [bind, bind], `cut at ${cut}`);
      assert.equal(reader.buffered, 0);
    }
  });

  it('hands over a fresh one-PDU chunk as it is, and copies a PDU that shares memory', () => {
    const fresh = Buffer.alloc(bind.length);
    bind.copy(fresh);
    const [same] = new PduReader().push(fresh);
    assert.equal(same, fresh, 'the chunk itself');
    // Views into a larger buffer (a split or coalesced read, or a caller's shared bytes):
    // the PDU is a copy, so later writes to those bytes cannot change it.
    const shared = Buffer.concat([bind, bind]);
    const reader = new PduReader();
    const [first, second] = reader.push(shared);
    const single = new PduReader().push(shared.subarray(0, bind.length))[0]!;
    shared.fill(0);
    assert.deepEqual([first, second, single], [bind, bind, bind]);
  });

  it('rejects non-RPC bytes from the first byte, without waiting for a length', () => {
    const reader = new PduReader();
    assert.throws(
      () => reader.push(Buffer.from([0x47])),
      (e: unknown) => e instanceof KmsDecodeError && e.reason === 'malformed',
    );
    assert.throws(() => reader.push(bind), KmsDecodeError, 'stays failed');
    assert.throws(() => new PduReader().push(Buffer.from([5, 1])), KmsDecodeError);
  });

  it('refuses a frag_length outside 16..max before allocating', () => {
    const huge = Buffer.from(bind);
    huge.writeUInt16LE(0xffff, 8);
    assert.throws(() => new PduReader().push(huge.subarray(0, 10)), /frag_length 65535/);
    const tiny = Buffer.from(bind);
    tiny.writeUInt16LE(8, 8);
    assert.throws(() => new PduReader().push(tiny), /frag_length 8/);
  });
});

describe('protocol fallback order', () => {
  it('goes down from the product version to 4, or tries only a forced version', () => {
    assert.deepEqual(protocolsToTry({ protocol: 6 }), [6, 5, 4]);
    assert.deepEqual(protocolsToTry({ protocol: 5 }), [5, 4]);
    assert.deepEqual(protocolsToTry({ protocol: 4 }), [4]);
    assert.deepEqual(protocolsToTry({ protocol: 4 }, 6), [6]);
  });
});

describe('Deadline', () => {
  it('gives a phase its own timeout or what is left, and says which', () => {
    let now = 0;
    const deadline = new Deadline(1000, () => now);
    assert.deepEqual(deadline.budget(300), { ms: 300, byDeadline: false });
    now = 900;
    const b = deadline.budget(300);
    assert.deepEqual(b, { ms: 100, byDeadline: true });
    assert.equal(deadline.describe(b, 'bind', 300), 'the 1000 ms overall deadline');
    assert.equal(
      deadline.describe({ ms: 300, byDeadline: false }, 'bind', 300),
      'the 300 ms bind timeout',
    );
    now = 1000;
    assert.ok(deadline.expired());
  });
});

describe('failures and results', () => {
  it('names HRESULTs with Microsoft words and formats codes as 0xC004F042', () => {
    const f = hresultFailure(0xc004f042, 6);
    assert.equal(f.reason, 'kms_error');
    assert.equal(f.code, '0xC004F042');
    assert.match(f.message, /SL_E_VL_KEY_MANAGEMENT_SERVICE_ID_MISMATCH/);
    assert.equal(hresultFailure(0x8007000d, 4).code, '0x8007000D');
    assert.match(hresultFailure(0x12345678, 5).message, /0x12345678/);
  });

  it('wraps anything thrown into a named failure', () => {
    assert.equal(
      asProbeFailure(new KmsDecodeError('verify_failed', 'x'), 'r').reason,
      'verify_failed',
    );
    assert.equal(asProbeFailure(new TypeError('bug'), 'r').reason, 'malformed');
    const own = new ProbeFailure('timeout', 't');
    assert.equal(asProbeFailure(own, 'r'), own);
  });

  it('a failure result has every field, nulls where nothing was learned', () => {
    const r = buildProductResult({
      target: { host: 'kms.example', port: 1688 },
      address: null,
      product: lab('lab-office'),
      protocol: null,
      response: null,
      failure: new ProbeFailure('connect_refused', 'refused'),
      phases: { connect: 0.0012345678 },
      timestamp: new Date('2026-01-02T03:04:05Z'),
    });
    assert.deepEqual(r, {
      host: 'kms.example',
      port: 1688,
      address: null,
      product: 'lab-office',
      success: false,
      protocol: null,
      epid: null,
      hwid: null,
      hostBuild: null,
      keyInstallDate: null,
      activeClients: null,
      threshold: 5,
      activationIntervalMinutes: null,
      renewalIntervalMinutes: null,
      durationSeconds: 0.001235,
      phases: { connect: 0.001235 },
      timestamp: '2026-01-02T03:04:05.000Z',
      error: { reason: 'connect_refused', code: null, message: 'refused' },
      association: null,
    });
  });
});

describe('isoTimestamp', () => {
  it('is toISOString for every date, in any order (the per-second prefix is reused only within its second)', () => {
    const times = [
      0, -1, -999, -1000, -1001, 1, 999, 1000, 1001, 1764547199999, 1764547200000, 1764547200001,
      253402300799999, 253402300800000, -62167219200001, 8.64e15, -8.64e15,
    ];
    for (let i = 0; i < 2000; i++) times.push(Math.floor((Math.random() - 0.5) * 2 * 8.64e15));
    for (let i = 0; i < 200; i++) times.push(1764547200000 + i * 7);
    for (const t of [...times, ...times.reverse()]) {
      const d = new Date(t);
      assert.equal(isoTimestamp(d), d.toISOString(), String(t));
    }
  });

  it('throws the RangeError toISOString throws for an invalid date', () => {
    assert.throws(() => isoTimestamp(new Date(Number.NaN)), RangeError);
  });
});
