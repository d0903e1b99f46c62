/**
 * The shape every subcommand shares: its name, a one-line summary for the top-level
 * help, its full --help text, and a run function that returns the process exit code.
 * Commands write their own output; the entry point only dispatches and exits.
 */
import type { OptionSpec } from './parse.js';

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** The flags the parser accepts (besides --help), for the README test; serve does not say yet. */
  readonly options?: OptionSpec;
  run(argv: string[]): Promise<number>;
}

/** Exit codes shared by all subcommands. */
export const ExitCode = {
  ok: 0,
  /** Something the command checked is not fine (probe failed, domain did not answer). */
  failure: 1,
  /** The command line or the configuration is wrong; nothing was started. */
  usage: 2,
  /** Not implemented yet, or the state could not be determined (Nagios UNKNOWN). */
  unknown: 3,
} as const;
