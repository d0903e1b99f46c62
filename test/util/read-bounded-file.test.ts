// The one bounded file reader: regular files of bounded size only, every refusal named,
// nothing read from devices, no hang on a FIFO without a writer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FileReadError,
  readBoundedFile,
  readBoundedTextFile,
} from '../../src/util/read-bounded-file.js';

const dir = mkdtempSync(join(tmpdir(), 'kms-read-'));

async function problemOf(
  path: string,
  max?: number,
): Promise<{ problem: string; message: string }> {
  try {
    await readBoundedFile(path, 'test file', max);
  } catch (err) {
    assert.ok(err instanceof FileReadError, String(err));
    assert.ok(err.message.startsWith(`test file ${path} `), err.message);
    return { problem: err.problem, message: err.message };
  }
  assert.fail(`${path} was read`);
}

describe('readBoundedFile', () => {
  it('reads a regular file whole, exactly at the limit too', async () => {
    const path = join(dir, 'ok.yml');
    writeFileSync(path, 'domains: [a.test]\n');
    assert.equal(await readBoundedTextFile(path, 'test file'), 'domains: [a.test]\n');
    assert.equal((await readBoundedFile(path, 'test file', 18)).length, 18);
  });

  it('refuses a file over the limit without reading it', async () => {
    const path = join(dir, 'big');
    writeFileSync(path, Buffer.alloc(4097));
    assert.equal((await problemOf(path, 4096)).problem, 'too_large');
  });

  it('refuses devices, directories and FIFOs, and does not hang on a FIFO', async () => {
    assert.equal((await problemOf('/dev/zero')).problem, 'not_regular');
    assert.equal((await problemOf(dir)).problem, 'not_regular');
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const { problem, message } = await problemOf(fifo);
    assert.equal(problem, 'not_regular');
    assert.match(message, /FIFO/);
  });

  it('names a missing file', async () => {
    const { problem, message } = await problemOf(join(dir, 'missing.yml'));
    assert.equal(problem, 'not_found');
    assert.match(message, /does not exist/);
  });
});
