/** PKCS#7 padding to the 16-byte AES block, with typed errors for hostile input. */
import { KmsDecodeError } from '../errors.js';

const BLOCK = 16;

/** Appends 1…16 bytes of value n (a full block when the length is already aligned). */
export function pkcs7Pad(data: Uint8Array): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  const out = Buffer.alloc(data.length + n, n);
  out.set(data, 0);
  return out;
}

/**
 * Returns the data without its padding (a view, no copy). Bad padding means the
 * ciphertext was not produced with this key/IV, so it is a decrypt_failed, not malformed.
 */
export function pkcs7Unpad(data: Uint8Array): Uint8Array {
  if (data.length === 0 || data.length % BLOCK !== 0) {
    throw new KmsDecodeError(
      'decrypt_failed',
      `padded data must be whole blocks, got ${data.length} bytes`,
    );
  }
  const n = data[data.length - 1]!;
  if (n < 1 || n > BLOCK) {
    throw new KmsDecodeError('decrypt_failed', `invalid PKCS#7 padding length ${n}`);
  }
  for (let i = data.length - n; i < data.length; i++) {
    if (data[i] !== n) throw new KmsDecodeError('decrypt_failed', 'invalid PKCS#7 padding bytes');
  }
  return data.subarray(0, data.length - n);
}
