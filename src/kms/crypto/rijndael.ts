/**
 * Rijndael with a 128-bit block and a 128…256-bit key (Nk = 4…8 words), table driven.
 *
 * Node's built-in AES cannot help with two KMS ciphers: v4 uses a 160-bit key (Nk = 5,
 * 11 rounds), which AES does not define, and v6 uses AES-128 with a modified key schedule.
 * Both need a core that runs on caller-supplied round keys, so the schedule is a separate
 * value ({@link RoundKeys}) built once per key and reused for every block.
 *
 * The state is held as four big-endian 32-bit column words; each round is 16 lookups in
 * the classic T-tables (SubBytes + ShiftRows + MixColumns folded into one table per row).
 */

const BLOCK = 16;

/** Doubling in GF(2^8) modulo the AES polynomial x^8 + x^4 + x^3 + x + 1. */
function xtime(a: number): number {
  return ((a << 1) ^ (a & 0x80 ? 0x11b : 0)) & 0xff;
}

function gfMul(a: number, b: number): number {
  let product = 0;
  for (let x = a, y = b; y !== 0; y >>>= 1, x = xtime(x)) if (y & 1) product ^= x;
  return product;
}

function rotl8(x: number, n: number): number {
  return ((x << n) | (x >>> (8 - n))) & 0xff;
}

// The S-box is derived (multiplicative inverse + affine map) rather than pasted, so the
// tables below can be checked against the definition instead of against a hex dump.
const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
{
  const exp = new Uint8Array(256);
  const log = new Uint8Array(256);
  // 3 generates the multiplicative group of GF(2^8).
  for (let i = 0, x = 1; i < 255; i++, x = x ^ xtime(x)) {
    exp[i] = x;
    log[x] = i;
  }
  for (let a = 0; a < 256; a++) {
    const inv = a === 0 ? 0 : exp[(255 - log[a]!) % 255]!;
    const s = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
    SBOX[a] = s;
    INV_SBOX[s] = a;
  }
}

const TE0 = new Uint32Array(256);
const TE1 = new Uint32Array(256);
const TE2 = new Uint32Array(256);
const TE3 = new Uint32Array(256);
const TD0 = new Uint32Array(256);
const TD1 = new Uint32Array(256);
const TD2 = new Uint32Array(256);
const TD3 = new Uint32Array(256);
{
  const ror = (w: number): number => ((w >>> 8) | (w << 24)) >>> 0;
  for (let x = 0; x < 256; x++) {
    const s = SBOX[x]!;
    // MixColumns column (2,1,1,3) for a byte entering row 0.
    const e = ((gfMul(s, 2) << 24) | (s << 16) | (s << 8) | gfMul(s, 3)) >>> 0;
    TE0[x] = e;
    TE1[x] = ror(e);
    TE2[x] = ror(ror(e));
    TE3[x] = ror(ror(ror(e)));
    const si = INV_SBOX[x]!;
    // InvMixColumns column (14,9,13,11).
    const d =
      ((gfMul(si, 14) << 24) | (gfMul(si, 9) << 16) | (gfMul(si, 13) << 8) | gfMul(si, 11)) >>> 0;
    TD0[x] = d;
    TD1[x] = ror(d);
    TD2[x] = ror(ror(d));
    TD3[x] = ror(ror(ror(d)));
  }
}

/** Expanded key material for one key: encryption and (equivalent-inverse) decryption words. */
export interface RoundKeys {
  /** Number of rounds (Nr): 10 for AES-128, 11 for the v4 160-bit key. */
  readonly rounds: number;
  /** 4 × (rounds + 1) words of encryption round keys, big-endian byte order per word. */
  readonly enc: Uint32Array;
  /** Decryption round keys for the equivalent inverse cipher (InvMixColumns pre-applied). */
  readonly dec: Uint32Array;
}

/**
 * Standard Rijndael key expansion for a 128-bit block, returned as bytes (round key r is
 * bytes 16r…16r+15). Returned as bytes because the v6 schedule is defined as a byte-level
 * edit of this output.
 */
export function expandKey(key: Uint8Array): Buffer {
  const nk = key.length / 4;
  if (!Number.isInteger(nk) || nk < 4 || nk > 8) {
    throw new RangeError(`Rijndael key must be 16…32 bytes in steps of 4, got ${key.length}`);
  }
  const rounds = nk + 6;
  const total = 4 * (rounds + 1);
  const w = new Uint32Array(total);
  for (let i = 0; i < nk; i++) {
    w[i] =
      ((key[4 * i]! << 24) | (key[4 * i + 1]! << 16) | (key[4 * i + 2]! << 8) | key[4 * i + 3]!) >>>
      0;
  }
  const sub = (t: number): number =>
    ((SBOX[t >>> 24]! << 24) |
      (SBOX[(t >>> 16) & 0xff]! << 16) |
      (SBOX[(t >>> 8) & 0xff]! << 8) |
      SBOX[t & 0xff]!) >>>
    0;
  let rcon = 1;
  for (let i = nk; i < total; i++) {
    let t = w[i - 1]!;
    if (i % nk === 0) {
      t = (sub(((t << 8) | (t >>> 24)) >>> 0) ^ (rcon << 24)) >>> 0;
      rcon = xtime(rcon);
    } else if (nk > 6 && i % nk === 4) {
      t = sub(t);
    }
    w[i] = (w[i - nk]! ^ t) >>> 0;
  }
  const out = Buffer.alloc(total * 4);
  for (let i = 0; i < total; i++) out.writeUInt32BE(w[i]!, 4 * i);
  return out;
}

/**
 * Builds the round-key object from a byte schedule (as returned by {@link expandKey},
 * possibly edited). The decryption keys are derived from exactly these bytes, so an edited
 * schedule stays self-inverse.
 */
export function roundKeysFromSchedule(schedule: Uint8Array): RoundKeys {
  if (
    schedule.length % BLOCK !== 0 ||
    schedule.length < 11 * BLOCK ||
    schedule.length > 15 * BLOCK
  ) {
    throw new RangeError(`round-key schedule must be 11…15 blocks, got ${schedule.length} bytes`);
  }
  const words = schedule.length / 4;
  const rounds = words / 4 - 1;
  const enc = new Uint32Array(words);
  for (let i = 0; i < words; i++) {
    enc[i] =
      ((schedule[4 * i]! << 24) |
        (schedule[4 * i + 1]! << 16) |
        (schedule[4 * i + 2]! << 8) |
        schedule[4 * i + 3]!) >>>
      0;
  }
  const dec = new Uint32Array(words);
  for (let r = 0; r <= rounds; r++) {
    for (let c = 0; c < 4; c++) {
      const k = enc[4 * (rounds - r) + c]!;
      // First and last decryption round keys are used without InvMixColumns.
      dec[4 * r + c] =
        r === 0 || r === rounds
          ? k
          : (TD0[SBOX[k >>> 24]!]! ^
              TD1[SBOX[(k >>> 16) & 0xff]!]! ^
              TD2[SBOX[(k >>> 8) & 0xff]!]! ^
              TD3[SBOX[k & 0xff]!]!) >>>
            0;
    }
  }
  return { rounds, enc, dec };
}

/** Key expansion + round-key object in one step, for unmodified schedules. */
export function roundKeys(key: Uint8Array): RoundKeys {
  return roundKeysFromSchedule(expandKey(key));
}

/** One output column of the last round: byte i of the result comes from word i's row i. */
function subWord(box: Uint8Array, a: number, b: number, c: number, d: number): number {
  return (
    (box[a >>> 24]! << 24) |
    (box[(b >>> 16) & 0xff]! << 16) |
    (box[(c >>> 8) & 0xff]! << 8) |
    box[d & 0xff]!
  );
}

function load(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function store(b: Uint8Array, o: number, w: number): void {
  b[o] = w >>> 24;
  b[o + 1] = (w >>> 16) & 0xff;
  b[o + 2] = (w >>> 8) & 0xff;
  b[o + 3] = w & 0xff;
}

/**
 * Encrypts the 16 bytes at src[srcOff] into dst[dstOff] (may be the same place).
 * Callers guarantee both ranges exist; this is the inner loop and does no bounds checks.
 */
export function encryptBlock(
  keys: RoundKeys,
  src: Uint8Array,
  srcOff: number,
  dst: Uint8Array,
  dstOff: number,
): void {
  const rk = keys.enc;
  let s0 = load(src, srcOff) ^ rk[0]!;
  let s1 = load(src, srcOff + 4) ^ rk[1]!;
  let s2 = load(src, srcOff + 8) ^ rk[2]!;
  let s3 = load(src, srcOff + 12) ^ rk[3]!;
  let k = 4;
  for (let r = 1; r < keys.rounds; r++, k += 4) {
    const t0 =
      TE0[s0 >>> 24]! ^
      TE1[(s1 >>> 16) & 0xff]! ^
      TE2[(s2 >>> 8) & 0xff]! ^
      TE3[s3 & 0xff]! ^
      rk[k]!;
    const t1 =
      TE0[s1 >>> 24]! ^
      TE1[(s2 >>> 16) & 0xff]! ^
      TE2[(s3 >>> 8) & 0xff]! ^
      TE3[s0 & 0xff]! ^
      rk[k + 1]!;
    const t2 =
      TE0[s2 >>> 24]! ^
      TE1[(s3 >>> 16) & 0xff]! ^
      TE2[(s0 >>> 8) & 0xff]! ^
      TE3[s1 & 0xff]! ^
      rk[k + 2]!;
    const t3 =
      TE0[s3 >>> 24]! ^
      TE1[(s0 >>> 16) & 0xff]! ^
      TE2[(s1 >>> 8) & 0xff]! ^
      TE3[s2 & 0xff]! ^
      rk[k + 3]!;
    s0 = t0 >>> 0;
    s1 = t1 >>> 0;
    s2 = t2 >>> 0;
    s3 = t3 >>> 0;
  }
  // Last round: SubBytes + ShiftRows only.
  const o0 = subWord(SBOX, s0, s1, s2, s3) ^ rk[k]!;
  const o1 = subWord(SBOX, s1, s2, s3, s0) ^ rk[k + 1]!;
  const o2 = subWord(SBOX, s2, s3, s0, s1) ^ rk[k + 2]!;
  const o3 = subWord(SBOX, s3, s0, s1, s2) ^ rk[k + 3]!;
  store(dst, dstOff, o0);
  store(dst, dstOff + 4, o1);
  store(dst, dstOff + 8, o2);
  store(dst, dstOff + 12, o3);
}

/** Inverse of {@link encryptBlock} with the same {@link RoundKeys}; in-place allowed. */
export function decryptBlock(
  keys: RoundKeys,
  src: Uint8Array,
  srcOff: number,
  dst: Uint8Array,
  dstOff: number,
): void {
  const rk = keys.dec;
  let s0 = load(src, srcOff) ^ rk[0]!;
  let s1 = load(src, srcOff + 4) ^ rk[1]!;
  let s2 = load(src, srcOff + 8) ^ rk[2]!;
  let s3 = load(src, srcOff + 12) ^ rk[3]!;
  let k = 4;
  for (let r = 1; r < keys.rounds; r++, k += 4) {
    const t0 =
      TD0[s0 >>> 24]! ^
      TD1[(s3 >>> 16) & 0xff]! ^
      TD2[(s2 >>> 8) & 0xff]! ^
      TD3[s1 & 0xff]! ^
      rk[k]!;
    const t1 =
      TD0[s1 >>> 24]! ^
      TD1[(s0 >>> 16) & 0xff]! ^
      TD2[(s3 >>> 8) & 0xff]! ^
      TD3[s2 & 0xff]! ^
      rk[k + 1]!;
    const t2 =
      TD0[s2 >>> 24]! ^
      TD1[(s1 >>> 16) & 0xff]! ^
      TD2[(s0 >>> 8) & 0xff]! ^
      TD3[s3 & 0xff]! ^
      rk[k + 2]!;
    const t3 =
      TD0[s3 >>> 24]! ^
      TD1[(s2 >>> 16) & 0xff]! ^
      TD2[(s1 >>> 8) & 0xff]! ^
      TD3[s0 & 0xff]! ^
      rk[k + 3]!;
    s0 = t0 >>> 0;
    s1 = t1 >>> 0;
    s2 = t2 >>> 0;
    s3 = t3 >>> 0;
  }
  const o0 = subWord(INV_SBOX, s0, s3, s2, s1) ^ rk[k]!;
  const o1 = subWord(INV_SBOX, s1, s0, s3, s2) ^ rk[k + 1]!;
  const o2 = subWord(INV_SBOX, s2, s1, s0, s3) ^ rk[k + 2]!;
  const o3 = subWord(INV_SBOX, s3, s2, s1, s0) ^ rk[k + 3]!;
  store(dst, dstOff, o0);
  store(dst, dstOff + 4, o1);
  store(dst, dstOff + 8, o2);
  store(dst, dstOff + 12, o3);
}
