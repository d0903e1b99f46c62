// The lab-host half: answering each captured bind / alter-context reproduces vlmcsd's
// bind_ack results (and bytes, pad aside), and requests are routed or faulted as vlmcsd does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FAULT_STATUS,
  KMS_INTERFACE,
  NDR32_SYNTAX,
  alterContextResp,
  answerBindContexts,
  bindAck,
  bindAckPadRange,
  buildNdr32Bind,
  buildVlmcsBind,
  decodePdu,
  fault,
  routeRequest,
  vlmcsBindContexts,
} from '../../../src/kms/rpc/index.js';
import type { BindAnswerOptions } from '../../../src/kms/rpc/index.js';
import { hex, loadCaptures } from './vectors.js';

function masked(b: Buffer): string {
  const copy = Buffer.from(b);
  const { start, end } = bindAckPadRange(copy.readUInt16LE(24));
  copy.fill(0, start, end);
  return hex(copy);
}

describe('answerBindContexts', () => {
  it("reproduces every captured bind answer from vlmcsd's options", () => {
    let checked = 0;
    for (const c of loadCaptures()) {
      const opts = c.vlmcsd_options ?? [];
      const options: BindAnswerOptions = {
        ndr64: !opts.includes('-N0'),
        btfnFeatures: opts.includes('-B0') ? null : 0x03,
      };
      for (const run of c.runs) {
        run.pdus.forEach((p, i) => {
          if (p.pdu !== 'bind_ack' && p.pdu !== 'alter_context_resp') return;
          const offer = decodePdu(Buffer.from(run.pdus[i - 1]!.hex, 'hex')).pdu;
          const captured = decodePdu(Buffer.from(p.hex, 'hex')).pdu;
          assert.ok(offer.type === 'bind' || offer.type === 'alter_context');
          assert.ok(captured.type === 'bind_ack' || captured.type === 'alter_context_resp');
          const { results } = answerBindContexts(offer.contexts, options);
          assert.deepEqual(results, captured.results, `${c.file} #${i}`);
          // The lab host's PDU equals vlmcsd's once its random assoc group is copied over.
          const codec = captured.type === 'bind_ack' ? bindAck : alterContextResp;
          const ours = codec.encode({
            callId: offer.callId,
            pfcFlags: captured.pfcFlags,
            assocGroupId: captured.assocGroupId,
            secAddr: captured.secAddr,
            results,
          });
          assert.equal(masked(ours), masked(Buffer.from(p.hex, 'hex')), `${c.file} #${i}`);
          checked++;
        });
      }
    }
    assert.ok(checked > 40);
  });

  it('tracks accepted contexts and rejects other interfaces with reason 1', () => {
    const all = answerBindContexts(vlmcsBindContexts());
    assert.deepEqual([...all.accepted], [[1, 'ndr64']]);
    const only32 = answerBindContexts(vlmcsBindContexts(), { ndr64: false });
    assert.deepEqual([...only32.accepted], [[0, 'ndr32']]);
    const other = answerBindContexts([
      {
        contextId: 0,
        abstractSyntax: { uuid: '12345678-1234-4abc-8def-123456789abc', version: 1 },
        transferSyntaxes: [NDR32_SYNTAX],
      },
      {
        contextId: 1,
        abstractSyntax: { ...KMS_INTERFACE, version: 2 },
        transferSyntaxes: [NDR32_SYNTAX],
      },
    ]);
    assert.deepEqual(
      other.results.map((r) => [r.result, r.reason]),
      [
        [2, 1],
        [2, 1],
      ],
    );
    assert.equal(other.accepted.size, 0);
  });

  it('answers what the builders send', () => {
    const b = decodePdu(buildNdr32Bind()).pdu;
    assert.ok(b.type === 'bind');
    assert.deepEqual([...answerBindContexts(b.contexts).accepted], [[0, 'ndr32']]);
    const v = decodePdu(buildVlmcsBind()).pdu;
    assert.ok(v.type === 'bind');
    assert.equal(answerBindContexts(v.contexts).results[2]?.reason, 3);
    assert.equal(answerBindContexts(v.contexts, { btfnFeatures: 0x01 }).results[2]?.reason, 1);
  });
});

describe('routeRequest', () => {
  const accepted = new Map([
    [0, 'ndr32' as const],
    [1, 'ndr64' as const],
  ]);

  it('routes requests on accepted contexts by syntax', () => {
    assert.deepEqual(routeRequest({ contextId: 0, opnum: 0 }, accepted), {
      kind: 'call',
      syntax: 'ndr32',
    });
    assert.deepEqual(routeRequest({ contextId: 1, opnum: 0 }, accepted), {
      kind: 'call',
      syntax: 'ndr64',
    });
  });

  it('faults like vlmcsd for an unknown context, and for a bad opnum', () => {
    const route = routeRequest({ contextId: 7, opnum: 0 }, accepted);
    assert.deepEqual(route, { kind: 'fault', status: FAULT_STATUS.unk_if });
    assert.deepEqual(routeRequest({ contextId: 0, opnum: 1 }, accepted), {
      kind: 'fault',
      status: FAULT_STATUS.op_rng_error,
    });
    // The captured fault, minus vlmcsd's garbage bytes.
    const c = loadCaptures().find((x) => x.file === 'rpc-fault-unknown-context.json');
    const captured = c?.runs[0]?.pdus.find((p) => p.pdu === 'fault');
    assert.ok(captured);
    const ours = fault.encode({ callId: 2, status: FAULT_STATUS.unk_if });
    const theirs = Buffer.from(captured.hex, 'hex');
    theirs[22] = 0; // cancel_count garbage
    theirs[23] = 0; // flags garbage
    assert.equal(hex(ours), hex(theirs));
  });
});
