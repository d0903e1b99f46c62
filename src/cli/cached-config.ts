/**
 * The configuration of a one-shot command, parsed once per file content and kept in the
 * user's cache: `check` runs every minute with the same file, and validating it cost
 * ~40 ms of CPU on each run, plus ~30 ms to load the YAML parser and the schema library
 * (zod) that only the validation needs (docs/performance.md, CLI start-up). On a hit
 * neither is loaded; the file is still read on every run, so an edit is seen at once.
 *
 * What is kept is exactly what the loader returned for that text: the loader reads
 * nothing but the text (no other file, no environment), and its result is plain JSON
 * data (test/cli/cached-config.test.ts holds the second). An entry is named by a SHA-256 of the
 * build and the text. The build is the URL of the bundle chunk this module is in, whose
 * name carries a hash of its content and so of the chunk of the schema it imports: a new
 * build never reads an older build's entries. Run unbundled (tsc's output, tsx), no URL
 * names the schema's content, so there is no cache and every run parses.
 *
 * Only a valid configuration is kept; an invalid one is parsed each time and its error
 * reported as before. A missing, unreadable or damaged entry only means a parse; a cache
 * that cannot be written changes nothing else. Entries are the user's own (0600 in a 0700
 * directory, next to Node's compile cache), written to a temporary name and renamed, so a
 * concurrent run never reads half an entry. KMS_MONITOR_CONFIG_CACHE=0 turns it off.
 */
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { readYamlFile } from '../config/read-yaml-text.js';
import { userCacheDirectory } from './compile-cache.js';

/**
 * Entries kept at most: one per configuration text, so a file rewritten often (a demo lab's,
 * with new ports each start) would otherwise leave one behind per version of it.
 */
export const MAX_ENTRIES = 32;

/** A bundle chunk's file name: the build step's prefix, a name and esbuild's content hash. */
const HASHED_CHUNK = /\/cli-[A-Za-z0-9_-]+-[A-Z0-9]{8}\.js$/;

/** What names this build's entries, or null when this module is not a hashed chunk. */
export function buildKey(moduleUrl: string = import.meta.url): string | null {
  return HASHED_CHUNK.test(moduleUrl) ? moduleUrl : null;
}

interface Entry {
  /** The entry's own key again: a file of another name copied here is not believed. */
  key: string;
  config: Config;
}

export class ParsedConfigCache {
  constructor(
    private readonly directory: string,
    private readonly build: string,
  ) {}

  private keyOf(text: string): string {
    return createHash('sha256').update(this.build).update('\0').update(text).digest('hex');
  }

  get(text: string): Config | undefined {
    const key = this.keyOf(text);
    try {
      const entry = JSON.parse(readFileSync(join(this.directory, `${key}.json`), 'utf8')) as Entry;
      return entry.key === key && typeof entry.config === 'object' && entry.config !== null
        ? entry.config
        : undefined;
    } catch {
      return undefined; // none yet, unreadable or damaged: parse
    }
  }

  set(text: string, config: Config): void {
    const key = this.keyOf(text);
    const file = join(this.directory, `${key}.json`);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.directory, { recursive: true, mode: 0o700 });
      writeFileSync(temporary, JSON.stringify({ key, config } satisfies Entry), { mode: 0o600 });
      renameSync(temporary, file);
      this.prune(`${key}.json`);
    } catch {
      // A cache is never worth a failed command: the next run parses again.
    }
  }

  /**
   * Drops the least recently written entries beyond MAX_ENTRIES (only after a parse), never
   * `written`, the one just written (entries written within one clock tick tie on age).
   */
  private prune(written: string): void {
    const entries = readdirSync(this.directory).filter((n) => n.endsWith('.json'));
    if (entries.length <= MAX_ENTRIES) return;
    const byAge = entries
      .filter((name) => name !== written)
      .map((name) => ({ name, mtime: statSync(join(this.directory, name)).mtimeMs }))
      .sort((a, b) => a.mtime - b.mtime);
    for (const { name } of byAge.slice(0, entries.length - MAX_ENTRIES)) {
      unlinkSync(join(this.directory, name));
    }
  }
}

/** The cache for this build and environment, or null when there is none. */
export function parsedConfigCache(
  env: NodeJS.ProcessEnv = process.env,
  build: string | null = buildKey(),
): ParsedConfigCache | null {
  if (build === null || env['KMS_MONITOR_CONFIG_CACHE'] === '0') return null;
  const directory = userCacheDirectory('config', env);
  return directory === null ? null : new ParsedConfigCache(directory, build);
}

/**
 * The configuration in `file` (the defaults without one), as the loader parses it, from
 * the cache when this build has parsed the same text before.
 */
export async function loadConfigCached(
  file: string | undefined,
  cache: ParsedConfigCache | null = parsedConfigCache(),
): Promise<Config> {
  const text = file === undefined ? '' : await readYamlFile(file);
  const hit = cache?.get(text);
  if (hit !== undefined) return hit;
  const { parseConfig } = await import('../config/load.js');
  const config = file === undefined ? parseConfig(text, '<defaults>') : parseConfig(text, file);
  cache?.set(text, config);
  return config;
}
