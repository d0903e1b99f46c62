// One set of target flags for serve, check and discover (and the resolver flags of probe),
// checked on the built CLI: each command's parser takes each flag (a bad value is refused
// naming that flag, not as an unknown flag), an unknown flag gets the nearest known one,
// and serve really watches what --domain, --resolver, --product and --timeout say.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabKmsHost, type LabKmsHost } from '../../src/lab/index.js';
import {
  addressRecords,
  kmsSrvRecord,
  startDnsZoneServer,
  type DnsZoneServer,
} from '../../src/lab/dns-zone-server.js';
import { LOOPBACK_RESOLV_CONF, runCli, startServer } from '../helpers/cli.js';
import { eventually, scrape, valueOf } from '../helpers/metrics.js';

const SAFE = `--dns.resolv-conf=${LOOPBACK_RESOLV_CONF}`;
/** Exit code of a usage error: check is a Nagios plugin (3 UNKNOWN), the others exit 2. */
const USAGE_CODE: Record<string, number> = { serve: 2, check: 3, discover: 2, probe: 2 };

const BAD_VALUES: Array<[string, string, RegExp]> = [
  ['--domain', 'a..b', /--domain: invalid domain "a\.\.b"/],
  ['--host', 'bad host!', /--host: host "bad host!"/],
  ['--resolver', 'nope', /--resolver: invalid resolver "nope"/],
  [
    '--product',
    'windows-11',
    /--product: unknown product "windows-11"; did you mean windows-10-11/,
  ],
  ['--timeout', 'soon', /--timeout: .*"soon"/],
];

const ACCEPTS: Record<string, string[]> = {
  serve: ['--domain', '--host', '--resolver', '--product', '--timeout'],
  check: ['--domain', '--host', '--resolver', '--product', '--timeout'],
  discover: ['--domain', '--resolver', '--timeout'],
  probe: ['--resolver', '--product', '--timeout'],
};

const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

describe('every command takes the shared target flags', () => {
  for (const [command, flags] of Object.entries(ACCEPTS)) {
    for (const [flag, value, message] of BAD_VALUES.filter(([f]) => flags.includes(f))) {
      it(`${command} ${flag}=${value}: refused naming ${flag}`, async () => {
        const args =
          command === 'probe' ? ['probe', 'kms.example.test'] : [command, '--domain=ok.test'];
        const run = await runCli(
          [...args, SAFE, '--web.listen-address=127.0.0.1:0', `${flag}=${value}`].filter(
            (a) => command === 'serve' || !a.startsWith('--web.'),
          ),
        );
        assert.equal(run.code, USAGE_CODE[command], output(run));
        assert.match(output(run), message);
        assert.doesNotMatch(output(run), /unknown flag/);
      });
    }
    it(`${command}: an unknown flag names the nearest one`, async () => {
      const run = await runCli([command, '--timout=1s', SAFE]);
      assert.equal(run.code, USAGE_CODE[command], output(run));
      assert.match(output(run), /unknown flag --timout; did you mean --timeout\?/);
    });
  }

  it('discover, probe and check name the --dns.resolv-conf given: missing, or without nameserver', async () => {
    const missing = '/nonexistent/kms-monitor/resolv.conf';
    for (const args of [
      ['discover', 'ok.test'],
      ['probe', 'kms.ok.test'],
      ['check', '--domain=ok.test'],
    ]) {
      const run = await runCli([...args, `--dns.resolv-conf=${missing}`]);
      assert.equal(run.code, USAGE_CODE[args[0] ?? ''], output(run));
      assert.match(output(run), /--dns\.resolv-conf: /);
      assert.ok(output(run).includes(missing), output(run));
    }
    const empty = join(mkdtempSync(join(tmpdir(), 'kms-flags-')), 'resolv.conf');
    writeFileSync(empty, '# no nameserver\n');
    const discover = await runCli(['discover', 'ok.test', `--dns.resolv-conf=${empty}`]);
    assert.ok(discover.stderr.includes(`give ${empty} a nameserver line`), discover.stderr);
    const probe = await runCli(['probe', 'kms.ok.test', `--dns.resolv-conf=${empty}`]);
    assert.ok(probe.stderr.includes(`a nameserver line in ${empty}`), probe.stderr);
    const check = await runCli(['check', '--domain=ok.test', `--dns.resolv-conf=${empty}`]);
    assert.ok(check.stdout.includes(`give ${empty} a nameserver line`), check.stdout);
  });

  it('an unknown command gets a suggestion too', async () => {
    const run = await runCli(['chekc']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown command "chekc"; did you mean check\?/);
  });
});

describe('serve watches what the flags say, no file needed', { timeout: 120_000 }, () => {
  const DOMAIN = 'flags.kms-lab.test';
  let host: LabKmsHost;
  let dns: DnsZoneServer;
  before(async () => {
    host = await startLabKmsHost({ counts: { windows: 30 } });
    dns = await startDnsZoneServer({
      zones: {
        [DOMAIN]: [
          kmsSrvRecord(DOMAIN, { target: `kms1.${DOMAIN}`, port: host.port }),
          ...addressRecords(`kms1.${DOMAIN}`, ['127.0.0.1']),
        ],
      },
    });
  });
  after(async () => {
    await Promise.all([host.close(), dns.close()]);
  });

  it('--domain, --resolver, --product and --timeout reach the poller', async () => {
    const server = await startServer('serve', [
      `--domain=${DOMAIN}`,
      `--resolver=${dns.resolver}`,
      '--product=lab-windows',
      '--timeout=2s',
    ]);
    try {
      const samples = await eventually(
        'the first round with a KMS answer',
        async () => {
          const m = await scrape(server.url);
          return m.some((s) => s.name === 'kms_probe_success') ? m : undefined;
        },
        60_000,
      );
      assert.equal(
        valueOf(samples, 'kms_srv_lookup_success', { domain: DOMAIN, resolver: dns.resolver }),
        1,
      );
      assert.equal(
        valueOf(samples, 'kms_probe_success', {
          host: `kms1.${DOMAIN}`,
          port: String(host.port),
          product: 'lab-windows',
        }),
        1,
      );
      assert.equal(valueOf(samples, 'kms_activation_threshold', { product: 'lab-windows' }), 25);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
