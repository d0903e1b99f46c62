/** Public API of the byte-level KMS crypto (docs/protocol.md §3-4). */
export {
  expandKey,
  roundKeys,
  roundKeysFromSchedule,
  encryptBlock,
  decryptBlock,
} from './rijndael.js';
export type { RoundKeys } from './rijndael.js';
export { cbcEncrypt, cbcEncryptInPlace, cbcDecrypt } from './cbc.js';
export { pkcs7Pad, pkcs7Unpad } from './pkcs7.js';
export {
  V4_KEY,
  V5_KEY,
  V6_KEY,
  V6_SCHEDULE_TWEAKS,
  v6Schedule,
  V4_ROUND_KEYS,
  V5_ROUND_KEYS,
  V6_ROUND_KEYS,
} from './keys.js';
export { v4Mac } from './v4-mac.js';
export { V5_CIPHER, V6_CIPHER, kmsCipher, encryptPadded, decryptPadded } from './kms-cipher.js';
export type { KmsCipher } from './kms-cipher.js';
export {
  v6TimeSlot,
  v6HmacSeed,
  v6HmacKey,
  v6Hmac,
  v6SlotHmac,
  v6SlotHmacMatches,
} from './v6-hmac.js';
export { sha256Text, bytesEqualText } from './digest-text.js';
export { randomBlock } from './random.js';
