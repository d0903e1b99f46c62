// A one-shot command's configuration is parsed once per file content and build, then read
// from the user's cache (src/cli/cached-config.ts): what a hit returns is what the loader
// returned, an edit or another build parses again, and a damaged cache is only a miss.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildKey,
  loadConfigCached,
  MAX_ENTRIES,
  ParsedConfigCache,
  parsedConfigCache,
} from '../../src/cli/cached-config.js';
import { ConfigError } from '../../src/config/errors.js';
import { defaultConfig, loadConfigFile } from '../../src/config/load.js';
import { REPO } from '../helpers/cli.js';

const EXAMPLE = join(REPO, 'deploy', 'kms-monitor.example.yml');
const BUILD = 'file:///opt/kms-monitor/dist/cli-chunk-ABCDEFGH.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'kms-config-cache-'));
}

describe('the parsed configuration cache', () => {
  it('holds its premise: the loader returns plain JSON data', async () => {
    for (const config of [await loadConfigFile(EXAMPLE), defaultConfig()]) {
      assert.deepEqual(JSON.parse(JSON.stringify(config)), config);
    }
  });

  it('returns what the loader returned, from the cache on the second load', async () => {
    const dir = scratch();
    try {
      const cache = new ParsedConfigCache(join(dir, 'config'), BUILD);
      const first = await loadConfigCached(EXAMPLE, cache);
      assert.deepEqual(first, await loadConfigFile(EXAMPLE));
      const entry = readdirSync(join(dir, 'config'))[0] ?? '';
      assert.ok(entry.endsWith('.json'), 'one entry written');
      const file = join(dir, 'config', entry);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'config')).mode & 0o777, 0o700);
      // The second load reads the entry: a marker planted in it comes back.
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { key: string; config: object };
      writeFileSync(file, JSON.stringify({ ...stored, config: { ...stored.config, marker: 1 } }));
      assert.equal(((await loadConfigCached(EXAMPLE, cache)) as { marker?: number }).marker, 1);
      // The defaults (no file) are an entry of their own.
      assert.deepEqual(await loadConfigCached(undefined, cache), defaultConfig());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses again for edited text or another build, and after a damaged entry', async () => {
    const dir = scratch();
    try {
      const file = join(dir, 'kms.yml');
      writeFileSync(file, 'timeout: 3s\n');
      const cache = new ParsedConfigCache(join(dir, 'config'), BUILD);
      assert.equal((await loadConfigCached(file, cache)).timeout, 3000);
      writeFileSync(file, 'timeout: 4s\n');
      assert.equal((await loadConfigCached(file, cache)).timeout, 4000);
      const other = new ParsedConfigCache(join(dir, 'config'), `${BUILD}?other`);
      assert.equal(other.get('timeout: 4s\n'), undefined, 'another build misses');
      for (const entry of readdirSync(join(dir, 'config'))) {
        writeFileSync(join(dir, 'config', entry), '{"key": "not this one", "config": {}}');
      }
      assert.equal(cache.get('timeout: 4s\n'), undefined, 'an entry naming another key misses');
      for (const entry of readdirSync(join(dir, 'config'))) {
        writeFileSync(join(dir, 'config', entry), '{"key": "');
      }
      assert.equal((await loadConfigCached(file, cache)).timeout, 4000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps no invalid configuration: its error is reported on every load', async () => {
    const dir = scratch();
    try {
      const file = join(dir, 'kms.yml');
      writeFileSync(file, 'timeout: soon\n');
      const cache = new ParsedConfigCache(join(dir, 'config'), BUILD);
      for (let i = 0; i < 2; i++) {
        await assert.rejects(loadConfigCached(file, cache), (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.match(err.message, /timeout/);
          return true;
        });
      }
      assert.throws(() => readdirSync(join(dir, 'config')), /ENOENT/, 'nothing written');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a cache it cannot write changes nothing', async () => {
    const dir = scratch();
    try {
      writeFileSync(join(dir, 'config'), 'a file where the directory would be');
      const cache = new ParsedConfigCache(join(dir, 'config'), BUILD);
      assert.deepEqual(await loadConfigCached(EXAMPLE, cache), await loadConfigFile(EXAMPLE));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the most recently written MAX_ENTRIES entries', async () => {
    const dir = scratch();
    try {
      const cache = new ParsedConfigCache(join(dir, 'config'), BUILD);
      const config = defaultConfig();
      for (let i = 0; i < MAX_ENTRIES + 3; i++) cache.set(`# ${i}\n`, config);
      assert.equal(readdirSync(join(dir, 'config')).length, MAX_ENTRIES);
      assert.deepEqual(cache.get(`# ${MAX_ENTRIES + 2}\n`), config, 'the newest is kept');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is on only in a bundle chunk, in the user cache, unless turned off', () => {
    assert.equal(buildKey('file:///repo/src/cli/cached-config.ts'), null);
    assert.equal(buildKey('file:///repo/dist/cli/cached-config.js'), null);
    assert.equal(buildKey(BUILD), BUILD);
    assert.equal(parsedConfigCache({ HOME: '/home/u' }, null), null);
    assert.equal(
      parsedConfigCache({ HOME: '/home/u', KMS_MONITOR_CONFIG_CACHE: '0' }, BUILD),
      null,
    );
    assert.ok(parsedConfigCache({ XDG_CACHE_HOME: '/c' }, BUILD) instanceof ParsedConfigCache);
  });
});
