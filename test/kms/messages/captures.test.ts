// Every KMS payload in every capture file: host-side request decode, client-side
// re-encode, client-side response decode with all docs/protocol.md §4.4 checks, and byte-exact
// reproduction of vlmcsd's answers from the intermediates the vectors record.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { V5_CIPHER, V6_CIPHER, decryptPadded } from '../../../src/kms/crypto/index.js';
import { KmsDecodeError } from '../../../src/kms/errors.js';
import {
  baseRequest,
  decodeClientResponse,
  decodeServerRequest,
  encodeClientRequest,
  encodeServerResponse,
  filetimeToDate,
  peekRequestVersion,
} from '../../../src/kms/messages/index.js';
import type { BaseRequest } from '../../../src/kms/messages/index.js';
import { answered, exchanges, filetimeOfUtc } from './vectors.js';
import type { ParsedRequest } from './vectors.js';

function assertRequestFields(request: BaseRequest, parsed: ParsedRequest): void {
  assert.equal(`${request.version.major}.${request.version.minor}`, parsed.version);
  assert.equal(request.vmFlag, parsed.vm_flag);
  assert.equal(request.licenseStatus, parsed.license_status);
  assert.equal(request.bindingExpiration, parsed.binding_expiration_min);
  assert.equal(request.applicationId, parsed.app_id);
  assert.equal(request.skuId, parsed.sku_id);
  assert.equal(request.kmsCountedId, parsed.kms_counted_id);
  assert.equal(request.cmid, parsed.cmid);
  assert.equal(request.nPolicy, parsed.n_policy);
  assert.equal(request.clientTime, filetimeOfUtc(parsed.client_time_utc));
  assert.equal(
    filetimeToDate(request.clientTime).toISOString().replace('.000', ''),
    parsed.client_time_utc,
  );
  assert.equal(request.previousCmid, parsed.previous_cmid);
  assert.equal(request.workstation, parsed.workstation_name);
}

describe('captured requests (host side)', () => {
  for (const x of exchanges) {
    const supported = x.requestInfo.protocol_major <= 6;
    it(`${x.name}: ${supported ? 'decodes, fields match, re-encodes byte for byte' : 'is refused as unsupported'}`, () => {
      if (!supported) {
        // 7.0 (vlmcs -K 7.0): a host answers 0x8007000D without decrypting.
        assert.deepEqual(peekRequestVersion(x.request), { major: 7, minor: 0 });
        assert.throws(
          () => decodeServerRequest(x.request),
          (e: unknown) => e instanceof KmsDecodeError && e.reason === 'unexpected',
        );
        // vlmcs encrypted it with the v6 key anyway; the body is still a valid base request.
        const plain = decryptPadded(V6_CIPHER, x.request.subarray(4, 20), x.request.subarray(20));
        const request = baseRequest.decode(plain);
        assertRequestFields(request, x.requestInfo.request);
        // And the client encoder produces the same bytes for a 7.0 probe with that IV.
        const again = encodeClientRequest(request, { iv: x.request.subarray(4, 20) });
        assert.deepEqual(again.payload, x.request);
        return;
      }
      const { request, context } = decodeServerRequest(x.request);
      assertRequestFields(request, x.requestInfo.request);
      assert.equal(context.version.major, x.requestInfo.protocol_major);
      if (x.requestInfo.decrypted_iv_hex !== undefined) {
        assert.equal(context.decryptedRequestIv?.toString('hex'), x.requestInfo.decrypted_iv_hex);
      }
      // The client encoder, given the captured IV, reproduces vlmcs's request exactly,
      // and derives the same context the host derived.
      const iv =
        x.requestInfo.iv_hex !== undefined ? Buffer.from(x.requestInfo.iv_hex, 'hex') : undefined;
      const encoded = encodeClientRequest(request, iv !== undefined ? { iv } : {});
      assert.deepEqual(encoded.payload, x.request);
      assert.deepEqual(encoded.context, context);
    });
  }
});

describe('captured responses (client side)', () => {
  for (const x of answered) {
    it(`${x.name}: all checks pass and values equal what vlmcs reported`, () => {
      const { context } = decodeServerRequest(x.request);
      const r = decodeClientResponse(x.response, context);
      const e = x.expected;
      assert.equal(`${r.version.major}.${r.version.minor}`, e.protocol);
      assert.equal(r.epid, e.epid);
      assert.equal(r.hwid, e.hwid);
      assert.equal(r.activeClients, e.current_count);
      assert.equal(r.activationIntervalMinutes, e.activation_interval_min);
      assert.equal(r.renewalIntervalMinutes, e.renewal_interval_min);
      assert.equal(r.cmid, x.requestInfo.request.cmid);
      assert.equal(r.clientTime, filetimeOfUtc(x.requestInfo.request.client_time_utc));
      assert.deepEqual(r.warnings, []);
      if (x.reported !== null) {
        // vlmcs's own printout for the run (strings as it printed them).
        assert.equal(r.epid, x.reported.epid);
        assert.equal(r.hwid ?? undefined, x.reported.hwid);
        assert.equal(String(r.activeClients), x.reported.current_count);
        assert.equal(String(r.activationIntervalMinutes), x.reported.activation_interval_min);
        assert.equal(String(r.renewalIntervalMinutes), x.reported.renewal_interval_min);
        assert.equal(r.cmid, x.reported.cmid);
        assert.equal(r.clientTime, filetimeOfUtc(x.reported.client_time_utc!));
        assert.equal(x.reported.response_size?.split(' ')[0], String(x.response.length));
      }
    });

    it(`${x.name}: host encoder reproduces vlmcsd's response byte for byte`, () => {
      const { context } = decodeServerRequest(x.request);
      const info = x.responseInfo;
      const random =
        info.recovered_random_hex !== undefined
          ? Buffer.from(info.recovered_random_hex, 'hex')
          : undefined;
      const responseIv =
        info.protocol_major === 6 && info.iv_hex !== undefined
          ? Buffer.from(info.iv_hex, 'hex')
          : undefined;
      const out = encodeServerResponse(
        context,
        {
          epid: info.response.epid,
          hwid: info.hwid_hex,
          activeClients: info.response.current_count,
          activationIntervalMinutes: info.response.vl_activation_interval_min,
          renewalIntervalMinutes: info.response.vl_renewal_interval_min,
        },
        { ...(random && { random }), ...(responseIv && { responseIv }) },
      );
      assert.equal(out.toString('hex'), x.response.toString('hex'));
      if (info.decrypted_response_iv_hex !== undefined) {
        const cipher = info.protocol_major === 5 ? V5_CIPHER : V6_CIPHER;
        assert.equal(
          cipher.decryptBlock(out.subarray(4, 20)).toString('hex'),
          info.decrypted_response_iv_hex,
        );
      }
    });
  }

  it('covers v4, v5 and v6 answers', () => {
    const versions = new Set(answered.map((x) => x.responseInfo.protocol_major));
    assert.deepEqual([...versions].sort(), [4, 5, 6]);
    assert.equal(answered.length, 29);
  });
});
