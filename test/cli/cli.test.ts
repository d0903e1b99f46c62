import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kms-cli-'));

test('--help lists every subcommand', async () => {
  const { code, stdout } = await runCli(['--help']);
  assert.equal(code, 0);
  for (const name of ['serve', 'discover', 'probe', 'check', 'demo'])
    assert.match(stdout, new RegExp(`\\n  ${name} `));
});

test('--version prints the package version', async () => {
  const { code, stdout } = await runCli(['--version']);
  assert.equal(code, 0);
  assert.match(stdout, /^kms-monitor \d+\.\d+\.\d+ \(node \d+/);
});

test('each subcommand has its own --help', async () => {
  for (const name of ['serve', 'discover', 'probe', 'check', 'demo']) {
    const { code, stdout } = await runCli([name, '--help']);
    assert.equal(code, 0, name);
    assert.match(stdout, new RegExp(`^Usage: kms-monitor ${name}`), name);
  }
});

test('an unknown command or flag exits 2 with a message', async () => {
  const unknown = await runCli(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const flag = await runCli(['serve', '--no-such-flag']);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /no-such-flag/);
  const level = await runCli(['serve', '--log.level=loud']);
  assert.equal(level.code, 2);
  assert.match(level.stderr, /--log\.level must be one of debug, info, warn, error/);
});

for (const [what, yaml, key, line] of [
  ['an unknown key', 'interval: 30s\nwebb:\n  listen_address: ":1"\n', 'webb', 2],
  ['a wrong type', 'concurrency: [1, 2]\n', 'concurrency', 1],
  ['a bad duration', 'interval: 30s\ntimeout: 5 seconds\n', 'timeout', 2],
] as const) {
  test(`serve with ${what} in the config exits 2 naming the key and line, and starts nothing`, async () => {
    const file = join(dir, `${key}.yml`);
    writeFileSync(file, yaml);
    const { code, stderr } = await runCli([
      'serve',
      `--config.file=${file}`,
      '--web.listen-address=127.0.0.1:0',
    ]);
    assert.equal(code, 2);
    assert.match(stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:${line}:\\d+: ${key}: `));
    assert.doesNotMatch(stderr, /listening/);
  });
}

test('a bad --host flag exits 2 naming the flag', async () => {
  const { code, stderr } = await runCli([
    'serve',
    '--host=bad host!',
    '--web.listen-address=127.0.0.1:0',
  ]);
  assert.equal(code, 2);
  assert.match(stderr, /--host: host "bad host!"/);
});
