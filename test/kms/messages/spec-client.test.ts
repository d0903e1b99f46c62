// The three deterministic spec-client requests (fixed IV, fixed time 2025-01-15T12:00Z)
// rebuilt from their inputs alone, byte for byte, then their answers decoded.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  baseRequest,
  decodeClientResponse,
  encodeClientRequest,
  filetimeFromDate,
  makeBaseRequest,
} from '../../../src/kms/messages/index.js';
import { exchanges, readVector } from './vectors.js';
import type { ClientInputs } from './vectors.js';

const files = [
  'spec-client-v4-server2008r2.json',
  'spec-client-v5-office2013.json',
  'spec-client-v6-windows10.json',
];

interface SpecRun {
  client_inputs: ClientInputs;
  base_request_hex: string;
  kms_request_hex: string;
}

describe('spec-client requests from their inputs', () => {
  for (const file of files) {
    const run = readVector<{ runs: SpecRun[] }>(file).runs[0]!;
    const input = run.client_inputs;

    it(`${file}: base request and payload are byte-exact`, () => {
      const [major, minor] = input.protocol.split('.').map(Number);
      assert.equal(minor, 0);
      const base = makeBaseRequest({
        protocol: major!,
        applicationId: input.app_id,
        skuId: input.sku_id,
        kmsCountedId: input.kms_counted_id,
        cmid: input.cmid,
        nPolicy: input.n_policy,
        workstation: input.workstation_name,
        clientTime: filetimeFromDate(new Date(input.client_time_utc)),
        vmFlag: input.vm_flag,
        licenseStatus: input.license_status,
        bindingExpiration: input.binding_expiration_min,
        previousCmid: input.previous_cmid,
      });
      assert.equal(base.clientTime, 133814160000000000n);
      assert.equal(baseRequest.encode(base).toString('hex'), run.base_request_hex);
      const iv = input.iv_hex === null ? undefined : Buffer.from(input.iv_hex, 'hex');
      const { payload, context } = encodeClientRequest(base, iv ? { iv } : {});
      assert.equal(payload.toString('hex'), run.kms_request_hex);

      // The answer vlmcsd gave to exactly these bytes verifies against our own context.
      const x = exchanges.find((e) => e.file === file)!;
      assert.deepEqual(x.request, payload);
      const r = decodeClientResponse(x.response!, context);
      assert.equal(r.activeClients, x.expected.current_count);
      assert.equal(r.epid, x.expected.epid);
      assert.equal(r.hwid, x.expected.hwid);
    });
  }

  it('docs/protocol.md §4.3 worked values for the v6 request', () => {
    const x = exchanges.find((e) => e.file === 'spec-client-v6-windows10.json')!;
    assert.equal(x.requestInfo.decrypted_iv_hex, '7c49a81964119e65c24b99a098afe453');
    assert.equal(x.responseInfo?.hmac_key_hex, '6dabf9904157a222bb6827e1fbc093f4');
    const base = baseRequest.decode(
      Buffer.from(
        readVector<{ runs: SpecRun[] }>('spec-client-v6-windows10.json').runs[0]!.base_request_hex,
        'hex',
      ),
    );
    const { context } = encodeClientRequest(base, {
      iv: Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'),
    });
    assert.equal(context.decryptedRequestIv?.toString('hex'), '7c49a81964119e65c24b99a098afe453');
  });
});
