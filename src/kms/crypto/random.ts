/**
 * 16-byte CSPRNG values (IVs, the response random R) from a refilled pool: one
 * randomBytes(16) call costs far more than copying 16 bytes, and a probe or lab host
 * needs up to three per exchange. Same source (OpenSSL CSPRNG), fewer calls.
 */
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let used = 0;

export function randomBlock(): Buffer {
  if (used + 16 > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_SIZE));
    used = 0;
  }
  // A copy, so handing the value out never exposes (or lets anyone alter) the pool.
  const out = Buffer.from(pool.subarray(used, used + 16));
  pool.fill(0, used, used + 16);
  used += 16;
  return out;
}
