/**
 * A throwaway OpenLDAP server (Debian's slapd) on loopback that looks, to an LDAP client,
 * like the Configuration partition of an Active Directory forest: the msSPP schema
 * (deploy/openldap/msspp.schema), a RootDSE with configurationNamingContext, the Activation
 * Objects container and sample objects. Used by the integration tests and the demo. It runs
 * from a temporary directory (config, database, pid file), listens on 127.0.0.1 only
 * (docs/design.md principle 4), and stop() leaves nothing running or on disk.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../free-port.js';
import { labDirectoryLdif, type LabActivationObject, type LabReader } from './sample-objects.js';

export const SLAPD_BINARY = '/usr/sbin/slapd';
export const SLAPADD_BINARY = '/usr/sbin/slapadd';
const SYSTEM_SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';
/** Same depth from src/lab/adba/ and dist/lab/adba/: the package root's deploy/. */
export const MSSPP_SCHEMA_FILE = fileURLToPath(
  new URL('../../../deploy/openldap/msspp.schema', import.meta.url),
);

export function slapdAvailable(): boolean {
  return existsSync(SLAPD_BINARY) && existsSync(SLAPADD_BINARY);
}

export interface LabSlapdTls {
  certFile: string;
  keyFile: string;
}

export interface LabSlapdOptions {
  /** The forest root, `DC=corp,DC=test` unless given. */
  suffix?: string;
  objects?: readonly LabActivationObject[];
  /** Accounts that may bind and read (default: one, CN=kms-monitor,CN=Users,<suffix>). */
  readers?: readonly LabReader[];
  /** Serve ldaps:// and StartTLS with this certificate; without it, plain LDAP only. */
  tls?: LabSlapdTls;
  /** False: a RootDSE without configurationNamingContext, like a directory that is no DC. */
  configurationNamingContext?: boolean;
  /** Entries per answer (and per page); small values prove the client pages. */
  sizeLimit?: number;
  startTimeoutMs?: number;
}

export interface LabSlapd {
  suffix: string;
  configurationDn: string;
  /** `ldap://127.0.0.1:<port>` (StartTLS available when tls was given). */
  ldapUrl: string;
  /** `ldaps://127.0.0.1:<port>`, null without tls. */
  ldapsUrl: string | null;
  readers: readonly LabReader[];
  /** The directory manager, for tests that change objects. */
  rootDn: string;
  rootPassword: string;
  output(): string;
  stop(): Promise<void>;
}

function slapdConfig(
  dir: string,
  o: Required<Pick<LabSlapdOptions, 'suffix'>> & LabSlapdOptions,
  rootDn: string,
  rootPassword: string,
): string {
  const lines = [
    ...['core', 'cosine', 'inetorgperson'].map(
      (s) => `include ${join(SYSTEM_SCHEMA_DIR, `${s}.schema`)}`,
    ),
    `include ${MSSPP_SCHEMA_FILE}`,
    `modulepath ${MODULE_DIR}`,
    'moduleload back_mdb',
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
  ];
  if (o.configurationNamingContext !== false) lines.push(`rootDSE ${join(dir, 'rootdse.ldif')}`);
  if (o.tls !== undefined) {
    lines.push(`TLSCertificateFile ${o.tls.certFile}`, `TLSCertificateKeyFile ${o.tls.keyFile}`);
  }
  if (o.sizeLimit !== undefined) {
    const n = o.sizeLimit;
    lines.push(`sizelimit size.soft=${n} size.hard=${n} size.pr=${n} size.prtotal=unlimited`);
  }
  lines.push(
    'database mdb',
    `suffix "${o.suffix}"`,
    `rootdn "${rootDn}"`,
    `rootpw ${rootPassword}`,
    `directory ${join(dir, 'db')}`,
    'maxsize 16777216',
    // As in AD: the RootDSE and schema are public, everything else needs a bind.
    'access to dn.base="" by * read',
    'access to dn.base="cn=Subschema" by * read',
    'access to attrs=userPassword by anonymous auth by * none',
    'access to * by users read by anonymous auth',
  );
  return lines.join('\n') + '\n';
}

/** Resolves true once something accepts TCP on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startLabSlapd(options: LabSlapdOptions = {}): Promise<LabSlapd> {
  if (!slapdAvailable()) {
    throw new Error(`${SLAPD_BINARY} is not installed (apt-get install slapd ldap-utils)`);
  }
  const suffix = options.suffix ?? 'DC=corp,DC=test';
  const readers = options.readers ?? [
    { dn: `CN=kms-monitor,CN=Users,${suffix}`, password: randomBytes(12).toString('hex') },
  ];
  const rootDn = `CN=admin,${suffix}`;
  const rootPassword = randomBytes(12).toString('hex');
  const configurationDn = `CN=Configuration,${suffix}`;
  const dir = await mkdtemp(join(tmpdir(), 'kms-slapd-'));
  try {
    await mkdir(join(dir, 'db'));
    const conf = join(dir, 'slapd.conf');
    await writeFile(conf, slapdConfig(dir, { ...options, suffix }, rootDn, rootPassword));
    await writeFile(
      join(dir, 'rootdse.ldif'),
      `dn:\nconfigurationNamingContext: ${configurationDn}\n`,
    );
    const ldif = join(dir, 'data.ldif');
    await writeFile(ldif, labDirectoryLdif(suffix, readers, options.objects ?? []));
    const load = spawnSync(SLAPADD_BINARY, ['-q', '-f', conf, '-l', ldif], { encoding: 'utf8' });
    if (load.status !== 0) throw new Error(`slapadd failed: ${load.stderr || load.error?.message}`);

    let lastOutput = '';
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      const tlsPort = options.tls === undefined ? null : await freePort();
      const urls = [`ldap://127.0.0.1:${port}/`];
      if (tlsPort !== null) urls.push(`ldaps://127.0.0.1:${tlsPort}/`);
      // -d keeps slapd in the foreground (so it dies with its handle); 0: no debug output.
      const child = spawn(SLAPD_BINARY, ['-d', '0', '-f', conf, '-h', urls.join(' ')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', (err) => (output += `spawn error: ${err.message}\n`));

      const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
      let up = false;
      while (!up && Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
        up = (await accepts(port)) && (tlsPort === null || (await accepts(tlsPort)));
        if (!up) await new Promise((r) => setTimeout(r, 50));
      }
      if (up) {
        let stopped: Promise<void> | null = null;
        return {
          suffix,
          configurationDn,
          ldapUrl: `ldap://127.0.0.1:${port}`,
          ldapsUrl: tlsPort === null ? null : `ldaps://127.0.0.1:${tlsPort}`,
          readers,
          rootDn,
          rootPassword,
          output: () => output,
          stop() {
            stopped ??= (async () => {
              if (child.exitCode === null && child.signalCode === null) {
                child.kill('SIGTERM');
                const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
                await closed;
                clearTimeout(timer);
              }
              await rm(dir, { recursive: true, force: true });
            })();
            return stopped;
          },
        };
      }
      lastOutput = output;
      child.kill('SIGKILL');
      await closed;
    }
    throw new Error(`slapd did not start:\n${lastOutput}`);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
