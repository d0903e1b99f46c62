/**
 * A YAML file's text, read without the YAML parser (./yaml-schema.ts parses it): a one-shot
 * command whose configuration is cached (src/cli/cached-config.ts) needs the text only.
 */
import { ConfigError } from './errors.js';
import {
  DEFAULT_MAX_FILE_BYTES,
  FileReadError,
  readBoundedTextFile,
} from '../util/read-bounded-file.js';

/**
 * Reads a YAML file through the bounded reader: a device (`/dev/zero`), a FIFO or a file
 * over `maxBytes` is refused before it is read, instead of filling memory or hanging.
 */
export async function readYamlFile(
  file: string,
  what = 'configuration file',
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<string> {
  try {
    return await readBoundedTextFile(file, what, maxBytes);
  } catch (err) {
    if (err instanceof FileReadError) {
      // The ConfigError names the file already; keep only what is wrong with it.
      const problem = err.message.startsWith(`${what} ${file} `)
        ? err.message.slice(`${what} ${file} `.length)
        : err.message;
      throw new ConfigError(`cannot read file: ${problem}`, '', file);
    }
    throw new ConfigError(`cannot read file: ${(err as Error).message}`, '', file);
  }
}
