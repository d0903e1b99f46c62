/**
 * Fault modes of the lab KMS host: each reproduces one way a real host (or whatever answers
 * on its port) can fail a probe, so every failure reason of the probe client can be tested
 * (docs/design.md principle 5). This file names the modes and builds their bytes; the session
 * decides when they apply.
 */
import { randomBytes } from 'node:crypto';
import { decryptPadded, encryptPadded, kmsCipher } from '../kms/crypto/index.js';
import { FAULT_STATUS, HEADER_LENGTH, PFC_FIRST_LAST } from '../kms/rpc/index.js';
import { header } from '../kms/rpc/index.js';
import { HRESULT } from '../kms/hresult.js';

export const LAB_FAULT_MODES = [
  /** Nothing listens on the port: the listener is closed while this fault is set. */
  'refuse_connection',
  /** Accept the connection, read everything, never answer. */
  'silent',
  /** Answer the bind, then close the connection when the request arrives. */
  'close_after_bind',
  /** Answer the bind with a Bind-Nak (reason `code`, default 0 reason_not_specified). */
  'bind_nak',
  /** Answer the request with a Fault PDU (status `code`, default server_too_busy). */
  'fault_pdu',
  /** Answer with random bytes that are no RPC PDU. */
  'garbage',
  /** Send a header claiming a whole PDU, then only part of it, then silence. */
  'partial_pdu',
  /** Send a header whose frag_length is 65535, then silence. */
  'oversized_frag_length',
  /** Answer the request with a response whose call_id is not the request's. */
  'wrong_call_id',
  /** v5/v6: a response whose ciphertext does not decrypt (invalid padding). v4: bad MAC. */
  'undecryptable',
  /** A response that decrypts but fails its MAC / hash / HMAC check. */
  'unverifiable',
  /** The valid response, one byte every `intervalMs` (default 250 ms). */
  'slow_drip',
  /** Refuse the request with HRESULT `code` (default 0xC004F042). */
  'hresult',
] as const;
export type LabFaultMode = (typeof LAB_FAULT_MODES)[number];

export interface LabFaultSpec {
  mode: LabFaultMode;
  /** hresult: the HRESULT; fault_pdu: the NCA status; bind_nak: the reject reason. */
  code?: number;
  /** slow_drip: milliseconds between bytes. */
  intervalMs?: number;
  /**
   * Request faults (every mode answering a request) hit only requests for these lab
   * product slugs; others are answered normally. Default: every request.
   */
  products?: readonly string[];
  /**
   * garbage, partial_pdu, oversized_frag_length: answer the bind (default) or the request.
   */
  phase?: 'bind' | 'request';
}

/** A mode name alone means the mode with its defaults. */
export type LabFault = LabFaultMode | LabFaultSpec;

export const DEFAULT_FAULT_CODES: Partial<Record<LabFaultMode, number>> = {
  hresult: HRESULT.KEY_NOT_COVERED,
  fault_pdu: FAULT_STATUS.server_too_busy,
  bind_nak: 0,
};
export const DEFAULT_DRIP_INTERVAL_MS = 250;

export function isLabFaultMode(value: unknown): value is LabFaultMode {
  return typeof value === 'string' && (LAB_FAULT_MODES as readonly string[]).includes(value);
}

/** The spec form of a fault, validated; null for none. Throws on an unknown mode. */
export function normalizeFault(fault: LabFault | null | undefined): LabFaultSpec | null {
  if (fault === null || fault === undefined) return null;
  const spec: LabFaultSpec = typeof fault === 'string' ? { mode: fault } : { ...fault };
  if (!isLabFaultMode(spec.mode)) {
    throw new TypeError(
      `unknown lab fault ${JSON.stringify(spec.mode)}; one of ${LAB_FAULT_MODES.join(', ')}`,
    );
  }
  if (spec.products !== undefined) spec.products = [...spec.products];
  return Object.freeze(spec);
}

/** Modes that replace the answer to a bind (unless `phase: 'request'`). */
export function faultHitsBind(fault: LabFaultSpec): boolean {
  switch (fault.mode) {
    case 'bind_nak':
      return true;
    case 'garbage':
    case 'partial_pdu':
    case 'oversized_frag_length':
      return (fault.phase ?? 'bind') === 'bind';
    default:
      return false;
  }
}

/** Modes that act on a request (the others act on the connection or the bind). */
const REQUEST_MODES: ReadonlySet<LabFaultMode> = new Set([
  'close_after_bind',
  'fault_pdu',
  'wrong_call_id',
  'undecryptable',
  'unverifiable',
  'slow_drip',
  'hresult',
  'garbage',
  'partial_pdu',
  'oversized_frag_length',
]);

/**
 * The fault that applies to a request for lab product `slug` (null: not a lab product), or
 * null: a request-phase mode whose `products` (if any) include the slug.
 */
export function requestFault(fault: LabFaultSpec | null, slug: string | null): LabFaultSpec | null {
  if (fault === null || !REQUEST_MODES.has(fault.mode) || faultHitsBind(fault)) return null;
  if (fault.products === undefined) return fault;
  return slug !== null && fault.products.includes(slug) ? fault : null;
}

/** The modes that replace an answer with broken bytes (badBytes). */
export function isBadBytesMode(mode: LabFaultMode): boolean {
  return mode === 'garbage' || mode === 'partial_pdu' || mode === 'oversized_frag_length';
}

/** garbage, partial_pdu, oversized_frag_length: what is sent instead of `answer`. */
export function badBytes(
  fault: LabFaultSpec,
  answer: Buffer,
  ptype: number,
  callId: number,
): Buffer {
  if (fault.mode === 'garbage') return garbageBytes();
  if (fault.mode === 'partial_pdu') return partialPdu(answer);
  return oversizedHeader(ptype, callId);
}

/** Another call id than the request's, never 1: vlmcs (and the monitor) tolerate 1 (Wine). */
export function wrongCallId(callId: number): number {
  const other = (callId + 0x100) >>> 0;
  return other === 1 ? 0x100 : other;
}

/**
 * Random bytes that no framer can take for an RPC PDU: byte 0 is not RPC version 5 and
 * the frag_length field (bytes 8-9) reads below the 16-byte header, so a client rejects
 * them as soon as 10 bytes arrived instead of waiting for more.
 */
export function garbageBytes(length = 64): Buffer {
  const out = randomBytes(Math.max(16, length));
  if (out[0] === 5) out[0] = 0x47;
  out.writeUInt16LE(out.readUInt16LE(8) % HEADER_LENGTH, 8);
  return out;
}

/** The first part of a complete PDU: the header still claims the full frag_length. */
export function partialPdu(pdu: Buffer): Buffer {
  return pdu.subarray(0, Math.max(HEADER_LENGTH, Math.floor(pdu.length / 2)));
}

/** A bind_ack (or response) header claiming 65535 bytes, plus a few body bytes. */
export function oversizedHeader(ptype: number, callId: number): Buffer {
  const out = Buffer.alloc(HEADER_LENGTH + 8);
  header.encode({ ptype, pfcFlags: PFC_FIRST_LAST, fragLength: 0xffff, callId }, out, 0);
  return out;
}

/** v4 has no encryption: both corruptions break its MAC (the last byte). */
function flipLastByte(payload: Buffer): Buffer {
  const out = Buffer.from(payload);
  out[out.length - 1] = (out[out.length - 1] ?? 0) ^ 0x5a;
  return out;
}

/**
 * v5/v6: replaces the last ciphertext block so that it decrypts to a block ending in 0x00,
 * which is never valid PKCS#7 — the client's decryption fails deterministically while the
 * length stays right.
 */
export function makeUndecryptable(payload: Buffer): Buffer {
  const major = payload.readUInt16LE(2);
  if (major === 4) return flipLastByte(payload);
  const out = Buffer.from(payload);
  const cipher = kmsCipher(major);
  const last = out.length - 16;
  const previous = out.subarray(last - 16, last); // the IV when there is one block only
  const badPlain = randomBytes(16);
  badPlain[15] = 0;
  for (let i = 0; i < 16; i++) badPlain[i] = (badPlain[i] ?? 0) ^ (previous[i] ?? 0);
  cipher.encryptBlock(badPlain).copy(out, last);
  return out;
}

/**
 * A response that decrypts but does not verify: v4 a wrong MAC; v5/v6 the plaintext's last
 * byte flipped (v5: the hash, v6: the HMAC) and re-encrypted under the same IV.
 */
export function makeUnverifiable(payload: Buffer): Buffer {
  const major = payload.readUInt16LE(2);
  if (major === 4) return flipLastByte(payload);
  const cipher = kmsCipher(major);
  const iv = payload.subarray(4, 20);
  const plain = Buffer.from(decryptPadded(cipher, iv, payload.subarray(20)));
  plain[plain.length - 1] = (plain[plain.length - 1] ?? 0) ^ 0x5a;
  return Buffer.concat([payload.subarray(0, 20), encryptPadded(cipher, iv, plain)]);
}
