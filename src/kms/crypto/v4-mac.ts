/**
 * V4MAC (docs/protocol.md §3.2): CBC-MAC with the 160-bit-key Rijndael, zero IV, 0x80-then-zeros
 * padding that always adds at least one byte. Not RFC 4493 CMAC: there are no sub-keys.
 */
import { encryptBlock } from './rijndael.js';
import { V4_ROUND_KEYS } from './keys.js';

const BLOCK = 16;

export function v4Mac(message: Uint8Array): Buffer {
  const state = Buffer.alloc(BLOCK);
  const full = message.length - (message.length % BLOCK);
  for (let off = 0; off < full; off += BLOCK) {
    for (let i = 0; i < BLOCK; i++) state[i]! ^= message[off + i]!;
    encryptBlock(V4_ROUND_KEYS, state, 0, state, 0);
  }
  // Final block: the remaining 0…15 bytes, then 0x80, then zeros (implicit: XOR with 0).
  const rest = message.length - full;
  for (let i = 0; i < rest; i++) state[i]! ^= message[full + i]!;
  state[rest]! ^= 0x80;
  encryptBlock(V4_ROUND_KEYS, state, 0, state, 0);
  return state;
}
