#!/usr/bin/env node
/**
 * kms-monitor's entry point: picks the subcommand, runs it, exits with its code. Usage
 * and configuration errors exit 2 with one line on stderr (`check` handles its own and
 * says UNKNOWN, exit 3, as a Nagios plugin must).
 */
import { startCompileCache } from './cli/compile-cache.js';
import type { Command } from './cli/command.js';
import { ExitCode } from './cli/command.js';
import { UsageError } from './cli/parse.js';
import { didYouMean } from './cli/suggest.js';
import { ConfigError } from './config/errors.js';
import { VERSION } from './version.js';

/**
 * The commands, each loaded only when it runs: a command's module pulls in what it needs
 * (the schema and YAML libraries, the metrics library, the web server), and `--version`,
 * `--help` or a one-shot probe must not pay for the others' (docs/performance.md, start-up).
 * The summary is here so the top-level help loads no command; a test checks it against
 * each command's own.
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'serve',
    summary: 'watch the configured domains and hosts and serve /metrics',
    load: () => import('./commands/serve.js').then((m) => m.serveCommand),
  },
  {
    name: 'discover',
    summary: 'resolve _vlmcs._tcp SRV records of domains, as a client would',
    load: () => import('./commands/discover.js').then((m) => m.discoverCommand),
  },
  {
    name: 'probe',
    summary: 'run a KMS exchange against one host and show its answer',
    load: () => import('./commands/probe.js').then((m) => m.probeCommand),
  },
  {
    name: 'coverage',
    summary: 'what each host can activate, why not, and the fix (the coverage matrix)',
    load: () => import('./commands/coverage.js').then((m) => m.coverageCommand),
  },
  {
    name: 'check',
    summary: 'one round over the configured targets, Nagios/Icinga plugin output',
    load: () => import('./commands/check.js').then((m) => m.checkCommand),
  },
  {
    name: 'demo',
    summary: 'start the built-in lab and watch it: every feature, nothing else installed',
    load: () => import('./commands/demo.js').then((m) => m.demoCommand),
  },
];

function topUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: kms-monitor COMMAND [flags]

Watches Microsoft KMS volume-activation hosts: finds them through _vlmcs._tcp SRV
records, probes them over the real KMS protocol, exports Prometheus metrics.

Commands:
${lines.join('\n')}

Run 'kms-monitor COMMAND --help' for a command's flags.
  -h, --help     show this help
  --version      print the version
`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topUsage());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`kms-monitor ${VERSION} (node ${process.versions.node})\n`);
    return ExitCode.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const hint = didYouMean(
      name,
      COMMANDS.map((c) => c.name),
    );
    process.stderr.write(
      `kms-monitor: unknown command ${JSON.stringify(name)}${hint}\n\n${topUsage()}`,
    );
    return ExitCode.usage;
  }
  // Before the command's modules load: they are what the cache saves compiling
  // (--version and the top-level help load none, so they skip it).
  startCompileCache();
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`kms-monitor ${name}: ${err.message}\n`);
      return ExitCode.usage;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`kms-monitor: internal error: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = ExitCode.unknown;
  },
);
