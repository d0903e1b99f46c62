// The `adba` list and `adba_interval` in the configuration file: parsed once by the schema
// (with src/adba/config.ts's validation), and each bad entry refused at its key and line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultConfig, parseConfig } from '../../src/config/load.js';
import { configErrorOf } from './config-error.js';

const forest = (extra = '') =>
  `  - name: corp\n    url: ldaps://dc1.corp.example\n    bind_dn: CN=reader,CN=Users,DC=corp\n    password_file: /run/secrets/adba\n${extra}`;

test('no adba list means no collector, and adba_interval defaults to 1h', () => {
  const config = defaultConfig();
  assert.deepEqual(config.adba, []);
  assert.equal(config.adba_interval, 3_600_000);
});

test('a forest is parsed into the collector configuration, its timeout a duration', () => {
  const config = parseConfig(
    `adba_interval: 30m\nadba:\n${forest('    timeout: 2s\n    ca_file: /etc/ssl/corp-ca.pem\n')}` +
      '  - name: lab\n    url: ldap://dc.lab:389\n    start_tls: true\n    bind_dn: reader@lab\n    password_env: LAB_ADBA_PASSWORD\n    base: CN=Configuration,DC=lab\n',
    'kms.yml',
  );
  assert.equal(config.adba_interval, 1_800_000);
  assert.deepEqual(config.adba, [
    {
      name: 'corp',
      url: 'ldaps://dc1.corp.example',
      bindDn: 'CN=reader,CN=Users,DC=corp',
      password: { file: '/run/secrets/adba' },
      base: null,
      caFile: '/etc/ssl/corp-ca.pem',
      startTls: false,
      timeoutMs: 2000,
    },
    {
      name: 'lab',
      url: 'ldap://dc.lab:389',
      bindDn: 'reader@lab',
      password: { env: 'LAB_ADBA_PASSWORD' },
      base: 'CN=Configuration,DC=lab',
      caFile: null,
      startTls: true,
      timeoutMs: 5000,
    },
  ]);
});

test('an inline password is refused at its line, and says where the password goes', () => {
  const err = configErrorOf(`adba:\n${forest('    password: hunter2\n')}`);
  assert.equal(err.keyPath, 'adba[0].password');
  assert.equal(err.line, 6);
  assert.match(
    err.message,
    /never written in the configuration: use password_file or password_env/,
  );
  assert.doesNotMatch(err.message, /hunter2/);
});

test('each bad entry is named by its key path and line', () => {
  const cases: Array<[string, string, RegExp]> = [
    [`adba:\n${forest('    colour: blue\n')}`, 'adba[0].colour', /unknown key/],
    [`adba:\n${forest('    timeout: 5000\n')}`, 'adba[0].timeout', /must be a duration such as 5s/],
    [`adba:\n${forest('    timeout: 5x\n')}`, 'adba[0].timeout', /invalid duration/],
    [`adba:\n${forest('    timeout: 10m\n')}`, 'adba[0].timeout', /100 ms to 120000 ms/],
    [`adba:\n${forest('    password_env: PW\n')}`, 'adba[0]', /not both/],
    [
      'adba:\n  - name: corp\n    url: ldap://dc1\n    bind_dn: x\n    password_env: PW\n',
      'adba[0]',
      /clear text.*start_tls: true/,
    ],
    ['adba:\n  - name: corp\n    bind_dn: x\n    password_env: PW\n', 'adba[0].url', /is required/],
    [
      'adba:\n  - name: "bad name"\n    url: ldaps://dc\n    bind_dn: x\n    password_env: PW\n',
      'adba[0].name',
      /letters, digits/,
    ],
    ['adba: corp\n', 'adba', /expected array/],
    ['adba_interval: 1s\n', 'adba_interval', /at least 10s/],
  ];
  for (const [text, keyPath, message] of cases) {
    const err = configErrorOf(text);
    assert.equal(err.keyPath, keyPath, text);
    assert.match(err.message, message, text);
  }
});

test('a forest name used twice names both entries', () => {
  const err = configErrorOf(`adba:\n${forest()}${forest().replace('name: corp', 'name: CORP')}`);
  assert.equal(err.keyPath, 'adba[1]');
  assert.match(err.message, /forest name "CORP" is used twice \(adba\[0\], line 2:5\)/);
});
