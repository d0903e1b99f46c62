/**
 * One forest the ADBA collector reads: the typed form and its validation. The YAML layer
 * turns `timeout: 5s` into milliseconds before calling validateAdbaForest (durations have one
 * parser, the configuration's), so `timeout` here is a number of milliseconds.
 *
 * The password is never part of the configuration: it comes from a file or an environment
 * variable, read at every round (so a rotated password is picked up without a restart).
 */

export interface AdbaForestInput {
  name?: unknown;
  url?: unknown;
  bind_dn?: unknown;
  password_file?: unknown;
  password_env?: unknown;
  base?: unknown;
  ca_file?: unknown;
  start_tls?: unknown;
  timeout?: unknown;
}

export type PasswordSource = { file: string } | { env: string };

export interface AdbaForestConfig {
  /** Label of the forest in findings and metrics. */
  name: string;
  /** `ldaps://host[:port]` or `ldap://host[:port]` (then `startTls` is required). */
  url: string;
  bindDn: string;
  password: PasswordSource;
  /** The Configuration partition's DN; null: the RootDSE's configurationNamingContext. */
  base: string | null;
  /** PEM file of the CA(s) the server certificate must chain to; null: Node's CA store. */
  caFile: string | null;
  startTls: boolean;
  /** Each operation (connect, TLS, bind, each search) must finish within this. */
  timeoutMs: number;
}

export const DEFAULT_ADBA_TIMEOUT_MS = 5_000;
export const MIN_ADBA_TIMEOUT_MS = 100;
export const MAX_ADBA_TIMEOUT_MS = 120_000;

/** The keys of one `adba` entry. */
export const ADBA_FOREST_KEYS: readonly string[] = [
  'name',
  'url',
  'bind_dn',
  'password_file',
  'password_env',
  'base',
  'ca_file',
  'start_tls',
  'timeout',
];
const KEYS = new Set(ADBA_FOREST_KEYS);
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const CONTROL = /[\u0000-\u001f\u007f]/;

export class AdbaConfigError extends Error {
  override readonly name = 'AdbaConfigError';
  constructor(
    readonly where: string,
    readonly problems: readonly string[],
  ) {
    super(`${where}: ${problems.join('; ')}`);
  }
}

function text(value: unknown, key: string, problems: string[], max = 1024): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0) {
    problems.push(`${key} must be a non-empty string`);
    return null;
  }
  if (value.length > max || CONTROL.test(value)) {
    problems.push(`${key} must be at most ${max} characters, without control characters`);
    return null;
  }
  return value;
}

function checkUrl(url: string, startTls: boolean, problems: string[]): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.push(`url ${JSON.stringify(url)} is not a URL; expected ldaps://host[:port]`);
    return;
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (scheme !== 'ldap' && scheme !== 'ldaps') {
    problems.push(`url must start with ldaps:// or ldap://, got ${JSON.stringify(url)}`);
    return;
  }
  if (parsed.hostname === '') problems.push('url names no host');
  if (parsed.username !== '' || parsed.password !== '') {
    problems.push('url must not carry credentials; use bind_dn and password_file or password_env');
  }
  if ((parsed.pathname !== '' && parsed.pathname !== '/') || parsed.search !== '') {
    problems.push('url takes only scheme, host and port; put the DN in base');
  }
  if (scheme === 'ldaps' && startTls) {
    problems.push('start_tls is for ldap:// URLs; ldaps:// is TLS from the first byte');
  }
  if (scheme === 'ldap' && !startTls) {
    problems.push(
      'ldap:// without start_tls would send the bind password in clear text; ' +
        'use ldaps:// or set start_tls: true',
    );
  }
}

/** Validates one `adba` entry; `where` names it in errors (e.g. `adba[0]`). */
export function validateAdbaForest(input: unknown, where = 'adba'): AdbaForestConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AdbaConfigError(where, ['must be a mapping with name, url, bind_dn, password_file']);
  }
  const entry = input as Record<string, unknown> & AdbaForestInput;
  const problems: string[] = [];
  for (const key of Object.keys(entry)) {
    if (!KEYS.has(key)) problems.push(`unknown key ${JSON.stringify(key)}`);
  }
  if ('password' in entry) {
    problems.push(
      'a password is never written in the configuration: use password_file or password_env',
    );
  }

  const name = text(entry.name, 'name', problems, 63);
  if (name === null && entry.name === undefined) problems.push('name is required');
  else if (name !== null && !NAME.test(name)) {
    problems.push(
      'name: letters, digits, dots, dashes and underscores, starting with a letter or digit',
    );
  }
  const startTls = entry.start_tls ?? false;
  if (typeof startTls !== 'boolean') problems.push('start_tls must be true or false');
  const url = text(entry.url, 'url', problems);
  if (url === null && entry.url === undefined) problems.push('url is required');
  if (url !== null) checkUrl(url, startTls === true, problems);
  const bindDn = text(entry.bind_dn, 'bind_dn', problems);
  if (bindDn === null && entry.bind_dn === undefined) problems.push('bind_dn is required');

  const file = text(entry.password_file, 'password_file', problems, 4096);
  const env = text(entry.password_env, 'password_env', problems, 256);
  if (env !== null && !ENV_NAME.test(env)) {
    problems.push('password_env must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*)');
  }
  if (entry.password_file !== undefined && entry.password_env !== undefined) {
    problems.push('give password_file or password_env, not both');
  } else if (entry.password_file === undefined && entry.password_env === undefined) {
    problems.push('password_file or password_env is required');
  }

  const base = text(entry.base, 'base', problems, 4096);
  const caFile = text(entry.ca_file, 'ca_file', problems, 4096);
  const timeout = entry.timeout ?? DEFAULT_ADBA_TIMEOUT_MS;
  if (
    typeof timeout !== 'number' ||
    !Number.isInteger(timeout) ||
    timeout < MIN_ADBA_TIMEOUT_MS ||
    timeout > MAX_ADBA_TIMEOUT_MS
  ) {
    problems.push(
      `timeout must be ${MIN_ADBA_TIMEOUT_MS} ms to ${MAX_ADBA_TIMEOUT_MS} ms, got ${JSON.stringify(timeout)}`,
    );
  }

  if (problems.length > 0) throw new AdbaConfigError(where, problems);
  return {
    name: name as string,
    url: url as string,
    bindDn: bindDn as string,
    password: file !== null ? { file } : { env: env as string },
    base,
    caFile,
    startTls: startTls as boolean,
    timeoutMs: timeout as number,
  };
}
