/**
 * The pure parts of the ADBA collector: configuration validation, entry decoding (hostile
 * entries included), forgery signs, round diffs, GeneralizedTime, and the password file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  AdbaConfigError,
  decodeActivationObject,
  diffRounds,
  forgerySigns,
  parseGeneralizedTime,
  validateAdbaForest,
} from '../../src/adba/index.js';
import { fetchPassword } from '../../src/adba/password.js';
import { labEntry } from '../helpers/adba-objects.js';
import {
  FORGED_LOOKING_OBJECT,
  GENUINE_LOOKING_OBJECT,
  type LabActivationObject,
} from '../../src/lab/adba/sample-objects.js';

const base = {
  name: 'corp',
  url: 'ldaps://dc1.corp.example',
  bind_dn: 'CN=r,DC=corp',
  password_file: '/run/pw',
};

function problems(input: unknown): string {
  try {
    validateAdbaForest(input, 'adba[0]');
  } catch (err) {
    assert.ok(err instanceof AdbaConfigError);
    return err.message;
  }
  assert.fail('accepted');
}

const entry = labEntry;

describe('validateAdbaForest', () => {
  it('accepts a minimal LDAPS forest with defaults', () => {
    assert.deepEqual(validateAdbaForest(base), {
      name: 'corp',
      url: 'ldaps://dc1.corp.example',
      bindDn: 'CN=r,DC=corp',
      password: { file: '/run/pw' },
      base: null,
      caFile: null,
      startTls: false,
      timeoutMs: 5000,
    });
    assert.deepEqual(
      validateAdbaForest({ ...base, password_file: undefined, password_env: 'PW' }).password,
      { env: 'PW' },
    );
  });

  it('refuses inline passwords, plain LDAP, two password sources and bad values, each named', () => {
    assert.match(problems({ ...base, password: 'x' }), /never written in the configuration/);
    assert.match(problems({ ...base, url: 'ldap://dc1' }), /clear text.*start_tls: true/);
    assert.match(problems({ ...base, start_tls: true }), /start_tls is for ldap:\/\//);
    assert.match(problems({ ...base, password_env: 'PW' }), /not both/);
    assert.match(
      problems({ ...base, password_file: undefined }),
      /password_file or password_env is required/,
    );
    assert.match(problems({ ...base, url: 'http://dc1' }), /ldaps:\/\/ or ldap:\/\//);
    assert.match(problems({ ...base, url: 'ldaps://u:p@dc1' }), /must not carry credentials/);
    assert.match(problems({ ...base, timeout: 5 }), /timeout must be 100 ms/);
    assert.match(
      problems({ ...base, password_env: 'no-dash', password_file: undefined }),
      /environment variable name/,
    );
    assert.match(problems({ ...base, colour: 'blue' }), /unknown key "colour"/);
    assert.match(
      problems({ url: 'ldaps://dc1' }),
      /^adba\[0\]: .*name is required.*bind_dn is required/,
    );
    assert.match(problems('corp'), /must be a mapping/);
  });
});

describe('decodeActivationObject', () => {
  it('decodes every attribute, and falls back to createTimestamp/modifyTimestamp', () => {
    const o = decodeActivationObject(entry(GENUINE_LOOKING_OBJECT));
    assert.equal(o.skuId, GENUINE_LOOKING_OBJECT.skuId);
    assert.equal(o.pid?.csvlk, 'Windows Server 2019');
    assert.equal(o.created, '2024-01-15T10:30:00.000Z');
    assert.equal(o.changed, '2024-01-16T08:00:00.000Z');
    assert.equal(o.kmsIds.length, GENUINE_LOOKING_OBJECT.kmsIds.length);
    assert.deepEqual(o.problems, []);
    const lab = entry(GENUINE_LOOKING_OBJECT, {
      whenCreated: undefined,
      whenChanged: undefined,
      createTimestamp: '20250102030405Z',
    });
    assert.equal(decodeActivationObject(lab).created, '2025-01-02T03:04:05.000Z');
  });

  it('turns hostile entries into problems, never exceptions', () => {
    const bad = decodeActivationObject({
      dn: 'CN=x',
      'mssPP-csvlkSKUid': Buffer.alloc(3),
      'msSPP-KMSIds': [
        'not bytes',
        Buffer.alloc(17),
        ...Array.from({ length: 300 }, () => Buffer.alloc(16, 1)),
      ],
      'msSPP-CSVLKPid': ['a', 'b'],
      'msSPP-CSVLKPartialProductKey': 'x'.repeat(10_000),
      whenCreated: 'yesterday',
    });
    assert.equal(bad.skuId, null);
    assert.equal(bad.pid, null);
    assert.equal(bad.partialProductKey?.length, 512);
    assert.equal(bad.kmsIds.length, 1); // 300 identical values, deduplicated
    for (const p of [
      /CSVLKSkuId is 3 bytes/,
      /KMSIds arrived as text/,
      /KMSIds is 17 bytes/,
      /302 values/,
      /CSVLKPid has 2 values/,
      /characters long/,
      /not a GeneralizedTime/,
    ]) {
      assert.ok(
        bad.problems.some((x) => p.test(x)),
        `${p} not in ${bad.problems.join(' | ')}`,
      );
    }
    assert.ok(decodeActivationObject({}).problems.includes('the entry has no DN'));
  });
});

describe('forgerySigns', () => {
  it('finds every sign in the forged-looking object and none in the genuine-looking one', () => {
    assert.deepEqual(forgerySigns(decodeActivationObject(entry(GENUINE_LOOKING_OBJECT))), []);
    const evidence = forgerySigns(decodeActivationObject(entry(FORGED_LOOKING_OBJECT)));
    assert.deepEqual(
      evidence.map((e) => e.sign),
      ['sku_zero', 'partial_key_placeholder', 'pid_placeholder', 'kms_ids_impossible'],
    );
    assert.match(evidence[2]!.detail, /platform ID 0 is no Windows platform, key ID is all zeros/);
  });

  it('judges each sign on its own', () => {
    const signs = (patch: Partial<LabActivationObject>) =>
      forgerySigns(decodeActivationObject(entry({ ...GENUINE_LOOKING_OBJECT, ...patch }))).map(
        (e) => e.sign,
      );
    assert.deepEqual(signs({ partialProductKey: 'BBBBB' }), ['partial_key_placeholder']);
    assert.deepEqual(signs({ partialProductKey: 'AE1OU' }), ['partial_key_placeholder']);
    assert.deepEqual(signs({ pid: 'not a pid' }), ['pid_undecodable']);
    assert.deepEqual(signs({ pid: '06401-00206-556-123456-03-1033-17763.0000-1452019' }), [
      'pid_placeholder',
    ]);
    assert.deepEqual(signs({ pid: '03612-00206-556-123456-03-1033-17763.0000-1459999' }), [
      'pid_placeholder',
    ]);
    // A retail group: no CSVLK enables it.
    assert.deepEqual(signs({ kmsIds: ['e1c51358-fe3e-4203-a4a2-3b6b20c9734e'] }), [
      'kms_ids_impossible',
    ]);
    // Office 2010 and Office 2013+ are two applications as well.
    assert.deepEqual(
      signs({
        kmsIds: ['e85af946-2e25-47b7-83e1-bebcebeac611', '85b5f61b-320b-4be3-814a-b76b2bfafc82'],
      }),
      ['kms_ids_impossible'],
    );
  });
});

describe('diffRounds', () => {
  const genuine = decodeActivationObject(entry(GENUINE_LOOKING_OBJECT));
  const forged = decodeActivationObject(entry(FORGED_LOOKING_OBJECT));

  it('names appeared, disappeared and changed objects, matching DNs without case', () => {
    const renamed = decodeActivationObject(
      entry(GENUINE_LOOKING_OBJECT, { displayName: 'other', dn: genuine.dn.toUpperCase() }),
    );
    const diff = diffRounds([genuine], [renamed, forged]);
    assert.deepEqual(
      diff.appeared.map((o) => o.displayName),
      ['ADBA'],
    );
    assert.deepEqual(diff.disappeared, []);
    assert.deepEqual(
      diff.changed.map((c) => c.attributes),
      [['displayName']],
    );
    assert.deepEqual(
      diffRounds([genuine, forged], [genuine]).disappeared.map((o) => o.displayName),
      ['ADBA'],
    );
  });

  it('ignores whenChanged alone, and sees a recreated object by its whenCreated', () => {
    const touched = decodeActivationObject(
      entry(GENUINE_LOOKING_OBJECT, { whenChanged: '20250101000000.0Z' }),
    );
    assert.deepEqual(diffRounds([genuine], [touched]).changed, []);
    const recreated = decodeActivationObject(
      entry(GENUINE_LOOKING_OBJECT, { whenCreated: '20250101000000.0Z' }),
    );
    assert.deepEqual(diffRounds([genuine], [recreated]).changed[0]?.attributes, ['whenCreated']);
  });
});

describe('parseGeneralizedTime', () => {
  it('reads AD and OpenLDAP forms with offsets and refuses the rest', () => {
    assert.equal(parseGeneralizedTime('20240115103000.0Z'), '2024-01-15T10:30:00.000Z');
    assert.equal(parseGeneralizedTime('20240115103000+0200'), '2024-01-15T08:30:00.000Z');
    assert.equal(parseGeneralizedTime('20241315103000Z'), null);
    assert.equal(parseGeneralizedTime('2024'), null);
  });
});

describe('fetchPassword', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kms-adba-pw-'));
  it('drops the trailing line break of a file, keeps inner and trailing spaces', async () => {
    writeFileSync(join(dir, 'a'), 'p@ss word \r\n');
    assert.equal(await fetchPassword({ file: join(dir, 'a') }), 'p@ss word ');
  });
  it('refuses an empty password (an anonymous bind) and names the file or variable only', async () => {
    writeFileSync(join(dir, 'b'), '\n\n');
    await assert.rejects(
      fetchPassword({ file: join(dir, 'b') }),
      /password_file .*b holds no password/,
    );
    await assert.rejects(
      fetchPassword({ env: 'X' }, { X: '' }),
      /environment variable X is not set or empty/,
    );
    assert.equal(await fetchPassword({ env: 'X' }, { X: 's3cret' }), 's3cret');
  });
});
