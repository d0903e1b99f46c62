// The CLI keeps Node's compile cache in the user's own cache directory (src/cli/compile-cache.ts),
// and a cache it cannot create never changes what a command prints or exits with.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileCacheDirectory } from '../../src/cli/compile-cache.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/**
 * `kms-monitor probe --help` with only the given cache-related variables set: it loads a
 * command's bundle files after the cache is on (--version loads none).
 */
function probeHelp(vars: Record<string, string>): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', ...vars };
  const r = spawnSync(process.execPath, [CLI, 'probe', '--help'], { env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The files Node wrote under a compile cache directory (one directory per Node version). */
function cachedFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describe('the compile cache', () => {
  const home = mkdtempSync(join(tmpdir(), 'kms-compile-cache-'));

  it('lives under XDG_CACHE_HOME, else ~/.cache; a relative XDG_CACHE_HOME is ignored', () => {
    assert.equal(
      compileCacheDirectory({ XDG_CACHE_HOME: '/var/cache/u', HOME: '/home/u' }),
      '/var/cache/u/kms-monitor/compile-cache',
    );
    assert.equal(
      compileCacheDirectory({ XDG_CACHE_HOME: 'rel', HOME: '/home/u' }),
      '/home/u/.cache/kms-monitor/compile-cache',
    );
  });

  it('is written to the home directory by a run of the CLI', () => {
    const r = probeHelp({ HOME: home });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(
      cachedFiles(join(home, '.cache', 'kms-monitor', 'compile-cache')).length > 0,
      'Node wrote compiled code for the CLI',
    );
  });

  it('is left alone with NODE_DISABLE_COMPILE_CACHE=1', () => {
    const xdg = join(home, 'disabled');
    const r = probeHelp({ HOME: home, XDG_CACHE_HOME: xdg, NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(cachedFiles(xdg), []);
  });

  it('that cannot be created changes neither the output nor the exit code', () => {
    // A regular file where the cache directory's parent should be: mkdir fails even for root.
    const blocker = join(home, 'not-a-directory');
    writeFileSync(blocker, '');
    const plain = probeHelp({ HOME: home, NODE_DISABLE_COMPILE_CACHE: '1' });
    const blocked = probeHelp({ HOME: home, XDG_CACHE_HOME: blocker });
    assert.equal(blocked.status, 0);
    assert.equal(blocked.stdout, plain.stdout);
    assert.equal(blocked.stderr, '');
    rmSync(home, { recursive: true, force: true });
  });
});
