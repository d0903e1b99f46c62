// The README's "Commands" section is true to the code, both ways: for every command, the
// flags its parser accepts, the flags its --help lists, the flags the synopsis shows and
// the flags the README's tables describe are one and the same set; and the JSON field
// lists the README gives for probe, discover and check are the fields the code writes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../../src/cli/command.js';
import { flagNames } from '../../src/cli/parse.js';
import { checkCommand } from '../../src/commands/check.js';
import { coverageCommand } from '../../src/commands/coverage.js';
import { demoCommand } from '../../src/commands/demo.js';
import { discoverCommand, resultToJson } from '../../src/commands/discover.js';
import { probeCommand, probeResultToJson } from '../../src/commands/probe.js';
import { serveCommand } from '../../src/commands/serve.js';
import { REPO } from '../helpers/cli.js';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const COMMANDS: Command[] = [
  serveCommand,
  checkCommand,
  discoverCommand,
  probeCommand,
  coverageCommand,
  demoCommand,
];
const FLAG = /--[a-z][a-z0-9.-]*[a-z0-9]/g;

function section(text: string, heading: RegExp): string {
  const start = text.search(heading);
  assert.ok(start >= 0, `README has ${heading}`);
  const level = /^#+/.exec(text.slice(start))![0].length;
  const body = text.indexOf('\n', start) + 1;
  const end = text.slice(body).search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? text.slice(start) : text.slice(start, body + end);
}

const commandsSection = section(README, /^## Commands$/m);
/** The part before the first subsection: synopsis and the shared target flags table. */
const intro = commandsSection.slice(0, commandsSection.search(/^### /m));

const sorted = (set: Iterable<string>) => [...new Set(set)].sort();

/** Flags in the first column of every Markdown table of `text`, with their rows. */
function tableFlags(text: string): Array<{ flag: string; row: string }> {
  return text
    .split('\n')
    .filter((l) => /^\| `--/.test(l))
    .flatMap((row) => (row.split('|')[1]?.match(FLAG) ?? []).map((flag) => ({ flag, row })));
}

/** The synopsis lines of one command: its `kms-monitor NAME` line and the indented ones after. */
function synopsisFlags(name: string): string[] {
  const block = /```\n(kms-monitor [\s\S]*?)```/.exec(intro)?.[1] ?? '';
  const lines = block.split('\n');
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (line.startsWith('kms-monitor ')) inside = line.startsWith(`kms-monitor ${name} `);
    if (inside) out.push(...(line.match(FLAG) ?? []));
  }
  return sorted(out);
}

/** Flags the --help text lists: lines starting with two spaces and the flag (or -h, --help). */
function helpFlags(command: Command): string[] {
  return sorted(
    command.usage
      .split('\n')
      .map((l) => /^ {2}(?:-h, )?(--[a-z][a-z0-9.-]*)/.exec(l)?.[1])
      .filter((f): f is string => f !== undefined && f !== '--help'),
  );
}

/** What the parser takes, from the command's option spec (serve keeps its spec to itself). */
function parserFlags(command: Command): string[] | null {
  return command.options ? sorted(flagNames(command.options).filter((f) => f !== '--help')) : null;
}

/** Flags the README's tables describe for a command: its subsection, and the shared table. */
function documentedFlags(name: string): string[] {
  const own = tableFlags(section(commandsSection, new RegExp(`^### \`${name}\`$`, 'm')));
  const shared = ['serve', 'check', 'discover'].includes(name)
    ? tableFlags(intro).filter(
        ({ row }) => !(name === 'discover' && row.includes('(not `discover`)')),
      )
    : [];
  return sorted([...own, ...shared].map((f) => f.flag));
}

describe('README Commands: every flag documented, every documented flag real', () => {
  for (const command of COMMANDS) {
    it(`${command.name}: parser, --help, synopsis and tables list the same flags`, () => {
      const help = helpFlags(command);
      const parser = parserFlags(command);
      if (parser !== null) assert.deepEqual(help, parser, `${command.name}: --help vs parser`);
      assert.deepEqual(synopsisFlags(command.name), help, `${command.name}: synopsis vs --help`);
      assert.deepEqual(documentedFlags(command.name), help, `${command.name}: tables vs --help`);
    });
  }

  it('serve accepts every flag its --help lists (it keeps its option spec private)', async () => {
    // A flag serve did not know would be "unknown flag"; a known one fails on its value or
    // later. Values chosen to fail fast and safely (nothing listens, nothing is asked).
    const { runCli, LOOPBACK_RESOLV_CONF } = await import('../helpers/cli.js');
    for (const flag of helpFlags(serveCommand)) {
      const boolean = flag === '--web.unauthenticated-health';
      const run = await runCli([
        'serve',
        `--dns.resolv-conf=${LOOPBACK_RESOLV_CONF}`,
        '--log.level=loud',
        boolean ? flag : `${flag}=`,
      ]);
      assert.equal(run.code, 2, `${flag}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /unknown flag/, flag);
    }
  });
});

describe('README Commands: JSON field lists', () => {
  /** The `{a, b: {c} | null, ...}` list after a phrase, top-level keys only. */
  function fieldsAfter(text: string, phrase: string): string[] {
    const at = text.indexOf(phrase);
    assert.ok(at >= 0, phrase);
    const open = text.indexOf('`{', at);
    let depth = 0;
    let key = '';
    let expectKey = false;
    const keys: string[] = [];
    for (let i = open + 1; i < text.length; i++) {
      const c = text[i]!;
      if (expectKey && /[A-Za-z]/.test(c)) {
        key += c;
        continue;
      }
      if (key) keys.push(key);
      key = '';
      if (!/\s/.test(c)) expectKey = false;
      if (c === '{' || c === '[') {
        depth++;
        if (depth === 1) expectKey = true;
      } else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) break;
      } else if (c === ',' && depth === 1) expectKey = true;
    }
    return keys;
  }

  it('probe --json: every field the code writes, phases and timestamp included, in order', () => {
    const sample = probeResultToJson({
      host: 'h',
      port: 1688,
      address: null,
      product: 'p',
      success: false,
      protocol: null,
      epid: null,
      hwid: null,
      hostBuild: null,
      keyInstallDate: null,
      activeClients: null,
      threshold: 25,
      activationIntervalMinutes: null,
      renewalIntervalMinutes: null,
      durationSeconds: 0,
      phases: {},
      timestamp: '2026-01-01T00:00:00.000Z',
      error: null,
    });
    const probe = section(commandsSection, /^### `probe`$/m);
    assert.deepEqual(fieldsAfter(probe, 'prints one object per product'), Object.keys(sample));
  });

  it('discover --json: every field the code writes, in order', () => {
    const sample = resultToJson({
      domain: 'd',
      resolver: '127.0.0.1:53',
      success: true,
      rcode: 'NOERROR',
      ttl: 1,
      records: [],
      serviceUnavailable: false,
      truncatedRecords: 0,
      transport: 'udp',
      durationSeconds: 0,
      error: null,
      failedResolvers: [],
    });
    const discover = section(commandsSection, /^### `discover`$/m);
    assert.deepEqual(fieldsAfter(discover, '`--json` prints'), Object.keys(sample));
  });

  it('check --json: the top-level fields the command writes', () => {
    const check = section(commandsSection, /^### `check`$/m);
    const source = readFileSync(join(REPO, 'src/commands/check.ts'), 'utf8');
    const body =
      /const body = \{\n( {6}status: evaluation[\s\S]*?)\n {4}\};/.exec(source)?.[1] ?? '';
    const written = [...body.matchAll(/^ {6}([a-zA-Z]+)[,:]/gm)].map((m) => m[1]);
    assert.deepEqual(fieldsAfter(check, '`--json` prints'), written);
  });
});
