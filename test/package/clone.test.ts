// A clone is the whole product: the committed repository, cloned into an empty temporary
// directory with nothing beside it, installs with `npm ci` and passes its vector-based tests.
// It also holds no reference to a folder outside itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from '../helpers/cli.js';

const run = promisify(execFile);
// The Node running these tests runs the clone's, and NODE_TEST_CONTEXT is dropped: with it,
// the clone's test runner would report to this one in its binary protocol instead of text.
const { NODE_TEST_CONTEXT: _parentRunner, ...inherited } = process.env;
const ENV = { ...inherited, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };

describe('a fresh clone with no sibling folders', () => {
  let parent: string;
  let clone: string;

  before(async () => {
    parent = mkdtempSync(join(tmpdir(), 'kms-clone-'));
    clone = join(parent, 'kms-monitor');
    await run('git', ['clone', '--quiet', REPO, clone], { env: ENV });
  });

  after(() => rmSync(parent, { recursive: true, force: true }));

  it('is alone in its parent directory', () => {
    assert.deepEqual(readdirSync(parent), ['kms-monitor']);
  });

  it('names no folder outside the repository in any tracked file', async () => {
    // git grep exits 1 when nothing matches; the pattern is split so this file does not match it.
    const outside = ['..', 'shared'].join('/');
    const found = await run('git', ['grep', '-n', '-F', outside], { cwd: clone }).then(
      (r) => r.stdout,
      (err: { code?: number; stdout?: string }) => (err.code === 1 ? '' : String(err.stdout)),
    );
    assert.equal(found, '');
  });

  it('installs with npm ci and passes the tests that read test/vectors/', async () => {
    await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: clone,
      env: ENV,
      timeout: 300_000,
    });
    const { stdout } = await run(
      'npm',
      [
        'test',
        '--',
        'test/kms/messages/captures',
        'test/lab/vlmcsd-replay',
        'test/kms/crypto/primitives',
      ],
      { cwd: clone, env: ENV, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 },
    );
    const pass = /^ℹ pass (\d+)$/m.exec(stdout);
    const fail = /^ℹ fail (\d+)$/m.exec(stdout);
    assert.ok(pass && Number(pass[1]) > 50, `the vector tests ran: ${pass?.[0]}`);
    assert.equal(fail?.[1], '0');
  });
});
