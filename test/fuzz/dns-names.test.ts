// Fuzzing DNS names, the one check every name from the configuration, the flags and
// resolv.conf goes through (src/dns/names.ts checkDnsName / normalizeDomain): whatever it
// accepts is canonical (checking it again changes nothing) and fits the wire (labels
// 1-63, at most 253); the config schema accepts exactly the same domains; and lookupSrv
// never rejects for a name, it reports `bad_name` without sending anything.
//
// FUZZ_RUNS: cases for the pure properties (default 2,000); the lookup property runs a
// tenth of them, against 127.0.0.1:9 only (nothing listens; nothing leaves loopback).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { configSchema } from '../../src/config/schema.js';
import { DnsNameError, checkDnsName, lookupSrv, normalizeDomain } from '../../src/dns/index.js';
import { checkWireLimits } from '../../src/dns/names.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : undefined;
const params = (share: number) => ({
  numRuns: Math.max(50, Math.round(RUNS * share)),
  ...(SEED !== undefined && { seed: SEED }),
});

/** Name-like text: labels of 0-70 characters, mostly valid ones, some hostile. */
const label = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9_-]{0,68}[a-zA-Z0-9])?$/) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '-', '_srv', 'xn--bcher-kva', 'Bücher', 'a b', '\x1b[31m', '\0'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 70 }) },
);
const nameLike = fc.oneof(
  { weight: 4, arbitrary: fc.array(label, { minLength: 1, maxLength: 8 }).map((l) => l.join('.')) },
  {
    weight: 1,
    arbitrary: fc.array(label, { minLength: 1, maxLength: 8 }).map((l) => `${l.join('.')}.`),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constant('abcdefghi'), { minLength: 24, maxLength: 27 })
      .map((l) => l.join('.')),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
);

describe(`fuzz: DNS names (${RUNS} cases)`, () => {
  it('accepted names are canonical, idempotent and fit the wire; refusals are DnsNameError', () => {
    let accepted = 0;
    fc.assert(
      fc.property(nameLike, (text) => {
        let name: string;
        try {
          name = checkDnsName(text);
        } catch (error) {
          assert.ok(error instanceof DnsNameError, String(error));
          assert.ok(error.message.startsWith(`invalid domain ${JSON.stringify(text)}: `));
          return;
        }
        accepted++;
        assert.equal(checkDnsName(name), name);
        assert.equal(name, name.toLowerCase());
        assert.ok(!name.endsWith('.'));
        assert.ok(name.length <= 253);
        for (const l of name.split('.')) assert.ok(l.length >= 1 && l.length <= 63, l);
        checkWireLimits(name);
      }),
      params(1),
    );
    assert.ok(accepted > 0, 'the generator never produced a valid name');
  });

  it('the config schema accepts exactly the domains normalizeDomain accepts, in its form', () => {
    fc.assert(
      fc.property(nameLike, (text) => {
        let expected: string | null = null;
        try {
          expected = normalizeDomain(text);
        } catch {
          // refused below too
        }
        const parsed = configSchema.shape.domains.safeParse([text]);
        assert.equal(parsed.success, expected !== null, text);
        if (parsed.success) assert.deepEqual(parsed.data, [{ name: expected }]);
      }),
      params(1),
    );
  });

  it('lookupSrv never rejects for a name: a refused one is bad_name, with nothing sent', async () => {
    await fc.assert(
      fc.asyncProperty(nameLike, async (text) => {
        let valid = true;
        try {
          normalizeDomain(text);
        } catch {
          valid = false;
        }
        const results = await lookupSrv(text, {
          resolvers: [{ address: '127.0.0.1', port: 9 }],
          timeoutMs: 50,
          attempts: 1,
          resolveAddresses: false,
        });
        assert.equal(results.length, 1);
        const reason = results[0]?.error?.reason;
        if (valid) assert.notEqual(reason, 'bad_name', text);
        else {
          assert.equal(reason, 'bad_name', text);
          assert.equal(results[0]?.durationSeconds, 0, 'nothing may be sent for a bad name');
        }
      }),
      params(0.1),
    );
  });
});
