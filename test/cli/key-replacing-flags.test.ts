// The key-replacing target flags are one list (src/cli/key-replacing-flags.ts): the zod-free
// check that decides whether the schema loads reads it, and so does the applier. Each flag
// in the list, given alone, must replace its key: a flag the check missed would be dropped.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadTargets } from '../../src/cli/common-flags.js';
import {
  KEY_REPLACING_FLAGS,
  hasKeyReplacingFlags,
  type KeyReplacingFlag,
  type TargetFlags,
} from '../../src/cli/key-replacing-flags.js';
import { defaultConfig } from '../../src/config/load.js';
import { LOOPBACK_RESOLV_CONF } from '../helpers/cli.js';

/** A value per flag that differs from the defaults, and the key value it must give. */
const GIVEN: {
  [F in KeyReplacingFlag]: { value: NonNullable<TargetFlags[F]>; check: (v: unknown) => void };
} = {
  domain: {
    value: ['kms.example.test'],
    check: (v) =>
      assert.deepEqual(
        (v as { name: string }[]).map((d) => d.name),
        ['kms.example.test'],
      ),
  },
  host: {
    value: ['127.0.0.1:1688'],
    check: (v) => assert.equal((v as unknown[]).length, 1),
  },
  resolver: {
    value: ['127.0.0.1:5353'],
    check: (v) => assert.equal((v as unknown[]).length, 1),
  },
  product: {
    value: ['windows-server-2022'],
    check: (v) => assert.equal((v as unknown[]).length, 1),
  },
  timeout: { value: '1234ms', check: (v) => assert.equal(v, 1234) },
};

describe('the key-replacing flags, one list', () => {
  const defaults = defaultConfig() as unknown as Record<string, unknown>;

  for (const flag of Object.keys(KEY_REPLACING_FLAGS) as KeyReplacingFlag[]) {
    const key = KEY_REPLACING_FLAGS[flag];
    it(`--${flag} alone replaces ${key}`, async () => {
      const flags = { 'dns.resolv-conf': LOOPBACK_RESOLV_CONF, [flag]: GIVEN[flag].value };
      assert.equal(hasKeyReplacingFlags(flags), true);
      const { config } = await loadTargets(flags);
      const got = (config as unknown as Record<string, unknown>)[key];
      assert.notDeepEqual(got, defaults[key], `--${flag} changed ${key}`);
      GIVEN[flag].check(got);
    });
  }

  it('leaves the schema unneeded when none is given', () => {
    assert.equal(hasKeyReplacingFlags({ 'config.file': 'x.yml', domain: [], host: [] }), false);
  });
});
