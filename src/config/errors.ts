/** A configuration problem, pointing at the key and, when known, the file and line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly keyPath: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    const where = file ? `${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: ` : '';
    super(`${where}${keyPath ? `${keyPath}: ` : ''}${message}`);
  }
}
