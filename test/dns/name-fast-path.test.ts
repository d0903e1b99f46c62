// checkDnsName accepts an already canonical name (lower-case letters, digits, "-", "_",
// labels 1-63, at most 253) in one pass before its full check, because every lookup checks
// its domain. Upper case never takes that pass, so the same name in upper case goes
// through the full check: both must agree on every name, accepted or refused. A one-pass
// check that let through what the full one refuses (an edge hyphen, a 64-octet label, an
// empty label, 254 octets) fails here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkDnsName } from '../../src/dns/index.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);

/** The outcome of checking `name`: its canonical form, or the error message. */
function outcome(name: string): string {
  try {
    return `ok ${checkDnsName(name)}`;
  } catch (error) {
    return `error ${(error as Error).message.replace(JSON.stringify(name), '<name>')}`;
  }
}

/** Labels near every limit from the alphabet the one-pass check accepts, dots included. */
const nearlyCanonical = fc
  .array(
    fc.oneof(
      fc.stringMatching(/^[a-z0-9_-]{0,4}$/),
      fc.integer({ min: 60, max: 66 }).map((n) => 'a'.repeat(n)),
      fc.constantFrom('-a', 'a-', '-', '_', ''),
    ),
    { minLength: 1, maxLength: 70 },
  )
  .map((labels) => labels.join('.'))
  .chain((name) => fc.constantFrom(name, `${name}.`, name.slice(0, 253), name.slice(0, 254)));

describe('checkDnsName: the one-pass accept of canonical names', () => {
  it('agrees with the full check on every name (upper case takes the full check)', () => {
    fc.assert(
      fc.property(nearlyCanonical, (name) => {
        const upper = name.toUpperCase();
        assert.equal(outcome(name).replace(upper, name), outcome(upper).replace(upper, name));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses what only the full check can name', () => {
    for (const [name, problem] of [
      ['-a.example', /starts or ends with a hyphen/],
      ['a-.example', /starts or ends with a hyphen/],
      [`${'a'.repeat(64)}.example`, /64 characters long/],
      ['a..example', /empty label/],
      [`${'abcdefghi.'.repeat(25)}abcd`, /254 characters long/],
    ] as const) {
      assert.throws(() => checkDnsName(name), problem, name);
    }
    assert.equal(checkDnsName('_vlmcs._tcp.corp-1.example.'), '_vlmcs._tcp.corp-1.example');
  });
});
