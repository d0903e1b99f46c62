// Every command presents the configured client identity: a KMS host counts each CMID once,
// so `check`, `coverage` and `serve` sharing a CMID count the monitor as one client. The
// coverage command used the default CMID, whatever `identity.cmid` said, so each run of it
// next to a configured monitor counted one client more than there are.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabKmsHost, type LabKmsHost } from '../../src/lab/index.js';
import { LOOPBACK_RESOLV_CONF, runCli } from '../helpers/cli.js';

const CMID = '5f1b1d5c-2b6e-4c1a-9d3e-7a8b9c0d1e2f';

describe('the configured identity', { timeout: 120_000 }, () => {
  let host: LabKmsHost;
  let dir: string;
  let config: string;

  before(async () => {
    host = await startLabKmsHost({ counts: { windows: 30 } });
    dir = mkdtempSync(join(tmpdir(), 'kms-identity-'));
    config = join(dir, 'config.yml');
    writeFileSync(
      config,
      [
        `hosts: ['127.0.0.1:${host.port}']`,
        'resolvers: [127.0.0.1]',
        `identity: {cmid: '${CMID}', workstation: monitor-test}`,
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('check and coverage with one config count the monitor once on the host', async () => {
    const common = [
      ...['--config.file', config, '--product', 'lab-windows'],
      ...['--dns.resolv-conf', LOOPBACK_RESOLV_CONF],
    ];
    const check = await runCli(['check', ...common]);
    assert.equal(host.count('windows'), 31, `check: ${check.stdout}${check.stderr}`);
    const coverage = await runCli(['coverage', ...common, '--json']);
    assert.equal(coverage.code, 0, coverage.stderr);
    assert.equal(host.count('windows'), 31, 'coverage asked with the same CMID as check');
  });
});
