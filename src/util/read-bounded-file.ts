/**
 * The one way kms-monitor reads an input file (configuration, web configuration, TLS
 * material, resolv.conf, password files): a regular file of bounded size, or a clear error
 * naming the file. A device (`/dev/zero`), a FIFO or a directory is refused before any byte
 * is read — opening with O_NONBLOCK keeps a FIFO with no writer from hanging the open — and
 * a file larger than the limit is refused instead of being read into memory.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export type FileReadProblem = 'not_found' | 'not_regular' | 'too_large' | 'unreadable';

export class FileReadError extends Error {
  override readonly name = 'FileReadError';
  constructor(
    readonly path: string,
    readonly problem: FileReadProblem,
    message: string,
  ) {
    super(message);
  }
}

/** 1 MiB: far above any configuration, certificate or resolv.conf kms-monitor reads. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

function describeOpenError(path: string, what: string, err: unknown): FileReadError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new FileReadError(path, 'not_found', `${what} ${path} does not exist`);
  const detail = code === 'EACCES' ? 'permission denied' : (code ?? String(err));
  return new FileReadError(path, 'unreadable', `${what} ${path} cannot be read: ${detail}`);
}

/**
 * Reads `path` whole. `what` names the file for the admin ("configuration file",
 * "web.config.file cert_file"); every error message starts with it and the path.
 */
export async function readBoundedFile(
  path: string,
  what: string,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw describeOpenError(path, what, err);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      const kind = stat.isDirectory()
        ? 'a directory'
        : stat.isFIFO()
          ? 'a FIFO'
          : 'not a regular file';
      throw new FileReadError(path, 'not_regular', `${what} ${path} is ${kind}`);
    }
    if (stat.size > maxBytes) {
      throw new FileReadError(
        path,
        'too_large',
        `${what} ${path} is ${stat.size} bytes; the limit is ${maxBytes}`,
      );
    }
    // Read one byte past the limit: a file that grew after fstat is still refused.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > maxBytes) {
        throw new FileReadError(
          path,
          'too_large',
          `${what} ${path} is larger than the limit of ${maxBytes} bytes`,
        );
      }
      if (filled === buffer.length) break;
    }
    return buffer.subarray(0, filled);
  } catch (err) {
    if (err instanceof FileReadError) throw err;
    throw describeOpenError(path, what, err);
  } finally {
    await handle.close();
  }
}

/** readBoundedFile as UTF-8 text. */
export async function readBoundedTextFile(
  path: string,
  what: string,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<string> {
  return (await readBoundedFile(path, what, maxBytes)).toString('utf8');
}
