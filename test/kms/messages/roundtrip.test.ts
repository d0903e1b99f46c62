// Client and host built on this codec talk to each other: client encode → host decode →
// host encode → client decode, for v4, v5 and v6, over generated inputs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeClientResponse,
  decodeServerRequest,
  encodeClientRequest,
  encodeServerResponse,
  makeBaseRequest,
} from '../../../src/kms/messages/index.js';

const guidArb = fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
// Printable ASCII ePIDs up to the 63-character limit.
const epidArb = fc.string({
  unit: fc.constantFrom(...'0123456789-.ABCxyz '),
  minLength: 1,
  maxLength: 63,
});
// Workstation names may be any UTF-16 (no NUL), up to 63 units.
const workstationArb = fc
  .string({ unit: 'binary', maxLength: 63 })
  .filter((s) => s.length <= 63 && !s.includes('\0'));

const inputArb = fc.record({
  protocol: fc.constantFrom(4, 5, 6),
  applicationId: guidArb,
  skuId: guidArb,
  kmsCountedId: guidArb,
  cmid: guidArb,
  previousCmid: guidArb,
  nPolicy: u32,
  vmFlag: u32,
  licenseStatus: u32,
  bindingExpiration: u32,
  clientTime: fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn }),
  workstation: workstationArb,
});

const answerArb = fc.record({
  epid: epidArb,
  hwid: fc.uint8Array({ minLength: 8, maxLength: 8 }),
  activeClients: u32,
  activationIntervalMinutes: u32,
  renewalIntervalMinutes: u32,
});

describe('client ↔ host round trip', () => {
  it('every version, random fields (fast-check)', () => {
    fc.assert(
      fc.property(inputArb, answerArb, (input, answer) => {
        const sent = makeBaseRequest(input);
        const { payload, context } = encodeClientRequest(sent);
        assert.equal(payload.length, input.protocol === 4 ? 252 : 260);

        const host = decodeServerRequest(payload);
        assert.deepEqual(host.request, { ...sent, cmid: sent.cmid.toLowerCase() });
        assert.deepEqual(host.context, context);

        const response = encodeServerResponse(host.context, answer);
        const r = decodeClientResponse(response, context);
        assert.equal(r.epid, answer.epid);
        assert.equal(r.activeClients, answer.activeClients);
        assert.equal(r.activationIntervalMinutes, answer.activationIntervalMinutes);
        assert.equal(r.renewalIntervalMinutes, answer.renewalIntervalMinutes);
        assert.equal(r.cmid, input.cmid.toLowerCase());
        assert.equal(r.clientTime, input.clientTime);
        assert.equal(
          r.hwid,
          input.protocol === 6 ? Buffer.from(answer.hwid).toString('hex').toUpperCase() : null,
        );
        assert.deepEqual(r.version, { major: input.protocol, minor: 0 });
        const p = (answer.epid.length + 1) * 2;
        assert.equal(
          response.length,
          {
            4: 60 + p,
            5: 20 + 16 * Math.ceil((93 + p) / 16),
            6: 20 + 16 * Math.ceil((133 + p) / 16),
          }[input.protocol],
        );
      }),
      { numRuns: 300 },
    );
  });

  it('docs/protocol.md §4.3 lengths: v5 with P = 100 is 228 bytes, v6 with P = 98 or 100 is 260', () => {
    const base = {
      applicationId: '55c92734-d682-4d71-983e-d6ec3f16059f',
      skuId: '2de67392-b7a7-462a-b1ca-108dd189f588',
      kmsCountedId: '58e2134f-8e11-4d17-9cb2-91069c151148',
      cmid: '8e5f0c1a-3b7d-4c2e-9a61-4f0b2d7c9e13',
      nPolicy: 25,
      workstation: 'x',
    };
    const answer = {
      hwid: '3A1C049600B60076',
      activeClients: 1,
      activationIntervalMinutes: 120,
      renewalIntervalMinutes: 10080,
    };
    const len = (protocol: number, epidChars: number): number => {
      const { context } = encodeClientRequest(makeBaseRequest({ ...base, protocol }));
      return encodeServerResponse(context, { ...answer, epid: '0'.repeat(epidChars) }).length;
    };
    assert.equal(len(5, 49), 228);
    assert.equal(len(6, 49), 260);
    assert.equal(len(6, 48), 260);
    assert.equal(len(4, 49), 160);
    assert.equal(len(4, 48), 158);
  });

  it('v6 answer reusing the request IV is accepted with a warning', () => {
    const { context } = encodeClientRequest(
      makeBaseRequest({
        protocol: 6,
        applicationId: '55c92734-d682-4d71-983e-d6ec3f16059f',
        skuId: '2de67392-b7a7-462a-b1ca-108dd189f588',
        kmsCountedId: '58e2134f-8e11-4d17-9cb2-91069c151148',
        cmid: '8e5f0c1a-3b7d-4c2e-9a61-4f0b2d7c9e13',
        nPolicy: 25,
        workstation: 'probe',
      }),
    );
    const response = encodeServerResponse(
      context,
      {
        epid: '03612-00206-556-123727-03-1033-17763.0000-2972018',
        hwid: '3A1C049600B60076',
        activeClients: 50,
        activationIntervalMinutes: 120,
        renewalIntervalMinutes: 10080,
      },
      { responseIv: context.requestIv! },
    );
    assert.deepEqual(decodeClientResponse(response, context).warnings, [
      'response_iv_equals_request_iv',
    ]);
  });

  it('fresh randomness by default: two encodings of one request differ, both verify', () => {
    const base = makeBaseRequest({
      protocol: 6,
      applicationId: '55c92734-d682-4d71-983e-d6ec3f16059f',
      skuId: '2de67392-b7a7-462a-b1ca-108dd189f588',
      kmsCountedId: '58e2134f-8e11-4d17-9cb2-91069c151148',
      cmid: '8e5f0c1a-3b7d-4c2e-9a61-4f0b2d7c9e13',
      nPolicy: 25,
      workstation: 'probe',
    });
    const a = encodeClientRequest(base);
    const b = encodeClientRequest(base);
    assert.notDeepEqual(a.payload, b.payload);
    const answer = {
      epid: '03612-00206-556-123727-03-1033-17763.0000-2972018',
      hwid: '3A1C049600B60076',
      activeClients: 50,
      activationIntervalMinutes: 120,
      renewalIntervalMinutes: 10080,
    };
    const ra = encodeServerResponse(a.context, answer);
    const rb = encodeServerResponse(a.context, answer);
    assert.notDeepEqual(ra, rb);
    assert.equal(decodeClientResponse(ra, a.context).activeClients, 50);
    assert.equal(decodeClientResponse(rb, a.context).activeClients, 50);
    assert.throws(() => decodeClientResponse(ra, b.context));
  });
});
