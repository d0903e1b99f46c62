// Every PDU of every capture decodes to the fields the capture tool parsed, and encodes back
// to the same bytes (bind_ack/alter_context_resp pad bytes aside: vlmcsd leaves garbage
// there). The NDR stubs inside requests and responses do the same with the KMS payloads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  PTYPE,
  bindAckPadRange,
  decodePdu,
  encodePdu,
  faultStatusName,
  ptypeName,
  requestStub,
  responseStub,
} from '../../../src/kms/rpc/index.js';
import type { AnyPdu, NdrSyntax } from '../../../src/kms/rpc/index.js';
import { allPdus, hex } from './vectors.js';
import type { LocatedPdu } from './vectors.js';

const pdus = allPdus();

function label(p: LocatedPdu): string {
  return `${p.file} run ${p.run} #${p.index} ${p.pdu}`;
}

/** The bytes a re-encode must reproduce: everything except bind_ack sec_addr padding. */
function maskPad(bytes: Buffer, pdu: AnyPdu): Buffer {
  const copy = Buffer.from(bytes);
  if (pdu.type === 'bind_ack' || pdu.type === 'alter_context_resp') {
    const { start, end } = bindAckPadRange(copy.readUInt16LE(24));
    copy.fill(0, start, end);
  }
  return copy;
}

function ndrSyntax(p: LocatedPdu): NdrSyntax {
  return p.ndr?.syntax === 'NDR64' ? 'ndr64' : 'ndr32';
}

describe('captured PDUs', () => {
  it('covers every PDU type the captures hold', () => {
    assert.ok(pdus.length > 100, `only ${pdus.length} PDUs found`);
    const types = new Set(pdus.map((p) => p.pdu));
    for (const t of [
      'bind',
      'bind_ack',
      'alter_context',
      'alter_context_resp',
      'request',
      'response',
      'fault',
    ]) {
      assert.ok(types.has(t), `no ${t} in the vectors`);
    }
  });

  for (const p of pdus) {
    it(`decodes and re-encodes ${label(p)}`, () => {
      const bytes = Buffer.from(p.hex, 'hex');
      const { header, pdu } = decodePdu(bytes);
      const parsed = p.parsed;
      assert.equal(pdu.type, p.pdu);
      assert.equal(ptypeName(header.ptype), p.pdu);
      assert.equal(header.ptype, parsed.ptype);
      assert.equal(header.pfcFlags, parsed.pfc_flags);
      assert.equal(header.fragLength, parsed.frag_length);
      assert.equal(header.fragLength, bytes.length);
      assert.equal(header.callId, parsed.call_id);
      assert.equal(header.authLength, 0);
      assert.equal(header.drep, 0x10000000);
      assert.equal(pdu.callId, parsed.call_id);
      assert.equal(pdu.pfcFlags, parsed.pfc_flags);

      switch (pdu.type) {
        case 'bind':
        case 'alter_context': {
          assert.equal(pdu.maxXmitFrag, parsed.max_xmit_frag);
          assert.equal(pdu.maxRecvFrag, parsed.max_recv_frag);
          assert.equal(pdu.assocGroupId, parsed.assoc_group);
          const contexts = parsed.contexts as {
            context_id: number;
            abstract_syntax: string;
            transfer_syntaxes: { uuid: string; version: number }[];
          }[];
          assert.deepEqual(
            pdu.contexts.map((c) => ({
              context_id: c.contextId,
              abstract_syntax: c.abstractSyntax.uuid,
              transfer_syntaxes: c.transferSyntaxes.map((t) => ({
                uuid: t.uuid,
                version: t.version,
              })),
            })),
            contexts.map((c) => ({
              context_id: c.context_id,
              abstract_syntax: c.abstract_syntax,
              transfer_syntaxes: c.transfer_syntaxes.map((t) => ({
                uuid: t.uuid,
                version: t.version,
              })),
            })),
          );
          break;
        }
        case 'bind_ack':
        case 'alter_context_resp': {
          assert.equal(pdu.assocGroupId, parsed.assoc_group);
          assert.equal(pdu.secAddr, parsed.sec_addr);
          const results = parsed.results as {
            result: number;
            reason: number;
            transfer_syntax: string;
            version: number;
          }[];
          assert.deepEqual(
            pdu.results.map((r) => [
              r.result,
              r.reason,
              r.transferSyntax.uuid,
              r.transferSyntax.version,
            ]),
            results.map((r) => [r.result, r.reason, r.transfer_syntax, r.version]),
          );
          break;
        }
        case 'request': {
          assert.equal(pdu.allocHint, parsed.alloc_hint);
          assert.equal(pdu.contextId, parsed.context_id);
          assert.equal(pdu.opnum, parsed.opnum);
          const stub = requestStub(ndrSyntax(p)).decode(pdu.stub);
          assert.equal(hex(stub.payload), p.kms_request_hex);
          assert.equal(stub.payload.length, p.ndr?.size);
          assert.equal(hex(requestStub(ndrSyntax(p)).encode(stub)), hex(pdu.stub));
          break;
        }
        case 'response': {
          assert.equal(pdu.allocHint, parsed.alloc_hint);
          assert.equal(pdu.contextId, parsed.context_id);
          assert.equal(pdu.cancelCount, parsed.cancel_count);
          const codec = responseStub(ndrSyntax(p));
          const stub = codec.decode(pdu.stub);
          if (p.kms_response_hex !== undefined) {
            assert.ok(stub.payload);
            assert.equal(hex(stub.payload), p.kms_response_hex);
            assert.equal(stub.hresult, 0);
          } else {
            assert.equal(stub.payload, null);
            assert.equal(
              `0x${stub.hresult.toString(16).toUpperCase().padStart(8, '0')}`,
              p.ndr?.hresult,
            );
          }
          // Microsoft's aligned layout and vlmcsd's packed one give the same bytes for S_OK.
          assert.equal(hex(codec.encode(stub)), hex(pdu.stub));
          assert.equal(hex(codec.encode({ ...stub, layout: 'packed' })), hex(pdu.stub));
          break;
        }
        case 'fault': {
          assert.equal(pdu.status, 0x1c010003);
          assert.equal(faultStatusName(pdu.status), 'unk_if');
          assert.equal(pdu.faultFlags, parsed.fault_flags);
          assert.equal(pdu.cancelCount, parsed.cancel_count);
          assert.equal(pdu.allocHint, parsed.alloc_hint);
          break;
        }
        default:
          assert.fail(`unexpected ${pdu.type}`);
      }

      const again = encodePdu(pdu);
      assert.equal(hex(maskPad(again, pdu)), hex(maskPad(bytes, pdu)));
      assert.equal(again.length, bytes.length);
    });
  }

  it('skips the garbage pad bytes of an alter_context_resp without reading them', () => {
    const p = pdus.find((x) => x.pdu === 'alter_context_resp');
    assert.ok(p);
    const bytes = Buffer.from(p.hex, 'hex');
    const { start, end } = bindAckPadRange(0);
    assert.deepEqual([start, end], [26, 28]);
    assert.notEqual(bytes.readUInt16LE(26), 0, 'the capture has garbage in the pad');
    bytes.writeUInt16LE(0xbeef, 26);
    const { pdu } = decodePdu(bytes);
    assert.equal(pdu.type, 'alter_context_resp');
    assert.equal(PTYPE.alterContextResp, 15);
  });
});
