/**
 * The configuration file goes through the bounded reader: `--config.file /dev/zero` read
 * 613 MB before failing and a FIFO without a writer hung the start. Now both are refused
 * at once, as is a file over 1 MiB, each as a ConfigError naming the file.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfigFile } from '../../src/config/load.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kms-config-read-'));
});
after(() => rm(dir, { recursive: true, force: true }));

function configError(pattern: RegExp) {
  return (err: unknown) => err instanceof ConfigError && pattern.test(err.message);
}

describe('reading the configuration file', () => {
  it('a FIFO with no writer is refused at once, not waited on', { timeout: 5000 }, async () => {
    const fifo = join(dir, 'kms.fifo');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(
      loadConfigFile(fifo),
      configError(/kms\.fifo: cannot read file: is a FIFO$/),
    );
  });

  it('/dev/zero is refused without reading it', { timeout: 5000 }, async () => {
    const before = process.memoryUsage().rss;
    await assert.rejects(
      loadConfigFile('/dev/zero'),
      configError(/^\/dev\/zero: cannot read file: is not a regular file$/),
    );
    assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'memory grew');
  });

  it('a file over 1 MiB is refused; one under it loads', async () => {
    const big = join(dir, 'big.yml');
    await writeFile(big, `# ${'x'.repeat(1024 * 1024)}\ninterval: 30s\n`);
    await assert.rejects(
      loadConfigFile(big),
      configError(/big\.yml: cannot read file: is \d+ bytes; the limit is 1048576$/),
    );
    const small = join(dir, 'small.yml');
    await writeFile(small, `# ${'x'.repeat(1000)}\ninterval: 45s\n`);
    assert.equal((await loadConfigFile(small)).interval, 45_000);
  });

  it('a directory is named as one', async () => {
    await assert.rejects(loadConfigFile(dir), configError(/cannot read file: is a directory$/));
  });
});
