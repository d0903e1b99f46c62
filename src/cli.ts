#!/usr/bin/env node
/**
 * kms-monitor's entry point: picks the subcommand, runs it, exits with its code. Usage
 * and configuration errors exit 2 with one line on stderr (`check` handles its own and
 * says UNKNOWN, exit 3, as a Nagios plugin must).
 */
import type { Command } from './cli/command.js';
import { ExitCode } from './cli/command.js';
import { UsageError } from './cli/parse.js';
import { didYouMean } from './cli/suggest.js';
import { ConfigError } from './config/errors.js';
import { VERSION } from './version.js';
import { serveCommand } from './commands/serve.js';
import { checkCommand } from './commands/check.js';
import { demoCommand } from './commands/demo.js';
import { discoverCommand } from './commands/discover.js';
import { probeCommand } from './commands/probe.js';
import { coverageCommand } from './commands/coverage.js';

const commands: Command[] = [
  serveCommand,
  discoverCommand,
  probeCommand,
  coverageCommand,
  checkCommand,
  demoCommand,
];

function topUsage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
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
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const hint = didYouMean(
      name,
      commands.map((c) => c.name),
    );
    process.stderr.write(
      `kms-monitor: unknown command ${JSON.stringify(name)}${hint}\n\n${topUsage()}`,
    );
    return ExitCode.usage;
  }
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
