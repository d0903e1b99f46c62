/**
 * The web configuration file (`--web.config.file`) in the format of the Prometheus
 * exporter-toolkit (docs/web-configuration.md there): TLS for the listener, bcrypt basic
 * auth users and extra response headers. A file that validates here works: every
 * certificate, key and hash is checked at load, and a value Node cannot honour is refused
 * with the key, line and reason, never accepted and then ignored.
 */
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { parseYamlAgainst, readYamlFile, type ParsedYaml } from '../config/yaml-schema.js';
import { ConfigError } from '../config/errors.js';
import { bcryptCost } from './basic-auth.js';
import {
  TLS_VERSIONS,
  cipherString,
  curveProblem,
  ecdhCurveString,
  suiteProblem,
  suitesForKey,
  versionProblem,
  type TlsVersionName,
} from './tls-policy.js';
import {
  TlsMaterialError,
  checkKeyPair,
  keyKind,
  readCertificates,
  readPrivateKey,
} from './tls-material.js';

export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

/** Headers exporter-toolkit lets the file set, with the values allowed where it fixes them. */
const EXTRA_HEADERS: Record<string, readonly string[] | null> = {
  'Strict-Transport-Security': null,
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': null,
  'Content-Security-Policy': null,
};
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
/** Above this cost every uncached login takes a noticeable time (about 0.3 s at 12). */
const SLOW_BCRYPT_COST = 12;

const checked = (problem: (value: string) => string | null) =>
  z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

const bcryptHash = z.string().superRefine((hash, ctx) => {
  if (hash.startsWith('$2x$')) {
    ctx.addIssue({
      code: 'custom',
      message:
        '$2x$ hashes (crypt_blowfish\'s buggy variant) are not supported; make a new one with htpasswd -nBC 10 ""',
    });
  } else if (!BCRYPT.test(hash)) {
    ctx.addIssue({ code: 'custom', message: 'must be a bcrypt hash ($2y$…)' });
  } else {
    const cost = bcryptCost(hash);
    if (cost < 4 || cost > 31) {
      ctx.addIssue({
        code: 'custom',
        message: `bcrypt cost ${cost} is out of range; valid costs are 4 to 31`,
      });
    }
  }
});

export const webConfigSchema = z.strictObject({
  tls_server_config: z
    .strictObject({
      cert_file: z.string().min(1),
      key_file: z.string().min(1),
      client_auth_type: z.enum(CLIENT_AUTH_TYPES).default('NoClientCert'),
      client_ca_file: z.string().min(1).optional(),
      min_version: checked(versionProblem).default('TLS12'),
      max_version: checked(versionProblem).default('TLS13'),
      cipher_suites: z.array(checked(suiteProblem)).optional(),
      prefer_server_cipher_suites: z.boolean().default(true),
      curve_preferences: z.array(checked(curveProblem)).optional(),
    })
    .optional(),
  http_server_config: z
    .strictObject({
      http2: z
        .boolean()
        .refine((on) => !on, {
          message:
            'HTTP/2 is not supported: kms-monitor serves HTTP/1.1; set http2: false or remove the key',
        })
        .optional(),
      headers: z
        .record(z.string(), z.string())
        .superRefine((headers, ctx) => {
          for (const [name, value] of Object.entries(headers)) {
            const allowed = EXTRA_HEADERS[name];
            if (allowed === undefined) {
              ctx.addIssue({
                code: 'custom',
                path: [name],
                message: `HTTP header ${JSON.stringify(name)} can not be configured; allowed: ${Object.keys(EXTRA_HEADERS).join(', ')}`,
              });
            } else if (!HEADER_VALUE.test(value)) {
              ctx.addIssue({
                code: 'custom',
                path: [name],
                message: 'the value must be printable ASCII on one line',
              });
            } else if (allowed && value !== '' && !allowed.includes(value)) {
              ctx.addIssue({
                code: 'custom',
                path: [name],
                message: `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
              });
            }
          }
        })
        .optional(),
    })
    .optional(),
  basic_auth_users: z
    .record(z.string().min(1), bcryptHash)
    .superRefine((users, ctx) => {
      for (const user of Object.keys(users)) {
        if (user.includes(':')) {
          ctx.addIssue({
            code: 'custom',
            path: [user],
            message: 'a user name cannot contain ":" (basic auth splits user and password there)',
          });
        }
      }
    })
    .optional(),
});

export type WebConfigFile = z.output<typeof webConfigSchema>;

type TlsVersion = (typeof TLS_VERSIONS)[TlsVersionName];

export interface TlsSettings {
  /** For https.createServer and server.setSecureContext alike. */
  options: SecureContextOptions & {
    requestCert: boolean;
    rejectUnauthorized: boolean;
    minVersion: TlsVersion;
    maxVersion: TlsVersion;
  };
  clientAuth: ClientAuthType;
  /** Reject connections without a client certificate (RequireAnyClientCert). */
  requireClientCert: boolean;
}

export interface WebConfig {
  tls: TlsSettings | null;
  /** user name → bcrypt hash; empty means no authentication. */
  users: Map<string, string>;
  /** Extra response headers from http_server_config.headers (blank ones left out). */
  headers?: Record<string, string>;
  /** Things that work but deserve a line in the log (a slow bcrypt cost, an expired certificate). */
  warnings?: string[];
}

export const NO_WEB_CONFIG: WebConfig = { tls: null, users: new Map(), headers: {}, warnings: [] };

export async function loadWebConfig(file: string): Promise<WebConfig> {
  const parsed = parseYamlAgainst(
    webConfigSchema,
    await readYamlFile(file, 'web configuration file'),
    file,
  );
  const raw = parsed.value;
  const warnings: string[] = [];
  const users = new Map(Object.entries(raw.basic_auth_users ?? {}));
  for (const [user, hash] of users) {
    const cost = bcryptCost(hash);
    if (cost > SLOW_BCRYPT_COST) {
      warnings.push(
        `basic_auth_users.${user}: bcrypt cost ${cost} makes every uncached login take about ${(0.065 * 2 ** (cost - 10)).toFixed(1)} s; 10 to 12 is usual`,
      );
    }
  }
  const headers = Object.fromEntries(
    Object.entries(raw.http_server_config?.headers ?? {}).filter(([, v]) => v !== ''),
  );
  const tls = raw.tls_server_config
    ? await loadTls(raw.tls_server_config, parsed, dirname(resolve(file)), warnings)
    : null;
  return { tls, users, headers, warnings };
}

type TlsFile = NonNullable<WebConfigFile['tls_server_config']>;

async function loadTls(
  raw: TlsFile,
  parsed: ParsedYaml<WebConfigFile>,
  base: string,
  warnings: string[],
): Promise<TlsSettings> {
  const at = (key: string, message: string) => parsed.errorAt(['tls_server_config', key], message);
  const min = raw.min_version as TlsVersionName;
  const max = raw.max_version as TlsVersionName;
  const order = Object.keys(TLS_VERSIONS);
  if (order.indexOf(min) > order.indexOf(max)) {
    throw at('min_version', `${min} is above max_version ${max}: no TLS version is left`);
  }
  const verify =
    raw.client_auth_type === 'VerifyClientCertIfGiven' ||
    raw.client_auth_type === 'RequireAndVerifyClientCert';
  if (verify && !raw.client_ca_file) {
    throw at('client_auth_type', `${raw.client_auth_type} needs client_ca_file`);
  }
  if (raw.client_ca_file && raw.client_auth_type === 'NoClientCert') {
    throw at(
      'client_ca_file',
      'a client CA is configured but client_auth_type is NoClientCert; set client_auth_type (RequireAndVerifyClientCert) or remove client_ca_file',
    );
  }
  // Relative paths are relative to the web config file, as in exporter-toolkit.
  const load = async <T>(key: string, path: string, fn: (p: string) => Promise<T>): Promise<T> => {
    try {
      return await fn(resolve(base, path));
    } catch (err) {
      if (err instanceof TlsMaterialError) throw at(key, err.message);
      throw err;
    }
  };
  const certPath = resolve(base, raw.cert_file);
  const keyPath = resolve(base, raw.key_file);
  const cert = await load('cert_file', raw.cert_file, readCertificates);
  const key = await load('key_file', raw.key_file, readPrivateKey);
  const leaf = cert.certificates[0]!;
  try {
    checkKeyPair(leaf, key.key, certPath, keyPath);
  } catch (err) {
    throw at('key_file', (err as Error).message);
  }
  const ca = raw.client_ca_file
    ? await load('client_ca_file', raw.client_ca_file, readCertificates)
    : undefined;

  const kind = keyKind(leaf);
  if (max === 'TLS12' && kind !== 'other' && suitesForKey(raw.cipher_suites, kind).length === 0) {
    throw at(
      'cipher_suites',
      `no suite listed can be used with the ${kind.toUpperCase()} key of ${certPath}, and max_version TLS12 leaves no TLS 1.3: every handshake would fail`,
    );
  }
  if (Date.parse(leaf.validTo) < Date.now()) {
    warnings.push(
      `tls_server_config.cert_file: the certificate in ${certPath} expired on ${leaf.validTo}`,
    );
  }

  const ecdhCurve = ecdhCurveString(raw.curve_preferences);
  const options: TlsSettings['options'] = {
    cert: cert.pem,
    key: key.pem,
    ...(ca ? { ca: ca.pem } : {}),
    // Verification of a given certificate happens in OpenSSL only with
    // RequireAndVerifyClientCert; VerifyClientCertIfGiven is checked after the
    // handshake (client-certificates.ts), before any HTTP byte is read.
    requestCert: raw.client_auth_type !== 'NoClientCert',
    rejectUnauthorized: raw.client_auth_type === 'RequireAndVerifyClientCert',
    minVersion: TLS_VERSIONS[min],
    maxVersion: TLS_VERSIONS[max],
    ciphers: cipherString(raw.cipher_suites),
    honorCipherOrder: raw.prefer_server_cipher_suites,
    ...(ecdhCurve ? { ecdhCurve } : {}),
  };
  try {
    // The same call the listener makes: whatever OpenSSL still refuses is found now.
    createSecureContext(options);
  } catch (err) {
    throw parsed.errorAt(
      ['tls_server_config'],
      `OpenSSL cannot use this TLS configuration (${(err as Error).message.split('\n')[0]})`,
    );
  }
  return {
    options,
    clientAuth: raw.client_auth_type,
    requireClientCert:
      raw.client_auth_type === 'RequireAnyClientCert' ||
      raw.client_auth_type === 'RequireAndVerifyClientCert',
  };
}

export { ConfigError };
