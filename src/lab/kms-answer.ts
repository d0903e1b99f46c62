/**
 * What the lab host answers to one KMS request payload (the bytes inside the RPC stub),
 * deciding like a KMS host: the protocol version first (0x8007000D if not served), then
 * the KMS counted ID — only the lab's own products are ever answered (docs/design.md
 * principle 4), and with `acceptUnknownIds` made-up IDs too; every real product gets
 * 0xC004F042 — then the clock, then the count.
 *
 * Split in two so a fault can refuse a request after the product is known and before the
 * client is counted: decideKmsRequest (no side effects) and answerKmsRequest (counts and
 * encodes).
 */
import {
  decodeServerRequest,
  isSupportedVersion,
  peekRequestVersion,
} from '../kms/messages/index.js';
import { encodeServerResponse } from '../kms/messages/index.js';
import { filetimeToDate } from '../kms/messages/index.js';
import type { DecodedRequest } from '../kms/messages/index.js';
import type { KmsVersion } from '../kms/messages/index.js';
import type { CmidTable } from './cmid-table.js';
import type { LabHostConfig } from './host-config.js';
import { HRESULT } from '../kms/hresult.js';
import type { CounterName, Product } from '../kms/products/index.js';
import { labCounterOf, labProductByKmsCountedId } from './lab-products.js';
import { answeredEpid, emulatedCounter, isRealKmsCountedId, reportedCount } from './emulation.js';

/**
 * vlmcsd's "overcharge" limit (docs/protocol.md §5.1): a client claiming N ≥ 376 would
 * wedge a Microsoft host's table; vlmcsd answers 0xC004D104 instead, and so does the lab.
 */
export const MAX_ACCEPTED_N_POLICY = 375;

export type KmsDecision =
  | {
      kind: 'refuse';
      hresult: number;
      /** The lab product asked for, when the request decoded and named one. */
      product: Product | null;
      why: string;
    }
  | {
      kind: 'accept';
      /** The lab product; null for an unknown ID an emulator personality answers. */
      product: Product | null;
      /** The table the client is counted in and whose ePID answers. */
      counter: CounterName;
      decoded: DecodedRequest;
    };

function refuse(hresult: number, why: string, product: Product | null = null): KmsDecision {
  return { kind: 'refuse', hresult, product, why };
}

function versionText(v: KmsVersion): string {
  return `${v.major}.${v.minor}`;
}

export function decideKmsRequest(
  payload: Uint8Array,
  config: LabHostConfig,
  nowMs: number,
): KmsDecision {
  let version: KmsVersion;
  try {
    version = peekRequestVersion(payload);
  } catch {
    return refuse(HRESULT.INVALID_DATA, 'request shorter than its version field');
  }
  // Like vlmcsd: an unknown clear version is refused without decrypting anything.
  if (!isSupportedVersion(version) || !config.protocols.has(version.major)) {
    return refuse(HRESULT.INVALID_DATA, `protocol ${versionText(version)} not served`);
  }
  let decoded: DecodedRequest;
  try {
    decoded = decodeServerRequest(payload);
  } catch (error) {
    return refuse(HRESULT.INVALID_DATA, `unreadable request: ${(error as Error).message}`);
  }
  const request = decoded.request;
  const product = labProductByKmsCountedId(request.kmsCountedId) ?? null;
  let counter: CounterName;
  if (product !== null) {
    if (request.applicationId !== product.applicationId) {
      return refuse(
        HRESULT.KEY_NOT_COVERED,
        `application ${request.applicationId} does not match ${product.slug}`,
        product,
      );
    }
    if (config.refuse.has(product.slug)) {
      return refuse(
        HRESULT.KEY_NOT_COVERED,
        `${product.slug} is refused by configuration`,
        product,
      );
    }
    counter = labCounterOf(product);
  } else if (config.acceptUnknownIds && !isRealKmsCountedId(request.kmsCountedId)) {
    counter = emulatedCounter(request.applicationId);
  } else {
    return refuse(
      HRESULT.KEY_NOT_COVERED,
      `KMS counted ID ${request.kmsCountedId} is not a lab product`,
    );
  }
  if (config.maxClockSkewMinutes !== null) {
    const skewMs = Math.abs(filetimeToDate(request.clientTime).getTime() - nowMs);
    if (skewMs > config.maxClockSkewMinutes * 60_000) {
      return refuse(HRESULT.INVALID_TIMESTAMP, 'client clock out of range', product);
    }
  }
  if (request.nPolicy > MAX_ACCEPTED_N_POLICY) {
    return refuse(
      HRESULT.INVALID_ARGUMENT,
      `N policy ${request.nPolicy} would overflow the table`,
      product,
    );
  }
  return { kind: 'accept', product, counter, decoded };
}

/** Counts the client in its application's table and encodes the response payload. */
export function answerKmsRequest(
  decision: Extract<KmsDecision, { kind: 'accept' }>,
  table: CmidTable,
  config: LabHostConfig,
): { payload: Buffer; activeClients: number } {
  const { request, context } = decision.decoded;
  const activeClients = reportedCount(
    config,
    table.touch(request.cmid, request.nPolicy),
    request.nPolicy,
  );
  const payload = encodeServerResponse(context, {
    epid: answeredEpid(config, decision.counter, decision.product?.slug),
    hwid: config.hwid,
    activeClients,
    activationIntervalMinutes: config.activationIntervalMinutes,
    renewalIntervalMinutes: config.renewalIntervalMinutes,
  });
  return { payload, activeClients };
}
