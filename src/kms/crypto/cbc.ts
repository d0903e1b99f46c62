/** CBC mode over the table-driven Rijndael core (for ciphers Node cannot provide). */
import { decryptBlock, encryptBlock } from './rijndael.js';
import type { RoundKeys } from './rijndael.js';

const BLOCK = 16;

function checkShape(iv: Uint8Array, data: Uint8Array): void {
  if (iv.length !== BLOCK) throw new RangeError(`IV must be 16 bytes, got ${iv.length}`);
  if (data.length % BLOCK !== 0)
    throw new RangeError(`CBC data must be whole blocks, got ${data.length}`);
}

/** CBC-encrypts whole blocks (no padding here) into a new buffer. */
export function cbcEncrypt(keys: RoundKeys, iv: Uint8Array, plaintext: Uint8Array): Buffer {
  return cbcEncryptInPlace(keys, iv, Buffer.from(plaintext));
}

/** CBC-encrypts whole blocks where they are (e.g. a view into the PDU being built). */
export function cbcEncryptInPlace(keys: RoundKeys, iv: Uint8Array, out: Buffer): Buffer {
  checkShape(iv, out);
  let prev: Uint8Array = iv;
  let prevOff = 0;
  for (let off = 0; off < out.length; off += BLOCK) {
    for (let i = 0; i < BLOCK; i++) out[off + i]! ^= prev[prevOff + i]!;
    encryptBlock(keys, out, off, out, off);
    prev = out;
    prevOff = off;
  }
  return out;
}

/** CBC-decrypts whole blocks (padding is left in place) into a new buffer. */
export function cbcDecrypt(keys: RoundKeys, iv: Uint8Array, ciphertext: Uint8Array): Buffer {
  checkShape(iv, ciphertext);
  const out = Buffer.allocUnsafe(ciphertext.length);
  for (let off = 0; off < ciphertext.length; off += BLOCK) {
    decryptBlock(keys, ciphertext, off, out, off);
    // XOR with the previous ciphertext block, read from the untouched input.
    const prev = off === 0 ? iv : ciphertext;
    const prevOff = off === 0 ? 0 : off - BLOCK;
    for (let i = 0; i < BLOCK; i++) out[off + i]! ^= prev[prevOff + i]!;
  }
  return out;
}
