/**
 * The frame of a one-shot command (discover, probe): the command line becomes a plan
 * before anything is sent — a wrong flag or file is one line on stderr and exit 2, --help
 * is the usage text and exit 0 — then the command runs once and reports its results as
 * text or, with --json, as the docs/design.md JSON array; exit 0 only when every result
 * succeeded, else 1. Output goes through a CommandIo, so a test captures it instead of
 * the process's streams.
 */
import { ExitCode, type Command } from './command.js';
import { UsageError } from './parse.js';
import { ConfigError } from '../config/errors.js';

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Default for --dns.resolv-conf (else the DNS layer's); tests point it at a loopback-only file. */
  resolvConfPath?: string;
}

export const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * A Command that plans from argv, then runs the plan. `plan` throws UsageError or
 * ConfigError for bad input (any other error is a bug and propagates) and returns an
 * object, so it cannot be mistaken for an exit code.
 */
export function oneShotCommand<Plan extends object>(
  spec: Omit<Command, 'run'>,
  io: CommandIo,
  plan: (argv: string[]) => Promise<Plan | 'help'>,
  run: (plan: Plan) => Promise<number>,
): Command {
  return {
    ...spec,
    async run(argv) {
      let settings: Plan | 'help';
      try {
        settings = await plan(argv);
      } catch (error) {
        if (!(error instanceof UsageError || error instanceof ConfigError)) throw error;
        io.stderr(`kms-monitor ${spec.name}: ${error.message}\n`);
        return ExitCode.usage;
      }
      if (settings === 'help') {
        io.stdout(`${spec.usage}\n`);
        return ExitCode.ok;
      }
      return run(settings);
    },
  };
}

/** Prints the results (JSON with --json, else `text()`) and gives the exit code they call for. */
export function reportResults<Result extends { success: boolean }>(
  io: CommandIo,
  results: readonly Result[],
  options: { json: boolean; toJson: (result: Result) => unknown; text: () => string },
): number {
  io.stdout(
    options.json ? `${JSON.stringify(results.map(options.toJson), null, 2)}\n` : options.text(),
  );
  return results.every((r) => r.success) ? ExitCode.ok : ExitCode.failure;
}
