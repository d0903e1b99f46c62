// The npm package as a user gets it: `npm pack`, `npm install -g` into an empty prefix, and
// the installed `kms-monitor` runs --version, the demo (until /-/ready) and a probe of a lab
// KMS host. Dependencies come from npm's cache where `npm ci` left them (--prefer-offline).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startLabKmsHost } from '../../src/lab/index.js';
import type { LabKmsHost } from '../../src/lab/index.js';
import { REPO } from '../helpers/cli.js';
import { eventually } from '../helpers/metrics.js';

const run = promisify(execFile);
const VERSION = (
  JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }
).version;
// The installed bin starts with `#!/usr/bin/env node`: it must find the Node running the tests.
const ENV = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };

describe('the npm package, installed globally into a clean prefix', () => {
  let work: string;
  let bin: string;
  let installed: string;
  let lab: LabKmsHost;

  before(async () => {
    assert.ok(existsSync(join(REPO, 'dist', 'cli.js')), 'dist/ is built (npm test builds it)');
    work = mkdtempSync(join(tmpdir(), 'kms-pack-'));
    // The tarball is made from the dist/ that `npm test` has just built; prepare would build it again.
    const { stdout } = await run(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', work],
      { cwd: REPO, env: ENV },
    );
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    const prefix = join(work, 'prefix');
    await run(
      'npm',
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        join(work, packed!.filename),
      ],
      { cwd: work, env: ENV, timeout: 240_000 },
    );
    bin = join(prefix, 'bin', 'kms-monitor');
    installed = join(prefix, 'lib', 'node_modules', 'kms-monitor');
    lab = await startLabKmsHost();
  });

  after(async () => {
    await lab?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('holds the program, the dashboards and the deploy files, and no tests or sources', () => {
    for (const file of [
      'dist/cli.js',
      'dashboards/kms-monitor.json',
      'deploy/prometheus/alerting-rules.yml',
      'deploy/systemd/kms-monitor.service',
      'deploy/kms-monitor.example.yml',
      'docs/alerts.md',
      'README.md',
      'LICENSE',
    ])
      assert.ok(existsSync(join(installed, file)), `${file} is in the package`);
    for (const absent of ['test', 'src', 'bench', '.ci'])
      assert.ok(!existsSync(join(installed, absent)), `${absent}/ is not in the package`);
  });

  it('kms-monitor --version prints the package version', async () => {
    const { stdout } = await run(bin, ['--version'], { env: ENV });
    assert.match(stdout, new RegExp(`\\b${VERSION.replaceAll('.', '\\.')}\\b`));
  });

  it('kms-monitor probe answers from a lab KMS host', async () => {
    const { stdout } = await run(
      bin,
      ['probe', `127.0.0.1:${lab.port}`, '--product', 'lab-windows', '--json'],
      { env: ENV, timeout: 30_000 },
    );
    const [result] = JSON.parse(stdout) as { success: boolean; product: string; error: unknown }[];
    assert.equal(result?.product, 'lab-windows');
    assert.equal(result?.success, true, JSON.stringify(result));
  });

  it('kms-monitor demo starts and becomes ready', async () => {
    const demo = spawn(bin, ['demo', '--web.listen-address=127.0.0.1:0', '--log.format=json'], {
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    demo.stderr.on('data', (d: Buffer) => (logs += d.toString()));
    demo.stdout.resume();
    const exited = new Promise<number | null>((resolve) => demo.on('close', resolve));
    try {
      const url = await eventually('the demo listens', async () => {
        const line = logs.split('\n').find((l) => l.includes('"msg":"listening"'));
        return line ? (JSON.parse(line) as { address: string }).address : undefined;
      });
      await eventually('the demo is ready', async () =>
        (await fetch(`${url}/-/ready`)).status === 200 ? true : undefined,
      );
      const page = await fetch(`${url}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /kms-lab\.test/);
    } finally {
      demo.kill('SIGTERM');
    }
    assert.equal(await exited, 0, logs);
  });
});
