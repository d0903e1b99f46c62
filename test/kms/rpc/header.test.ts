// Header encode/decode and the strict-client checks of docs/protocol.md §2.1.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KmsDecodeError } from '../../../src/kms/errors.js';
import { PTYPE, header, validateHeader } from '../../../src/kms/rpc/index.js';
import type { RpcHeader } from '../../../src/kms/rpc/index.js';

const good: RpcHeader = {
  rpcVers: 5,
  rpcVersMinor: 0,
  ptype: PTYPE.response,
  pfcFlags: 0x03,
  drep: 0x10000000,
  fragLength: 300,
  authLength: 0,
  callId: 2,
};

function rejects(
  h: Partial<RpcHeader>,
  expect: Parameters<typeof validateHeader>[1],
  pattern: RegExp,
): void {
  assert.throws(
    () => validateHeader({ ...good, ...h }, expect),
    (e: unknown) =>
      e instanceof KmsDecodeError && e.reason === 'unexpected' && pattern.test(e.message),
  );
}

describe('RPC header', () => {
  it('encodes and decodes all fields', () => {
    const bytes = header.encode({ ptype: 12, pfcFlags: 0x13, fragLength: 108, callId: 0xfffffffe });
    assert.equal(bytes.toString('hex'), '05000c13100000006c000000feffffff');
    assert.deepEqual(header.decode(bytes), {
      rpcVers: 5,
      rpcVersMinor: 0,
      ptype: 12,
      pfcFlags: 0x13,
      drep: 0x10000000,
      fragLength: 108,
      authLength: 0,
      callId: 0xfffffffe,
    });
  });

  it('refuses fewer than 16 bytes with a malformed error', () => {
    assert.throws(
      () => header.decode(Buffer.alloc(15)),
      (e: unknown) => e instanceof KmsDecodeError && e.reason === 'malformed',
    );
  });

  it('accepts a well-formed answer', () => {
    validateHeader(good, { ptype: PTYPE.response, callId: 2 });
    validateHeader(good, { ptype: [PTYPE.response, PTYPE.fault], callId: 2 });
    validateHeader({ ...good, pfcFlags: 0x13 }, { ptype: PTYPE.response });
  });

  it('tolerates call_id 1 (Wine) unless told not to', () => {
    validateHeader({ ...good, callId: 1 }, { ptype: PTYPE.response, callId: 2 });
    rejects(
      { callId: 1 },
      { ptype: PTYPE.response, callId: 2, tolerateCallIdOne: false },
      /call_id 1/,
    );
    rejects({ callId: 3 }, { ptype: PTYPE.response, callId: 2 }, /call_id 3 does not echo 2/);
  });

  it('rejects each violated rule', () => {
    const e = { ptype: PTYPE.response, callId: 2 };
    rejects({ rpcVers: 4 }, e, /version 4\.0/);
    rejects({ rpcVersMinor: 1 }, e, /version 5\.1/);
    rejects({ drep: 0x00000000 }, e, /data representation 00000000/);
    rejects({ authLength: 16 }, e, /auth_length 16/);
    rejects({ pfcFlags: 0x01 }, e, /FIRST\|LAST/);
    rejects({ pfcFlags: 0x02 }, e, /FIRST\|LAST/);
    rejects({ ptype: PTYPE.fault }, e, /got fault \(3\), expected response/);
  });
});
