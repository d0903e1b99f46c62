/**
 * The demo's Active Directory-Based Activation forest (docs/adba.md): a real slapd on
 * loopback with the msSPP schema, a genuine-looking and a forged-looking activation object,
 * served over LDAPS with a throwaway self-signed certificate for 127.0.0.1 (made with the
 * openssl command line), and the reader's password in a file. When slapd (or openssl) is
 * not installed the demo runs without it and says how to enable it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FORGED_LOOKING_OBJECT, GENUINE_LOOKING_OBJECT } from './sample-objects.js';
import { slapdAvailable, startLabSlapd } from './slapd.js';

const run = promisify(execFile);

/** The `adba` entry of the demo configuration (YAML keys). */
export interface DemoAdbaForest {
  name: string;
  url: string;
  bind_dn: string;
  password_file: string;
  ca_file: string;
}

export type DemoAdba =
  | { enabled: true; forest: DemoAdbaForest; close(): Promise<void> }
  | { enabled: false; why: string };

export const DEMO_ADBA_FOREST = 'lab-forest';
export const ENABLE_DEMO_ADBA = 'apt-get install slapd ldap-utils';

/** A self-signed certificate for 127.0.0.1 (it is its own CA), valid for two days. */
async function selfSigned(dir: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, 'slapd-cert.pem');
  const key = join(dir, 'slapd-key.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  return { cert, key };
}

export async function startDemoAdba(): Promise<DemoAdba> {
  if (!slapdAvailable()) {
    return { enabled: false, why: `slapd is not installed (${ENABLE_DEMO_ADBA} enables it)` };
  }
  const dir = await mkdtemp(join(tmpdir(), 'kms-demo-adba-'));
  try {
    const { cert, key } = await selfSigned(dir);
    const slapd = await startLabSlapd({
      objects: [GENUINE_LOOKING_OBJECT, FORGED_LOOKING_OBJECT],
      tls: { certFile: cert, keyFile: key },
    });
    const reader = slapd.readers[0]!;
    const passwordFile = join(dir, 'adba-password');
    await writeFile(passwordFile, `${reader.password}\n`, { mode: 0o600 });
    return {
      enabled: true,
      forest: {
        name: DEMO_ADBA_FOREST,
        url: slapd.ldapsUrl!,
        bind_dn: reader.dn,
        password_file: passwordFile,
        ca_file: cert,
      },
      async close() {
        await slapd.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    return { enabled: false, why: `the lab slapd did not start: ${(err as Error).message}` };
  }
}

/** The `adba:` block appended to the demo's configuration YAML. */
export function demoAdbaYaml(forest: DemoAdbaForest): string {
  const entries = Object.entries(forest).map(
    ([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${JSON.stringify(v)}`,
  );
  return `adba:\n${entries.join('\n')}\n`;
}

/** What the demo's banner says about ADBA. */
export function demoAdbaBanner(adba: DemoAdba): string {
  return adba.enabled
    ? `ADBA: forest ${adba.forest.name} on a lab slapd at ${adba.forest.url} (msSPP schema; one genuine-looking and one forged-looking activation object).\n`
    : `ADBA: not in this demo: ${adba.why}.\n`;
}
