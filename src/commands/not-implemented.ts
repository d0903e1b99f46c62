/** Placeholder for subcommands whose issues have not landed yet: says so, exit code 3. */
import { ExitCode, type Command } from '../cli/command.js';

export function notImplemented(name: string, summary: string, usage: string): Command {
  return {
    name,
    summary,
    usage,
    async run() {
      process.stderr.write(`kms-monitor ${name}: not implemented yet\n`);
      return ExitCode.unknown;
    },
  };
}
