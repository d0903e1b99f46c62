/**
 * A domain label over 63 characters through the real CLI (dist/cli.js): it used to pass
 * validation and then end `serve` with an unhandled rejection on the first round (also
 * after `POST /-/reload` had answered "Configuration reloaded"), and `check` with "internal
 * error". Now it is a configuration error naming file, line and column, everywhere.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LOOPBACK_RESOLV_CONF, runCli, startServer } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kms-cli-names-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LONG = `${'a'.repeat(64)}.example.test`;
const GOOD = 'interval: 1s\nresolvers: [127.0.0.1:9]\ndomains: [ok.example.test]\n';
const BAD = `interval: 1s\nresolvers: [127.0.0.1:9]\ndomains:\n  - ok.example.test\n  - ${LONG}\n`;
const WHERE =
  /kms\.yml:5:5: domains\[1\]: invalid domain "a{64}\.example\.test": label "a{20}…" is 64 characters long/;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('a label over 63 characters at the command line', () => {
  it('serve refuses to start: exit 2 and the position, no stack trace', async () => {
    const config = file('kms.yml', BAD);
    const result = await runCli([
      'serve',
      `--config.file=${config}`,
      `--dns.resolv-conf=${LOOPBACK_RESOLV_CONF}`,
      '--web.listen-address=127.0.0.1:0',
    ]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, WHERE);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });

  it('check reports the configuration error, not "internal error"', async () => {
    const config = file('kms.yml', BAD);
    const result = await runCli([
      'check',
      `--config.file=${config}`,
      `--dns.resolv-conf=${LOOPBACK_RESOLV_CONF}`,
    ]);
    assert.notEqual(result.code, 0);
    assert.match(result.stdout + result.stderr, WHERE);
    assert.doesNotMatch(result.stdout + result.stderr, /internal error/i);
  });

  it('a reload with the bad name is refused and serve keeps running the old one', async () => {
    const config = file('kms.yml', GOOD);
    const server = await startServer('serve', [`--config.file=${config}`]);
    try {
      writeFileSync(config, BAD);
      const reload = await fetch(`${server.url}/-/reload`, { method: 'POST' });
      assert.equal(reload.status, 500);
      assert.match(await reload.text(), WHERE);
      // Two more rounds at 1 s: the old configuration keeps running.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.equal(server.child.exitCode, null, `serve exited:\n${server.logs()}`);
      assert.equal((await fetch(`${server.url}/-/healthy`)).status, 200);
    } finally {
      assert.equal(await server.stop(), 0, server.logs());
    }
  });
});
