// The monitor's identity (docs/design.md principle 2): one CMID per instance, derived from the
// host name, a valid RFC 4122 v5 UUID anyone can recompute; overrides are validated.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import {
  IdentityError,
  KMS_MONITOR_CMID_NAMESPACE,
  MAX_WORKSTATION_LENGTH,
  defaultCmid,
  defaultWorkstation,
  parseCmid,
  parseWorkstation,
  resolveIdentity,
  uuidV5,
} from '../../../src/kms/client/index.js';

const V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('identity', () => {
  it('uuidV5 matches RFC 4122 (Python uuid.uuid5 vectors)', () => {
    const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    assert.equal(uuidV5('python.org', dns), '886313e1-3b8a-5372-9b90-0c9aee199e5d');
    assert.equal(KMS_MONITOR_CMID_NAMESPACE, '9a05f1fd-0540-5801-9fe9-b90c22764ed3');
    assert.equal(defaultCmid('test-host'), '04b8b28f-73b1-5323-bc58-92768afb92eb');
  });

  it('the default CMID is stable per host name, differs between names, has v5 and variant bits', () => {
    assert.equal(defaultCmid('kms01.example.org'), defaultCmid('kms01.example.org'));
    assert.equal(defaultCmid('KMS01.Example.org.'), defaultCmid('kms01.example.org'));
    assert.notEqual(defaultCmid('kms01'), defaultCmid('kms02'));
    for (const name of ['a', 'kms01', 'x'.repeat(300), 'höst']) assert.match(defaultCmid(name), V5);
    assert.equal(resolveIdentity().cmid, defaultCmid(os.hostname()));
    assert.equal(resolveIdentity().cmid, resolveIdentity().cmid, 'never random per call');
  });

  it('the workstation names the monitor and fits 63 UTF-16 units', () => {
    assert.equal(defaultWorkstation('kms01.example.org'), 'kms-monitor.kms01.example.org');
    const long = defaultWorkstation('h'.repeat(100));
    assert.equal(long.length, MAX_WORKSTATION_LENGTH);
    assert.ok(long.startsWith('kms-monitor.hhh'));
    // A surrogate pair cut in half would be an invalid UTF-16 string on the wire.
    const emoji = defaultWorkstation(`${'h'.repeat(50)}😀`.padEnd(50, 'x'));
    assert.ok(emoji.length <= MAX_WORKSTATION_LENGTH);
    assert.ok(!/[\ud800-\udbff]$/.test(defaultWorkstation(`${'h'.repeat(50)}😀😀`)));
  });

  it('overrides are checked', () => {
    const id = resolveIdentity({
      cmid: '{ABCDEF01-2345-6789-ABCD-EF0123456789}',
      workstation: 'probe-01',
    });
    assert.deepEqual(
      { ...id },
      { cmid: 'abcdef01-2345-6789-abcd-ef0123456789', workstation: 'probe-01' },
    );
    assert.throws(() => parseCmid('not-a-guid'), IdentityError);
    assert.throws(() => parseCmid('00000000-0000-0000-0000-000000000000'), IdentityError);
    assert.throws(() => parseWorkstation(''), IdentityError);
    assert.throws(() => parseWorkstation('x'.repeat(64)), IdentityError);
    assert.throws(() => parseWorkstation('bad\u0000name'), IdentityError);
    assert.equal(parseWorkstation('x'.repeat(63)).length, 63);
  });
});
