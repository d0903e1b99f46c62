// The entry point loads a command only when it runs (src/cli.ts): its table's summaries
// must say what each command's own says, and the paths that need no configuration schema,
// metrics or web server must not load those libraries.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../../src/cli/command.js';
import { runCli, REPO } from '../helpers/cli.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const CLI = join(DIST, 'cli.js');
/** Written by scripts/bundle-cli.mjs: the source files inside each bundle file. */
const BUNDLE_INPUTS = join(DIST, 'cli-bundle-inputs.json');

/** The `  name  summary` lines of the top-level help. */
async function listedCommands(): Promise<Array<{ name: string; summary: string }>> {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  const block = help.stdout.split('Commands:\n')[1]?.split('\n\n')[0] ?? '';
  return block
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = /^ {2}(\S+)\s+(.+)$/.exec(l);
      assert.ok(m, `help line ${JSON.stringify(l)}`);
      return { name: m[1] ?? '', summary: m[2] ?? '' };
    });
}

/** The npm package a source path belongs to, or null for the project's own code. */
function packageOf(path: string): string | null {
  return /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? null;
}

/**
 * Runs the built CLI with `hook` imported first; the hook writes `TAG word word…` to stderr
 * at exit, and the words are returned.
 */
function reportOfRun(
  hook: string,
  tag: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const r = spawnSync(
    process.execPath,
    [`--import=data:text/javascript,${encodeURIComponent(hook)}`, CLI, ...args],
    { cwd: REPO, encoding: 'utf8', env },
  );
  const line = new RegExp(`^${tag} (.*)$`, 'm').exec(r.stderr);
  assert.ok(line, `the hook reported (stderr: ${r.stderr})`);
  return (line[1] ?? '').split(' ').filter(Boolean);
}

/**
 * The npm packages a run of the built CLI loads, from a module-loading hook: a package's
 * own files, or a bundle file (scripts/bundle-cli.mjs) that carries the package's code.
 */
function packagesLoaded(args: string[], env?: NodeJS.ProcessEnv): string[] {
  const hook = [
    "import { registerHooks } from 'node:module';",
    'const seen = new Set();',
    'registerHooks({ load(url, context, next) {',
    "  if (url.startsWith('file:')) seen.add(url); return next(url, context); } });",
    "process.on('exit', () => process.stderr.write(`LOADED ${[...seen].join(' ')}\\n`));",
  ].join('\n');
  const loadedUrls = reportOfRun(hook, 'LOADED', args, env);
  const bundled = JSON.parse(readFileSync(BUNDLE_INPUTS, 'utf8')) as Record<string, string[]>;
  const packages = new Set<string>();
  for (const url of loadedUrls) {
    const file = fileURLToPath(url);
    const inputs = bundled[relative(DIST, file)] ?? [file];
    for (const input of inputs) {
      const name = packageOf(input);
      if (name) packages.add(name);
    }
  }
  return [...packages];
}

const HEAVY = ['zod', 'yaml', 'prom-client', 'fastify', 'pino'];

/** The Node built-in modules a run of the built CLI loaded, beyond those Node itself has. */
function builtinsLoaded(args: string[]): string[] {
  const hook = [
    'const before = new Set(process.moduleLoadList);',
    "process.on('exit', () => process.stderr.write(`BUILTINS ${process.moduleLoadList",
    "  .filter((m) => !before.has(m) && m.startsWith('NativeModule '))",
    "  .map((m) => m.slice('NativeModule '.length)).join(' ')}\\n`));",
  ].join('\n');
  return reportOfRun(hook, 'BUILTINS', args);
}

describe('lazy command loading', () => {
  it('lists every command with the summary its own module gives', async () => {
    const listed = await listedCommands();
    assert.ok(listed.length >= 5, 'the help lists the commands');
    for (const { name, summary } of listed) {
      const module = (await import(`../../src/commands/${name}.js`)) as Record<string, unknown>;
      const command = Object.values(module).find(
        (v): v is Command => typeof v === 'object' && v !== null && (v as Command).name === name,
      );
      assert.ok(command, `src/commands/${name}.ts exports the ${name} command`);
      assert.equal(summary, command.summary, `the summary of ${name}`);
    }
  });

  it('--version, --help and probe --help load no schema, metrics, web or log library', () => {
    for (const args of [['--version'], ['--help'], ['probe', '--help']]) {
      const loaded = packagesLoaded(args);
      assert.deepEqual(
        loaded.filter((p) => HEAVY.includes(p)),
        [],
        `kms-monitor ${args.join(' ')} loaded ${loaded.join(', ')}`,
      );
    }
  });

  it('loads no built-in module that only an import facade would pull in', () => {
    // An ES module import of node:fs runs its `promises` getter (fs/promises, readline),
    // node:util's lazy exports the assert diff and worker_threads (scripts/bundle-cli.mjs).
    const unused = ['internal/fs/promises', 'internal/readline/interface', 'worker_threads'];
    const version = builtinsLoaded(['--version']);
    assert.deepEqual(
      unused.filter((m) => version.includes(m)),
      [],
      `--version loaded ${version.join(' ')}`,
    );
    const probe = builtinsLoaded(['probe', '--help']);
    for (const m of ['internal/assert/myers_diff', 'worker_threads']) {
      assert.ok(!probe.includes(m), `probe --help loaded ${m}`);
    }
    assert.ok(probe.includes('net'), 'the hook sees the built-ins a command does need');
  });

  it('a command still loads what it needs: check --help names its flags', async () => {
    const r = await runCli(['check', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--config\.file/);
    // The hook sees the libraries inside bundle files too, or the test above would prove nothing.
    const loaded = packagesLoaded(['check', '--help']);
    assert.ok(loaded.includes('pino'), `check loads pino (loaded: ${loaded.join(', ')})`);
    // The schema and YAML libraries come with the first parse of a configuration
    // (cli/cached-config.ts), the LDAP client with the first ADBA forest read
    // (adba/read-lazily.ts), not before.
    for (const name of ['zod', 'yaml', 'ldapts']) {
      assert.ok(!loaded.includes(name), `check --help loaded ${name} (${loaded.join(', ')})`);
    }
  });

  it("no bundle file carries fastify's schema compilers, which serve never runs", () => {
    // src/web/server.ts gives fastify compilers of its own; bundled, ajv and
    // fast-json-stringify's compiler were ~0.4 MB of the web chunk's source on serve's heap.
    const bundled = JSON.parse(readFileSync(BUNDLE_INPUTS, 'utf8')) as Record<string, string[]>;
    const compilers = Object.values(bundled)
      .flat()
      .filter((input) => /node_modules\/(ajv|@fastify\/ajv-compiler|fast-uri)\//.test(input));
    assert.deepEqual(compilers, []);
    assert.ok(
      Object.values(bundled)
        .flat()
        .some((input) => /node_modules\/fastify\//.test(input)),
      'the inputs list names the bundled packages',
    );
  });

  it('check parses a configuration once: a cached one loads neither zod nor yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kms-lazy-config-'));
    try {
      const file = join(dir, 'kms.yml');
      // A static host on loopback where nothing listens: the round is over at once.
      writeFileSync(file, 'hosts: ["127.0.0.1:1"]\ntimeout: 1s\n');
      const env = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') };
      const args = ['check', '--config.file', file];
      const first = packagesLoaded(args, env);
      for (const name of ['zod', 'yaml']) {
        assert.ok(
          first.includes(name),
          `the first check parses with ${name} (${first.join(', ')})`,
        );
      }
      const second = packagesLoaded(args, env);
      assert.ok(second.includes('pino'), `the hook sees the second run (${second.join(', ')})`);
      for (const name of ['zod', 'yaml']) {
        assert.ok(!second.includes(name), `the second check loaded ${name} (${second.join(', ')})`);
      }
      writeFileSync(file, 'hosts: ["127.0.0.1:1"]\ntimeout: 2s\n');
      assert.ok(packagesLoaded(args, env).includes('zod'), 'an edited file is parsed again');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
