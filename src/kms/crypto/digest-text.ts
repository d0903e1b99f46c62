/**
 * SHA-256 digests as 'latin1' text, one character per byte. node:crypto hands a 'buffer'
 * digest back as a new ArrayBuffer, which costs about four times the SHA-256 of a KMS
 * message itself; a short string does not (docs/performance.md, KMS client CPU). The KMS
 * checks only compare digests or feed them to another hash, so text serves.
 */
import { hash } from 'node:crypto';

/** 'binary' is Node's name for latin1 in the digest's types. */
export const DIGEST_TEXT = 'binary';

/** SHA-256 of `data` as 32 latin1 characters. */
export function sha256Text(data: Uint8Array): string {
  return hash('sha256', data, DIGEST_TEXT);
}

/**
 * Whether the `text.length` bytes of `bytes` at `at` are the latin1 characters of `text`;
 * every byte is looked at, as bytesEqual does for buffers.
 */
export function bytesEqualText(bytes: Uint8Array, at: number, text: string): boolean {
  if (at < 0 || at + text.length > bytes.length) return false;
  let diff = 0;
  for (let i = 0; i < text.length; i++) diff |= bytes[at + i]! ^ text.charCodeAt(i);
  return diff === 0;
}
