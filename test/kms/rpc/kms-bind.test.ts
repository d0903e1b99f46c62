// The ready-made binds reproduce docs/protocol.md's bytes, and chooseContext reads every bind_ack /
// alter_context_resp of the captures (and the cases the captures lack) as docs/protocol.md's rule says.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTEXT_RESULT,
  KMS_INTERFACE,
  NDR32_SYNTAX,
  NDR64_SYNTAX,
  NIL_SYNTAX,
  PROVIDER_REASON,
  bind,
  bindAck,
  btfnSyntax,
  buildNdr32AlterContext,
  buildNdr32Bind,
  buildVlmcsBind,
  chooseContext,
  decodePdu,
  isBtfnSyntax,
  ndr32BindContexts,
  vlmcsBindContexts,
} from '../../../src/kms/rpc/index.js';
import type { ContextResult, PresentationContext } from '../../../src/kms/rpc/index.js';
import { allPdus, hex } from './vectors.js';

// docs/protocol.md §2.2, verbatim.
const SPEC_NDR32_BIND =
  '05000b03100000004800000002000000d016d016000000000100000000000100' +
  '7521c8514e845047b0d8ec255555bc0601000000045d888aeb1cc9119fe808002b' +
  '10486002000000';
const SPEC_VLMCS_BIND =
  '05000b1310000000a000000002000000d016d01600000000030000000000010075' +
  '21c8514e845047b0d8ec255555bc0601000000045d888aeb1cc9119fe808002b10' +
  '486002000000010001007521c8514e845047b0d8ec255555bc0601000000330571' +
  '71babe37498319b5dbef9ccc3601000000020001007521c8514e845047b0d8ec25' +
  '5555bc06010000002c1cb76c12984045030000000000000001000000';

const pdus = allPdus();

describe('KMS binds', () => {
  it('builds the recommended NDR32-only bind byte for byte (72 bytes)', () => {
    const b = buildNdr32Bind();
    assert.equal(b.length, 72);
    assert.equal(hex(b), SPEC_NDR32_BIND);
  });

  it('builds vlmcs 3-context bind byte for byte (160 bytes)', () => {
    const b = buildVlmcsBind();
    assert.equal(b.length, 160);
    assert.equal(hex(b), SPEC_VLMCS_BIND);
  });

  it('matches the captured binds and alter-contexts', () => {
    const binds = new Set(pdus.filter((p) => p.pdu === 'bind').map((p) => p.hex));
    assert.ok(binds.has(SPEC_VLMCS_BIND));
    // the spec-only client's bind is the recommended one
    assert.ok(binds.has(SPEC_NDR32_BIND));
    // vlmcs -N0 -B0 sends the same single context with flags 0x13
    assert.ok(binds.has(hex(buildNdr32Bind({ pfcFlags: 0x13 }))));
    for (const p of pdus.filter((x) => x.pdu === 'alter_context')) {
      assert.equal(p.hex, hex(buildNdr32AlterContext()));
    }
  });

  it('adds BTFN as context 1 on request', () => {
    const b = bind.decode(buildNdr32Bind({ btfn: true, callId: 9 }));
    assert.equal(b.callId, 9);
    assert.equal(b.contexts.length, 2);
    const btfn = b.contexts[1]?.transferSyntaxes[0];
    assert.ok(btfn && isBtfnSyntax(btfn.uuid));
    assert.deepEqual(btfn, btfnSyntax(3));
    assert.equal(btfn.uuid, '6cb71c2c-9812-4540-0300-000000000000');
  });
});

function ack(...results: [number, number, typeof NDR32_SYNTAX?][]): ContextResult[] {
  return results.map(([result, reason, syntax]) => ({
    result,
    reason,
    transferSyntax: syntax ?? NIL_SYNTAX,
  }));
}

describe('chooseContext', () => {
  it('reads every captured bind answer as docs/protocol.md describes', () => {
    const seen = new Set<string>();
    for (const p of pdus.filter((x) => x.pdu === 'bind_ack' || x.pdu === 'alter_context_resp')) {
      // The PDU the client sent just before this answer, same run.
      const offer = pdus.find(
        (x) => x.file === p.file && x.run === p.run && x.index === p.index - 1,
      );
      assert.ok(offer);
      const offered = decodePdu(Buffer.from(offer.hex, 'hex')).pdu;
      const answered = decodePdu(Buffer.from(p.hex, 'hex')).pdu;
      assert.ok(offered.type === 'bind' || offered.type === 'alter_context');
      assert.ok(answered.type === 'bind_ack' || answered.type === 'alter_context_resp');
      const decision = chooseContext(offered.contexts, answered.results);
      const shape = answered.results.map((r) => `${r.result}/${r.reason}`).join(' ');
      seen.add(shape);
      if (shape === '2/2 0/0 3/3') {
        // vlmcsd default: NDR32 rejected, NDR64 accepted, BTFN acknowledged → alter-context.
        assert.deepEqual(decision, { kind: 'ndr64', contextId: 1, ndr32ContextId: 0 });
      } else {
        // NDR32-only binds, -N0 -B0 and the alter-context responses accept NDR32 on ctx 0.
        assert.deepEqual(decision, { kind: 'ndr32', contextId: 0 });
      }
    }
    assert.deepEqual([...seen].sort(), ['0/0', '0/0 2/2 2/2', '2/2 0/0 3/3']);
  });

  it('reports a non-KMS RPC endpoint when every context is refused with reason 1', () => {
    const r = chooseContext(
      vlmcsBindContexts(),
      ack([2, PROVIDER_REASON.abstractSyntaxNotSupported], [2, 1], [3, 3]),
    );
    assert.equal(r.kind, 'not-kms');
    assert.equal(chooseContext(ndr32BindContexts(), ack([2, 1])).kind, 'not-kms');
  });

  it('rejects other refusals and answers that do not fit the offer', () => {
    assert.equal(chooseContext(ndr32BindContexts(), ack([2, 2])).kind, 'rejected');
    assert.equal(
      chooseContext(ndr32BindContexts(), ack([CONTEXT_RESULT.userRejection, 0])).kind,
      'rejected',
    );
    assert.equal(chooseContext(ndr32BindContexts(), []).kind, 'rejected');
    assert.equal(chooseContext(vlmcsBindContexts(), ack([0, 0, NDR32_SYNTAX])).kind, 'rejected');
    // Accepting a syntax that was not offered for that context is a protocol violation.
    const r = chooseContext(ndr32BindContexts(), ack([0, 0, NDR64_SYNTAX]));
    assert.equal(r.kind, 'rejected');
  });

  it('uses NDR64 when it is the only KMS syntax offered and accepted', () => {
    const offered: PresentationContext[] = [
      { contextId: 4, abstractSyntax: KMS_INTERFACE, transferSyntaxes: [NDR64_SYNTAX] },
    ];
    assert.deepEqual(chooseContext(offered, ack([0, 0, NDR64_SYNTAX])), {
      kind: 'ndr64',
      contextId: 4,
      ndr32ContextId: null,
    });
  });

  it('round-trips a lab host bind_ack', () => {
    const results = ack([0, 0, NDR32_SYNTAX], [2, 2], [3, 3]);
    const wire = bindAck.encode({ callId: 2, assocGroupId: 0x1234, secAddr: '1688', results });
    const back = bindAck.decode(wire);
    assert.equal(back.secAddr, '1688');
    assert.deepEqual(back.results, results);
    assert.equal(wire.readUInt16LE(24), 5, 'sec_addr length counts the NUL');
    assert.equal(wire.length % 4, 0);
  });
});
