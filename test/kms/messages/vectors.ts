// Loader for test/vectors/ (docs/protocol.md §7): flattens every capture file into
// request/response exchanges with the expected values next to them. Not a test file.
import { readFileSync } from 'node:fs';
import { VECTORS_URL } from '../../helpers/vectors.js';

export interface ParsedRequest {
  version: string;
  vm_flag: number;
  license_status: number;
  binding_expiration_min: number;
  app_id: string;
  sku_id: string;
  kms_counted_id: string;
  cmid: string;
  n_policy: number;
  client_time_utc: string;
  previous_cmid: string;
  workstation_name: string;
}

export interface KmsRequestInfo {
  protocol_major: number;
  iv_hex?: string;
  decrypted_iv_hex?: string;
  request: ParsedRequest;
}

export interface KmsResponseInfo {
  protocol_major: number;
  iv_hex?: string;
  recovered_random_hex?: string;
  decrypted_response_iv_hex?: string;
  hmac_key_hex?: string;
  hwid_hex?: string;
  response: {
    epid: string;
    cmid: string;
    client_time_utc: string;
    current_count: number;
    vl_activation_interval_min: number;
    vl_renewal_interval_min: number;
  };
}

interface Pdu {
  pdu: string;
  parsed: { call_id: number };
  kms_request_hex?: string;
  kms_request?: KmsRequestInfo;
  kms_response_hex?: string;
  kms_response?: KmsResponseInfo;
  ndr?: { hresult?: string };
}

export interface ClientInputs {
  protocol: string;
  app_id: string;
  sku_id: string;
  kms_counted_id: string;
  cmid: string;
  n_policy: number;
  client_time_utc: string;
  workstation_name: string;
  vm_flag: number;
  license_status: number;
  binding_expiration_min: number;
  previous_cmid: string;
  iv_hex: string | null;
}

interface Run {
  vlmcs_reported?: Record<string, string> | null;
  client_inputs?: ClientInputs;
  base_request_hex?: string;
  kms_request_hex?: string;
  pdus: Pdu[];
}

interface IndexResult {
  call_id: number;
  protocol?: string;
  current_count?: number;
  epid?: string;
  activation_interval_min?: number;
  renewal_interval_min?: number;
  hwid?: string | null;
  hresult?: string;
}

export interface Exchange {
  /** e.g. "v6-windows10-professional.json run 0 call 2" */
  name: string;
  file: string;
  callId: number;
  request: Buffer;
  requestInfo: KmsRequestInfo;
  /** null when the host refused (HRESULT, no payload). */
  response: Buffer | null;
  responseInfo: KmsResponseInfo | null;
  /** From index.json for this call. */
  expected: IndexResult;
  /** vlmcs's own report for the run, when the client was vlmcs. */
  reported: Record<string, string> | null;
}

export interface CaptureFile {
  file: string;
  runs: Run[];
}

export function readVector<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(file, VECTORS_URL), 'utf8')) as T;
}

const index = readVector<{ files: { file: string; runs: { results: IndexResult[] }[] }[] }>(
  'index.json',
);

export const captureFiles: CaptureFile[] = index.files.map((f) => ({
  file: f.file,
  runs: readVector<{ runs: Run[] }>(f.file).runs,
}));

export const exchanges: Exchange[] = index.files.flatMap((f) => {
  const capture = readVector<{ runs: Run[] }>(f.file);
  return capture.runs.flatMap((run, r) => {
    const requests = run.pdus.filter((p) => p.kms_request_hex !== undefined);
    return requests.map((req): Exchange => {
      const callId = req.parsed.call_id;
      const resp = run.pdus.find((p) => p.pdu === 'response' && p.parsed.call_id === callId);
      const expected = f.runs[r]?.results.find((x) => x.call_id === callId);
      if (expected === undefined || req.kms_request === undefined) {
        throw new Error(`${f.file} run ${r} call ${callId}: no index result or parsed request`);
      }
      return {
        name: `${f.file} run ${r} call ${callId}`,
        file: f.file,
        callId,
        request: Buffer.from(req.kms_request_hex!, 'hex'),
        requestInfo: req.kms_request,
        response:
          resp?.kms_response_hex !== undefined ? Buffer.from(resp.kms_response_hex, 'hex') : null,
        responseInfo: resp?.kms_response ?? null,
        expected,
        reported: run.vlmcs_reported ?? null,
      };
    });
  });
});

/** Exchanges with a KMS response payload (the refusals have none). */
export const answered = exchanges.filter(
  (x): x is Exchange & { response: Buffer; responseInfo: KmsResponseInfo } =>
    x.response !== null && x.responseInfo !== null,
);

export function filetimeOfUtc(text: string): bigint {
  const ms = Date.parse(text.endsWith('Z') ? text : `${text.replace(' ', 'T')}Z`);
  if (!Number.isFinite(ms)) throw new Error(`bad time ${text}`);
  return BigInt(ms) * 10_000n + 116_444_736_000_000_000n;
}
