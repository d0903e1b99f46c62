/**
 * Node's module compile cache for the CLI (node:module enableCompileCache, Node ≥ 22.1): V8
 * keeps the compiled code of the CLI's bundle files on disk, so the next run skips
 * compiling them (~5–7 % of a one-shot `probe`'s or `check`'s CPU, docs/performance.md).
 *
 * Where: `$XDG_CACHE_HOME/kms-monitor/compile-cache`, else `~/.cache/kms-monitor/compile-cache`
 * (Node adds a directory per Node version). A directory of the user's own, not Node's
 * default under the shared /tmp: there another user could create the directory first and
 * hand this process compiled code. `NODE_COMPILE_CACHE=DIR` (Node's own variable) picks
 * another directory, `NODE_DISABLE_COMPILE_CACHE=1` turns the cache off.
 *
 * It never fails a command: a read-only or missing home, or a cache Node cannot write,
 * only means this run compiles as it would without the cache.
 */
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * kms-monitor's directory `name` in the user's cache (the compile cache, the parsed
 * configurations of ./cached-config.ts), or null when there is no home to keep it in.
 */
export function userCacheDirectory(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const xdg = env['XDG_CACHE_HOME'];
  // The XDG Base Directory specification: a relative XDG_CACHE_HOME is invalid and ignored.
  if (xdg && xdg.startsWith('/')) return join(xdg, 'kms-monitor', name);
  let home = env['HOME'];
  if (!home) {
    try {
      home = homedir(); // HOME unset: the passwd entry's
    } catch {
      return null;
    }
  }
  return home ? join(home, '.cache', 'kms-monitor', name) : null;
}

/** The compile cache's directory for this environment, or null without a home. */
export function compileCacheDirectory(env: NodeJS.ProcessEnv = process.env): string | null {
  return userCacheDirectory('compile-cache', env);
}

export function startCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  // Node has read NODE_COMPILE_CACHE itself at start-up; enableCompileCache would only
  // answer "already enabled".
  if (env['NODE_COMPILE_CACHE']) return;
  const directory = compileCacheDirectory(env);
  if (directory === null) return;
  try {
    enableCompileCache(directory); // reports failure in its result, which changes nothing here
  } catch {
    // Not expected from Node 22, but a cache is never worth a failed command.
  }
}
