/**
 * The three fixed KMS keys (docs/protocol.md §3.2, 3.3) and their round keys, expanded once at module
 * load: the monitor runs thousands of exchanges per round and must not re-expand per call.
 */
import { expandKey, roundKeys, roundKeysFromSchedule } from './rijndael.js';
import type { RoundKeys } from './rijndael.js';

/** v4 MAC key: 160-bit Rijndael key (Nk = 5, 11 rounds). */
export const V4_KEY: Readonly<Buffer> = Buffer.from(
  '053D8307F9E5F088EB5EA6686CF037C7E4EFD2D6',
  'hex',
);
/** v5 request/response key: plain AES-128. */
export const V5_KEY: Readonly<Buffer> = Buffer.from('CD7E796F2AB25DCB55FFC8EF8364C470', 'hex');
/** v6 key: AES-128 key expansion followed by {@link V6_SCHEDULE_TWEAKS}. */
export const V6_KEY: Readonly<Buffer> = Buffer.from('A94A4195E201432D9BCB460405D84A21', 'hex');

/**
 * Byte offsets into the 176-byte AES-128 schedule and the value XORed into each: the first
 * byte of round keys 4, 6 and 8. This is what makes v6 differ from standard AES.
 */
export const V6_SCHEDULE_TWEAKS: ReadonlyArray<readonly [offset: number, xor: number]> = [
  [64, 0x73],
  [96, 0x09],
  [128, 0xe4],
];

/** The v6 round-key bytes: standard expansion of {@link V6_KEY}, then the tweaks. */
export function v6Schedule(): Buffer {
  const schedule = expandKey(V6_KEY);
  for (const [offset, xor] of V6_SCHEDULE_TWEAKS) schedule[offset]! ^= xor;
  return schedule;
}

export const V4_ROUND_KEYS: RoundKeys = roundKeys(V4_KEY);
/** Used for single-block D(x) in v5; v5 CBC itself goes through node:crypto. */
export const V5_ROUND_KEYS: RoundKeys = roundKeys(V5_KEY);
export const V6_ROUND_KEYS: RoundKeys = roundKeysFromSchedule(v6Schedule());
