/**
 * One interface over the v5 and v6 ciphers so the message code never branches on how a
 * version encrypts: CBC with PKCS#7 for payloads, and the single-block D(x) the response
 * checks need (D(IV_req), D(IV_resp)).
 */
import { KmsDecodeError } from '../errors.js';
import { cbcDecrypt, cbcEncryptInPlace } from './cbc.js';
import { V5_ROUND_KEYS, V6_ROUND_KEYS } from './keys.js';
import { pkcs7Pad, pkcs7Unpad } from './pkcs7.js';
import { decryptBlock, encryptBlock } from './rijndael.js';
import type { RoundKeys } from './rijndael.js';

const BLOCK = 16;

export interface KmsCipher {
  readonly major: 5 | 6;
  /** CBC over whole blocks, no padding. */
  encryptCbc(iv: Uint8Array, plaintext: Uint8Array): Buffer;
  /** CBC over whole blocks where they are (`data` is overwritten), no padding. */
  encryptCbcInPlace(iv: Uint8Array, data: Buffer): Buffer;
  /** CBC over whole blocks, no padding. */
  decryptCbc(iv: Uint8Array, ciphertext: Uint8Array): Buffer;
  /** E(x) of one 16-byte block. */
  encryptBlock(block: Uint8Array): Buffer;
  /** D(x) of one 16-byte block. */
  decryptBlock(block: Uint8Array): Buffer;
}

function singleBlock(keys: RoundKeys, block: Uint8Array, decrypt: boolean): Buffer {
  if (block.length !== BLOCK) throw new RangeError(`block must be 16 bytes, got ${block.length}`);
  const out = Buffer.allocUnsafe(BLOCK);
  (decrypt ? decryptBlock : encryptBlock)(keys, block, 0, out, 0);
  return out;
}

// v5 is standard AES-128, but a node:crypto cipher object per message (createCipheriv,
// update, final, concat) costs more than the ~16 blocks of a KMS payload through the
// table core with the key schedule expanded once (docs/performance.md, KMS client CPU).
// test/kms/crypto checks the core against node:crypto's aes-128-cbc.
export const V5_CIPHER: KmsCipher = {
  major: 5,
  encryptCbc: (iv, plaintext) => cbcEncryptInPlace(V5_ROUND_KEYS, iv, Buffer.from(plaintext)),
  encryptCbcInPlace: (iv, data) => cbcEncryptInPlace(V5_ROUND_KEYS, iv, data),
  decryptCbc: (iv, ciphertext) => cbcDecrypt(V5_ROUND_KEYS, iv, ciphertext),
  encryptBlock: (block) => singleBlock(V5_ROUND_KEYS, block, false),
  decryptBlock: (block) => singleBlock(V5_ROUND_KEYS, block, true),
};

export const V6_CIPHER: KmsCipher = {
  major: 6,
  encryptCbc: (iv, plaintext) => cbcEncryptInPlace(V6_ROUND_KEYS, iv, Buffer.from(plaintext)),
  encryptCbcInPlace: (iv, data) => cbcEncryptInPlace(V6_ROUND_KEYS, iv, data),
  decryptCbc: (iv, ciphertext) => cbcDecrypt(V6_ROUND_KEYS, iv, ciphertext),
  encryptBlock: (block) => singleBlock(V6_ROUND_KEYS, block, false),
  decryptBlock: (block) => singleBlock(V6_ROUND_KEYS, block, true),
};

/** v5 uses plain AES-128; every major ≥ 6 uses the v6 schedule (as vlmcs does). */
export function kmsCipher(major: number): KmsCipher {
  return major === 5 ? V5_CIPHER : V6_CIPHER;
}

/** PKCS#7-pads and CBC-encrypts. */
export function encryptPadded(cipher: KmsCipher, iv: Uint8Array, plaintext: Uint8Array): Buffer {
  return cipher.encryptCbc(iv, pkcs7Pad(plaintext));
}

/**
 * CBC-decrypts hostile ciphertext and strips PKCS#7. Any length or padding problem is a
 * decrypt_failed: without a valid decryption nothing inside can be interpreted.
 */
export function decryptPadded(
  cipher: KmsCipher,
  iv: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array {
  if (ciphertext.length === 0 || ciphertext.length % BLOCK !== 0) {
    throw new KmsDecodeError(
      'decrypt_failed',
      `ciphertext must be a non-empty multiple of 16 bytes, got ${ciphertext.length}`,
    );
  }
  return pkcs7Unpad(cipher.decryptCbc(iv, ciphertext));
}
