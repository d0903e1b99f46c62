/**
 * v5 AES-128-CBC through node:crypto (standard AES, so OpenSSL does the bulk work).
 * Auto-padding is off: PKCS#7 is handled by pkcs7.ts so bad padding surfaces as a typed
 * decrypt_failed instead of OpenSSL's generic "bad decrypt" error.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { V5_KEY } from './keys.js';

export function v5CbcEncrypt(iv: Uint8Array, plaintext: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-128-cbc', V5_KEY, iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

export function v5CbcDecrypt(iv: Uint8Array, ciphertext: Uint8Array): Buffer {
  const decipher = createDecipheriv('aes-128-cbc', V5_KEY, iv);
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}
