// `kms-monitor probe` against the real lab KMS host on 127.0.0.1: the human report shows
// what the lab was configured with, --json follows the docs/design.md contract, exit codes are
// 0 (all answered), 1 (any failed), 2 (usage). Most cases run the command in-process (fast);
// the last ones spawn the built CLI as an admin runs it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProbeCommand } from '../../src/commands/probe.js';
import { defaultProductSlugs } from '../../src/kms/products/index.js';
import { startLabKmsHost } from '../../src/lab/index.js';
import type { LabKmsHost } from '../../src/lab/index.js';
import { runCli } from '../helpers/cli.js';

const EPID = '03612-00206-551-123456-03-1033-17763.0000-2972018';
const OFFICE_EPID = '06401-00206-438-004532-03-1033-9600.0000-2922017';
const HWID = '364F463A8863D35F';

/** The docs/design.md `probe --json` object: these keys, in this order. */
const CONTRACT_KEYS = [
  'host',
  'port',
  'address',
  'product',
  'success',
  'protocol',
  'epid',
  'hwid',
  'hostBuild',
  'keyInstallDate',
  'activeClients',
  'threshold',
  'activationIntervalMinutes',
  'renewalIntervalMinutes',
  'durationSeconds',
  'error',
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function probe(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const command = createProbeCommand({
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  });
  const code = await command.run(args);
  return { code, stdout, stderr };
}

type JsonResult = Record<string, unknown> & { error: Record<string, unknown> | null };

function parseJson(run: Run): JsonResult[] {
  const value: unknown = JSON.parse(run.stdout);
  assert.ok(Array.isArray(value));
  return value as JsonResult[];
}

describe('kms-monitor probe', () => {
  let host: LabKmsHost;
  let address: string;

  before(async () => {
    host = await startLabKmsHost({
      epid: { windows: EPID, 'office-2013+': OFFICE_EPID },
      hwid: HWID,
      activationIntervalMinutes: 45,
      renewalIntervalMinutes: 2880,
      counts: { windows: 30, 'office-2013+': 3 },
      refuse: ['lab-office-2010'],
    });
    address = `127.0.0.1:${host.port}`;
  });
  after(() => host.close());

  it('prints the configured values for v4, v5 and v6 products, exit 0', async () => {
    const run = await probe([
      address,
      '--product=lab-windows',
      '--product=lab-windows-v5',
      '--product=lab-windows-v4',
      '--product=lab-office',
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const out = run.stdout;
    assert.match(out, new RegExp(`^KMS host 127\\.0\\.0\\.1:${host.port}\\n`));
    for (const [slug, version] of [
      ['lab-windows', '6.0'],
      ['lab-windows-v5', '5.0'],
      ['lab-windows-v4', '4.0'],
      ['lab-office', '6.0'],
    ] as const) {
      assert.match(
        out,
        new RegExp(`^${slug} \\(.*\\): OK, protocol ${version.replace('.', '\\.')}, `, 'm'),
      );
    }
    assert.equal(out.split(`ePID       ${EPID}`).length - 1, 3);
    assert.match(out, /host OS Windows Server 2019 \/ Windows 10 1809 \(build 17763\), LCID 1033/);
    assert.match(out, /host key Windows Server 2019 installed 2018-10-24/);
    assert.match(out, /ePID {7}06401-00206-438-004532-03-1033-9600\.0000-2922017/);
    assert.match(out, /host key Office 2016 installed 2017-10-19/);
    assert.equal(out.split(`HWID       ${HWID}`).length - 1, 2, 'v6 answers only');
    assert.match(out, /Count {6}31 \/ 25 — activating \(includes this monitor\)/);
    assert.match(
      out,
      /Count {6}4 \/ 5 — below threshold: clients get 0xC004F038 until 1 more machine asks/,
    );
    assert.match(out, /Intervals {2}activation 45 min \(45 minutes\), renewal 2880 min \(2 days\)/);
    assert.match(out, /4 of 4 product\(s\) answered\.\n$/);
  });

  it('--json prints the docs/design.md array exactly', async () => {
    const run = await probe([
      address,
      '--product',
      'lab-windows',
      '--product',
      'lab-windows-v4',
      '--product',
      'lab-office-2010',
      '--json',
    ]);
    assert.equal(run.code, 1, 'one product is refused');
    const results = parseJson(run);
    assert.equal(results.length, 3);
    for (const r of results) {
      assert.deepEqual(Object.keys(r).slice(0, CONTRACT_KEYS.length), CONTRACT_KEYS);
      assert.equal(r.host, '127.0.0.1');
      assert.equal(r.port, host.port);
      assert.equal(typeof r.durationSeconds, 'number');
      assert.match(String(r.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const [v6, v4, refused] = results;
    // One connection carried the three requests; the group is the lab's, picked at random.
    const associations = results.map((r) => r.association as Record<string, unknown>);
    assert.deepEqual(
      associations.map((a) => [a.connection, a.answered, a.reopened, typeof a.group]),
      [
        [1, 1, false, 'number'],
        [1, 2, false, 'number'],
        [1, 3, false, 'number'],
      ],
    );
    assert.equal(new Set(associations.map((a) => a.group)).size, 1);
    assert.deepEqual(
      { ...v6, durationSeconds: 0, phases: null, timestamp: null, association: null },
      {
        host: '127.0.0.1',
        port: host.port,
        address: '127.0.0.1',
        product: 'lab-windows',
        success: true,
        protocol: 6,
        epid: EPID,
        hwid: HWID,
        hostBuild: 17763,
        keyInstallDate: '2018-10-24',
        activeClients: 31,
        threshold: 25,
        activationIntervalMinutes: 45,
        renewalIntervalMinutes: 2880,
        durationSeconds: 0,
        error: null,
        phases: null,
        timestamp: null,
        association: null,
      },
    );
    assert.match(String(v6?.hwid), /^[0-9A-F]{16}$/);
    assert.equal(v4?.protocol, 4);
    assert.equal(v4?.hwid, null);
    assert.equal(refused?.success, false);
    assert.equal(refused?.activeClients, null);
    assert.equal(refused?.threshold, 5);
    assert.deepEqual(Object.keys(refused?.error ?? {}), ['reason', 'code', 'message']);
    assert.equal(refused?.error?.reason, 'kms_error');
    assert.equal(refused?.error?.code, '0xC004F042');
  });

  it('a refused product: reason, HRESULT, Microsoft meaning and the fix; exit 1', async () => {
    const run = await probe([address, '--product=lab-office-2010', '--product=lab-windows']);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /lab-office-2010 \(.*\): FAILED, protocol 4\.0/);
    assert.match(run.stdout, /Reason {5}kms_error 0xC004F042/);
    assert.match(run.stdout, /HRESULT {4}0xC004F042 SL_E_VL_KEY_MANAGEMENT_SERVICE_ID_MISMATCH/);
    assert.match(run.stdout, /Meaning {4}The KMS host cannot activate this product/);
    assert.match(run.stdout, /Fix {8}Install a CSVLK/);
    assert.match(run.stdout, /1 of 2 product\(s\) answered/);
  });

  it('the default products are real ones, which the lab refuses (principle 4)', async () => {
    const run = await probe([address, '--json']);
    assert.equal(run.code, 1);
    const results = parseJson(run);
    assert.deepEqual(
      results.map((r) => r.product),
      [...defaultProductSlugs],
    );
    assert.deepEqual(new Set(results.map((r) => r.error?.code)), new Set(['0xC004F042']));
  });

  it('after 0x8007000D says which version the host answered', async () => {
    await host.configure({ protocols: [4, 5] });
    try {
      const run = await probe([address, '--product=lab-windows']);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /OK, protocol 5\.0 \(host answered 0x8007000D to 6\.0\)/);
      const forced = await probe([address, '--product=lab-windows', '--protocol=6', '--json']);
      assert.equal(forced.code, 1);
      assert.equal(parseJson(forced)[0]?.error?.code, '0x8007000D');
    } finally {
      await host.configure({ protocols: [4, 5, 6] });
    }
  });

  it('--protocol forces the version; --cmid is what the host counts', async () => {
    const forced = parseJson(
      await probe([address, '--product=lab-windows', '--protocol=4', '--json']),
    );
    assert.deepEqual([forced[0]?.protocol, forced[0]?.hwid, forced[0]?.success], [4, null, true]);
    const before = host.count('windows');
    const cmid = '{6F1A2B3C-4D5E-4F60-8172-839405A6B7C8}';
    for (let i = 0; i < 3; i++) {
      assert.equal(
        (
          await probe([
            address,
            '--product=lab-windows',
            `--cmid=${cmid}`,
            '--workstation=probe-test',
          ])
        ).code,
        0,
      );
    }
    assert.equal(host.count('windows'), before + 1, 'one new CMID, counted once');
  });

  it('connection refused and timeouts are named failures, exit 1', async () => {
    await host.configure({ fault: 'silent' });
    try {
      const started = performance.now();
      const run = await probe([address, '--product=lab-windows', '--timeout=300ms']);
      assert.ok(performance.now() - started < 500);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /Reason {5}timeout/);
      assert.match(run.stdout, /within the 300 ms/);
      await host.configure({ fault: 'refuse_connection' });
      const refused = await probe([address, '--product=lab-windows']);
      assert.equal(refused.code, 1);
      assert.match(refused.stdout, /Reason {5}connect_refused/);
      assert.match(refused.stdout, /Fix {8}Nothing listens on this port/);
    } finally {
      await host.configure({ fault: null });
    }
  });

  for (const [args, message] of [
    [[], /missing HOST/],
    [['a', 'b'], /one HOST/],
    [['bad host!'], /not a valid host name/],
    [['127.0.0.1:99999'], /invalid port/],
    [['127.0.0.1', '--product=windows-12'], /unknown product "windows-12"/],
    [['127.0.0.1', '--protocol=7'], /--protocol must be 4, 5 or 6/],
    [['127.0.0.1', '--timeout=soon'], /--timeout: invalid duration/],
    [['127.0.0.1', '--timeout=1h'], /--timeout must be between/],
    [['127.0.0.1', '--cmid=nope'], /--cmid: CMID "nope" is not a GUID/],
    [
      ['127.0.0.1', `--workstation=${'x'.repeat(64)}`],
      /--workstation: workstation name must be 1 to 63/,
    ],
    [['127.0.0.1', '--frobnicate'], /frobnicate/],
  ] as const) {
    it(`usage error: ${args.join(' ') || '(no arguments)'} → exit 2`, async () => {
      const run = await probe([...args]);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^kms-monitor probe: /);
      assert.match(run.stderr, message);
    });
  }

  it('--help prints the usage, exit 0', async () => {
    const run = await probe(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: kms-monitor probe HOST\[:PORT\]/);
    assert.match(run.stdout, /lab-windows/);
  });

  describe('the built CLI (dist/cli.js)', () => {
    it('kms-monitor probe --json: contract shape and exit codes', async () => {
      const ok = await runCli(['probe', address, '--product=lab-windows', '--json']);
      assert.equal(ok.code, 0, ok.stderr);
      const [r] = JSON.parse(ok.stdout) as JsonResult[];
      assert.deepEqual(Object.keys(r ?? {}).slice(0, CONTRACT_KEYS.length), CONTRACT_KEYS);
      assert.equal(r?.epid, EPID);
      const failed = await runCli(['probe', address, '--product=lab-office-2010']);
      assert.equal(failed.code, 1);
      assert.match(
        failed.stdout,
        /HRESULT {4}0xC004F042 SL_E_VL_KEY_MANAGEMENT_SERVICE_ID_MISMATCH/,
      );
      const usage = await runCli(['probe']);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /missing HOST/);
    });
  });
});
