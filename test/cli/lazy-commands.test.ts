// The entry point loads a command only when it runs (src/cli.ts): its table's summaries
// must say what each command's own says, and the paths that need no configuration schema,
// metrics or web server must not load those libraries.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from '../../src/cli/command.js';
import { runCli, REPO } from '../helpers/cli.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

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

/** The npm packages a run of the built CLI loads, from a module-loading hook. */
function packagesLoaded(args: string[]): string[] {
  const hook = [
    "import { registerHooks } from 'node:module';",
    'const seen = new Set();',
    'registerHooks({ load(url, context, next) {',
    '  const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(url); if (m) seen.add(m[1]);',
    '  return next(url, context); } });',
    "process.on('exit', () => process.stderr.write(`LOADED ${[...seen].join(',')}\\n`));",
  ].join('\n');
  const r = spawnSync(
    process.execPath,
    [`--import=data:text/javascript,${encodeURIComponent(hook)}`, CLI, ...args],
    { cwd: REPO, encoding: 'utf8' },
  );
  const line = /^LOADED (.*)$/m.exec(r.stderr);
  assert.ok(line, `the hook reported (stderr: ${r.stderr})`);
  return (line[1] ?? '').split(',').filter(Boolean);
}

const HEAVY = ['zod', 'yaml', 'prom-client', 'fastify', 'pino'];

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

  it('a command still loads what it needs: check --help names its flags', async () => {
    const r = await runCli(['check', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--config\.file/);
  });
});
