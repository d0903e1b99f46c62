/**
 * The bind password, fetched at the moment of binding and never kept: from a file (trailing
 * line breaks dropped, since editors and `echo` add one — Prometheus's *_file options do the
 * same) or from an environment variable. Errors name the file or variable, never the value.
 */
import { readBoundedTextFile } from '../util/read-bounded-file.js';
import type { PasswordSource } from './config.js';

/** Far above any real password; a larger file is a wrong path, not a password. */
const MAX_PASSWORD_FILE_BYTES = 4096;

export class PasswordUnavailableError extends Error {
  override readonly name = 'PasswordUnavailableError';
}

export async function fetchPassword(
  source: PasswordSource,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  let password: string;
  if ('file' in source) {
    try {
      password = await readBoundedTextFile(source.file, 'password_file', MAX_PASSWORD_FILE_BYTES);
    } catch (err) {
      throw new PasswordUnavailableError((err as Error).message, { cause: err });
    }
    password = password.replace(/[\r\n]+$/, '');
  } else {
    password = env[source.env] ?? '';
    if (password === '') {
      throw new PasswordUnavailableError(`environment variable ${source.env} is not set or empty`);
    }
  }
  // An empty password makes a simple bind anonymous (RFC 4513 §5.1.2): it would "succeed"
  // without proving anything, so it is refused here.
  if (password === '') {
    throw new PasswordUnavailableError(
      `password_file ${(source as { file: string }).file} holds no password`,
    );
  }
  return password;
}
