/**
 * One product, one protocol version, on a bound session: build the request (the monitor's
 * CMID and workstation, the product's IDs and genuine N policy, the current time), send it,
 * and check the answer with the codec (docs/protocol.md §4.4). The outcome is a verified KmsResponse, an
 * HRESULT the host returned instead of a payload, or a thrown ProbeFailure.
 */
import { KmsDecodeError } from '../errors.js';
import {
  decodeClientResponse,
  encodeClientRequest,
  filetimeFromDate,
  makeBaseRequest,
} from '../messages/index.js';
import type { KmsResponse } from '../messages/index.js';
import { ProbeFailure, asProbeFailure, fromDecodeError } from './failure.js';
import type { KmsIdentity } from './identity.js';
import type { KmsProductSpec } from './product-spec.js';
import type { KmsProtocolVersion } from '../protocol-version.js';
import type { RpcSession, RpcTimeouts } from './rpc-session.js';

export type ExchangeAnswer =
  | { kind: 'response'; response: KmsResponse }
  /** The host refused with an HRESULT (null payload), e.g. 0xC004F042 or 0x8007000D. */
  | { kind: 'hresult'; hresult: number };

export interface ExchangeInput {
  product: KmsProductSpec;
  protocol: KmsProtocolVersion;
  identity: KmsIdentity;
  now: () => Date;
}

function buildRequest(input: ExchangeInput) {
  try {
    return encodeClientRequest(
      makeBaseRequest({
        protocol: input.protocol,
        applicationId: input.product.applicationId,
        skuId: input.product.skuId,
        kmsCountedId: input.product.kmsCountedId,
        cmid: input.identity.cmid,
        nPolicy: input.product.nPolicy,
        workstation: input.identity.workstation,
        clientTime: filetimeFromDate(
          new Date(input.now().getTime() + (input.product.clientTimeOffsetMs ?? 0)),
        ),
      }),
    );
  } catch (error) {
    // A product spec with a bad GUID or N: a local error, named so it cannot escape.
    throw asProbeFailure(error, `cannot build the request for ${input.product.slug}`);
  }
}

export async function exchange(
  session: RpcSession,
  input: ExchangeInput,
  timeouts: RpcTimeouts,
): Promise<ExchangeAnswer> {
  const { payload, context } = buildRequest(input);
  const stub = await session.requestActivation(payload, timeouts);
  if (stub.payload === null) {
    if (stub.hresult === 0) {
      throw new ProbeFailure('malformed', 'host returned no response payload and no error code');
    }
    return { kind: 'hresult', hresult: stub.hresult };
  }
  try {
    return { kind: 'response', response: decodeClientResponse(stub.payload, context) };
  } catch (error) {
    if (error instanceof KmsDecodeError)
      throw fromDecodeError(error, `v${input.protocol} response`);
    throw error;
  }
}
