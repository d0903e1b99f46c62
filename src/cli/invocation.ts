/**
 * How the user can run kms-monitor again from where they are, for commands the program
 * prints (the demo's "Try:" lines). A bare `kms-monitor` works only when that name on PATH
 * is this very program (a global install); from a clone it is `npx kms-monitor` (npx
 * runs the package's own bin) and a script started by path is shown by its path.
 */
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative } from 'node:path';

export interface Invocation {
  /** PATH as the user's shell has it. */
  path: string | undefined;
  /** process.argv[1]: the script node runs. */
  script: string | undefined;
  /** npm sets npm_command=exec for `npx` and `npm exec`. */
  npmCommand: string | undefined;
  cwd: string;
}

function currentInvocation(): Invocation {
  return {
    path: process.env.PATH,
    script: process.argv[1],
    npmCommand: process.env.npm_command,
    cwd: process.cwd(),
  };
}

function real(file: string): string | null {
  try {
    return realpathSync(file);
  } catch {
    return null;
  }
}

/** The `kms-monitor` PATH would run, resolved through its symlinks, or null. */
function onPath(path: string | undefined): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, 'kms-monitor');
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    return real(candidate);
  }
  return null;
}

/** `kms-monitor`, `npx kms-monitor` or `node <script>`: a command prefix that works here. */
export function commandPrefix(invocation: Invocation = currentInvocation()): string {
  const script = invocation.script === undefined ? null : real(invocation.script);
  if (script !== null && onPath(invocation.path) === script) return 'kms-monitor';
  if (invocation.npmCommand === 'exec') return 'npx kms-monitor';
  if (script === null) return 'npx kms-monitor';
  const shown = relative(invocation.cwd, script);
  const path = shown.startsWith('..') || isAbsolute(shown) ? script : shown;
  return `node ${/\s/.test(path) ? JSON.stringify(path) : path}`;
}
