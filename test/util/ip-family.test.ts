// ipFamily (src/util/ip-family.ts) skips node:net's IPv6 expression where no IPv6 address
// can be; it must still answer exactly as net.isIP does, for addresses and for everything else.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { ipFamily } from '../../src/util/ip-family.js';

const TEXTS = [
  '',
  '127.0.0.1',
  '127.0.0.1:53',
  '256.0.0.1',
  '1.2.3',
  '::',
  '::1',
  ':1',
  '1:',
  ':',
  '[::1]',
  '[::1]:53',
  'fe80::1%eth0',
  '2001:db8::1',
  '2001:db8:0:0:0:0:0:1',
  '2001:db8::1:53',
  '::ffff:192.0.2.1',
  '1:2:3:4:5:6:7:8:9',
  'kms.example.com',
  'kms.example.com:1688',
  'a:b',
  'g::1',
];

describe('ipFamily', () => {
  it('answers as net.isIP for addresses, host:port texts and names', () => {
    for (const text of TEXTS) assert.equal(ipFamily(text), isIP(text), JSON.stringify(text));
  });

  it('answers as net.isIP for random texts of address characters', () => {
    const alphabet = '0123456789abcdefABCDEF:.%[]z';
    let seed = 1;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31; // a fixed sequence: failures reproduce
      return seed % n;
    };
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      for (let len = next(16); len > 0; len--) text += alphabet[next(alphabet.length)];
      assert.equal(ipFamily(text), isIP(text), JSON.stringify(text));
    }
  });
});
