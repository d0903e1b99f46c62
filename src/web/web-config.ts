/**
 * The web configuration file (`--web.config.file`) in the format of the Prometheus
 * exporter-toolkit: TLS for the listener and bcrypt-hashed basic-auth users.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SecureContextOptions } from 'node:tls';
import { z } from 'zod';
import { parseYamlAgainst, readYamlFile } from '../config/yaml-schema.js';
import { ConfigError } from '../config/errors.js';

const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
const TLS_VERSIONS = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
} as const;
type TlsVersionName = keyof typeof TLS_VERSIONS;
const tlsVersion = z.enum(Object.keys(TLS_VERSIONS) as [TlsVersionName, ...TlsVersionName[]]);

const BCRYPT = /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/;

export const webConfigSchema = z.strictObject({
  tls_server_config: z
    .strictObject({
      cert_file: z.string().min(1),
      key_file: z.string().min(1),
      client_auth_type: z.enum(CLIENT_AUTH_TYPES).default('NoClientCert'),
      client_ca_file: z.string().min(1).optional(),
      min_version: tlsVersion.default('TLS12'),
      max_version: tlsVersion.default('TLS13'),
    })
    .optional(),
  basic_auth_users: z
    .record(z.string().min(1), z.string().regex(BCRYPT, 'must be a bcrypt hash ($2y$…)'))
    .optional(),
});

export type WebConfigFile = z.output<typeof webConfigSchema>;

export interface TlsSettings {
  options: SecureContextOptions & {
    requestCert: boolean;
    rejectUnauthorized: boolean;
    minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
    maxVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  };
  /** Reject requests without a client certificate (RequireAnyClientCert). */
  requireClientCert: boolean;
}

export interface WebConfig {
  tls: TlsSettings | null;
  /** user name → bcrypt hash; empty means no authentication. */
  users: Map<string, string>;
}

export const NO_WEB_CONFIG: WebConfig = { tls: null, users: new Map() };

export async function loadWebConfig(file: string): Promise<WebConfig> {
  const parsed = parseYamlAgainst(webConfigSchema, await readYamlFile(file), file);
  const raw = parsed.value;
  const users = new Map(Object.entries(raw.basic_auth_users ?? {}));
  const tlsRaw = raw.tls_server_config;
  if (!tlsRaw) return { tls: null, users };
  // Relative paths are relative to the web config file, as in exporter-toolkit.
  const base = dirname(resolve(file));
  const read = async (key: string, path: string): Promise<Buffer> => {
    try {
      return await readFile(resolve(base, path));
    } catch (err) {
      throw parsed.errorAt(
        ['tls_server_config', key],
        `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  };
  const verify =
    tlsRaw.client_auth_type === 'VerifyClientCertIfGiven' ||
    tlsRaw.client_auth_type === 'RequireAndVerifyClientCert';
  if (verify && !tlsRaw.client_ca_file) {
    throw parsed.errorAt(
      ['tls_server_config', 'client_auth_type'],
      `${tlsRaw.client_auth_type} needs client_ca_file`,
    );
  }
  const cert = await read('cert_file', tlsRaw.cert_file);
  const key = await read('key_file', tlsRaw.key_file);
  const ca = tlsRaw.client_ca_file
    ? await read('client_ca_file', tlsRaw.client_ca_file)
    : undefined;
  const requestCert = tlsRaw.client_auth_type !== 'NoClientCert';
  return {
    users,
    tls: {
      options: {
        cert,
        key,
        ...(ca ? { ca } : {}),
        requestCert,
        rejectUnauthorized: tlsRaw.client_auth_type === 'RequireAndVerifyClientCert',
        minVersion: TLS_VERSIONS[tlsRaw.min_version],
        maxVersion: TLS_VERSIONS[tlsRaw.max_version],
      },
      requireClientCert:
        tlsRaw.client_auth_type === 'RequireAnyClientCert' ||
        tlsRaw.client_auth_type === 'RequireAndVerifyClientCert',
    },
  };
}

export { ConfigError };
