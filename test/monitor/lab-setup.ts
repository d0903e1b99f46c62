/**
 * Test-only wiring of a small lab for the monitor: a zone server and lab KMS hosts on
 * 127.0.0.1, and a configuration file pointing `serve`/`check` at them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { labProductConfigs } from '../../src/lab/index.js';

export const TEST_CMID = '6a1f2c3d-4b5e-4f60-8a7b-9c0d1e2f3a4b';

export function labProducts(slugs: string[]) {
  return labProductConfigs().filter((p) => slugs.includes(p.slug));
}

/** Writes a configuration file and returns its path. */
export function writeConfig(config: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kms-e2e-'));
  const file = join(dir, 'kms.yml');
  writeFileSync(
    file,
    stringify({
      identity: { cmid: TEST_CMID, workstation: 'kms-monitor-test' },
      timeout: '2s',
      ...config,
    }),
  );
  return file;
}

/** A resolv.conf naming one loopback resolver and search domains. */
export function writeResolvConf(resolver: string, search: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'kms-resolv-'));
  const file = join(dir, 'resolv.conf');
  writeFileSync(file, `nameserver ${resolver}\nsearch ${search.join(' ')}\n`);
  return file;
}
