import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pkcs7Pad, pkcs7Unpad, decryptPadded, V6_CIPHER } from '../../../src/kms/crypto/index.js';
import { KmsDecodeError } from '../../../src/kms/errors.js';

const decryptFailed = (e: unknown): boolean =>
  e instanceof KmsDecodeError && e.reason === 'decrypt_failed';

describe('PKCS#7', () => {
  it('pads 236 bytes with four 0x04 and a full block when aligned', () => {
    assert.deepEqual(pkcs7Pad(Buffer.alloc(236)).subarray(236), Buffer.from('04040404', 'hex'));
    assert.deepEqual(pkcs7Pad(Buffer.alloc(32)).subarray(32), Buffer.alloc(16, 16));
    assert.equal(pkcs7Pad(Buffer.alloc(0)).length, 16);
  });

  it('unpad inverts pad for every length 0…64', () => {
    for (let n = 0; n <= 64; n++) {
      const data = Buffer.alloc(n, 0xaa);
      assert.deepEqual(Buffer.from(pkcs7Unpad(pkcs7Pad(data))), data);
    }
  });

  it('bad padding is decrypt_failed', () => {
    const good = pkcs7Pad(Buffer.alloc(20));
    assert.throws(() => pkcs7Unpad(Buffer.alloc(16)), decryptFailed); // n = 0
    assert.throws(() => pkcs7Unpad(Buffer.alloc(16, 17)), decryptFailed); // n > 16
    const bad = Buffer.from(good);
    bad[bad.length - 2]! ^= 1;
    assert.throws(() => pkcs7Unpad(bad), decryptFailed);
    assert.throws(() => pkcs7Unpad(Buffer.alloc(0)), decryptFailed);
    assert.throws(() => pkcs7Unpad(Buffer.alloc(17, 1)), decryptFailed);
  });

  it('decryptPadded rejects empty and unaligned ciphertext as decrypt_failed', () => {
    const iv = Buffer.alloc(16);
    assert.throws(() => decryptPadded(V6_CIPHER, iv, Buffer.alloc(0)), decryptFailed);
    assert.throws(() => decryptPadded(V6_CIPHER, iv, Buffer.alloc(33)), decryptFailed);
  });
});
