// Replays the client side of every captured vlmcsd exchange (test/vectors/) against the lab
// host, configured like the vlmcsd of the capture (-N0 / -B0), and checks that the lab
// answers the RPC layer as vlmcsd did: the same bind / alter-context results, flags and
// fragment sizes, the same fault for an unknown context. The captured requests are for real
// products, so where vlmcsd answered the lab must refuse with 0xC004F042 (principle 4) —
// except for the 7.0 request, which both refuse earlier with 0x8007000D.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodePdu, ndr32ResponseStub, ndr64ResponseStub } from '../../src/kms/rpc/index.js';
import type { AnyPdu } from '../../src/kms/rpc/index.js';
import { startLabKmsHost } from '../../src/lab/index.js';
import type { LabKmsHost } from '../../src/lab/index.js';
import { VECTORS_DIR } from '../helpers/vectors.js';
import { TestConnection } from './lab-client.js';

interface Pdu {
  connection?: number;
  direction: string;
  pdu: string;
  hex: string;
}
interface Capture {
  file: string;
  vlmcsd_options: string[];
  runs: { pdus: Pdu[] }[];
}

function captures(): Capture[] {
  return readdirSync(VECTORS_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'index.json' && f !== 'crypto-primitives.json')
    .sort()
    .map((file) => ({
      file,
      ...(JSON.parse(readFileSync(join(VECTORS_DIR, file), 'utf8')) as Omit<Capture, 'file'>),
    }));
}

/** Each run's PDUs split by TCP connection, in wire order. */
function connections(run: { pdus: Pdu[] }): Pdu[][] {
  const byConnection = new Map<number, Pdu[]>();
  for (const p of run.pdus) {
    const key = p.connection ?? 0;
    byConnection.set(key, [...(byConnection.get(key) ?? []), p]);
  }
  return [...byConnection.values()];
}

function ackFields(pdu: AnyPdu): unknown {
  assert.ok(pdu.type === 'bind_ack' || pdu.type === 'alter_context_resp');
  // assoc_group_id is random and sec_addr names the port (1688 in the captures).
  return {
    type: pdu.type,
    callId: pdu.callId,
    pfcFlags: pdu.pfcFlags,
    maxXmitFrag: pdu.maxXmitFrag,
    maxRecvFrag: pdu.maxRecvFrag,
    results: pdu.results,
  };
}

describe('lab host answers captured vlmcs traffic like vlmcsd', () => {
  let host: LabKmsHost;
  before(async () => {
    host = await startLabKmsHost();
  });
  after(() => host.close());

  for (const capture of captures()) {
    it(capture.file, async () => {
      const opts = capture.vlmcsd_options;
      await host.configure({ ndr64: !opts.includes('-N0'), btfn: !opts.includes('-B0') });
      for (const run of capture.runs) {
        for (const pdus of connections(run)) {
          const conn = await TestConnection.connect(host.port);
          try {
            let syntax: 'ndr32' | 'ndr64' = 'ndr32';
            for (const p of pdus) {
              if (p.direction === 'client->server') {
                conn.send(Buffer.from(p.hex, 'hex'));
                if (p.pdu === 'request') {
                  // In vlmcs's binds context 1 is NDR64 (the two-requests capture uses it).
                  syntax = Buffer.from(p.hex, 'hex').readUInt16LE(20) === 1 ? 'ndr64' : 'ndr32';
                }
                continue;
              }
              const expected = decodePdu(Buffer.from(p.hex, 'hex')).pdu;
              const got = decodePdu(await conn.readPdu()).pdu;
              if (expected.type === 'bind_ack' || expected.type === 'alter_context_resp') {
                assert.deepEqual(ackFields(got), ackFields(expected));
                if (got.type === 'bind_ack') assert.equal(got.secAddr, String(host.port));
                else assert.ok(got.type === 'alter_context_resp' && got.secAddr === '');
              } else if (expected.type === 'fault') {
                assert.ok(got.type === 'fault');
                assert.equal(got.status, expected.status);
                assert.equal(got.pfcFlags, expected.pfcFlags);
                assert.equal(got.callId, expected.callId);
              } else if (expected.type === 'response') {
                assert.ok(got.type === 'response');
                assert.equal(got.callId, expected.callId);
                assert.equal(got.contextId, expected.contextId);
                const codec = syntax === 'ndr64' ? ndr64ResponseStub : ndr32ResponseStub;
                const vlmcsd = codec.decode(expected.stub);
                const lab = codec.decode(got.stub);
                assert.equal(lab.payload, null, 'the lab must refuse real products');
                const want = vlmcsd.hresult === 0x8007000d ? 0x8007000d : 0xc004f042;
                assert.equal(lab.hresult, want);
              } else {
                assert.fail(`unexpected captured PDU ${expected.type}`);
              }
            }
          } finally {
            conn.close();
          }
        }
      }
    });
  }
});
