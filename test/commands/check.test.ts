// `kms-monitor check` as Nagios and Icinga run it: the built CLI in a child process, every
// target on the command line (no file), a lab DNS zone and lab KMS hosts on 127.0.0.1.
// Exit codes 0/1/2/3, Nagios ranges on the count margin, UNKNOWN for bad flags, one line
// per problem, perfdata that parses whatever the names hold.
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
import { LOOPBACK_RESOLV_CONF, runCli } from '../helpers/cli.js';
import { HOSTILE_TARGETS, HOSTILE_ZONE, startHostileDns, type HostileDns } from './hostile-dns.js';
import { parsePluginOutput } from './plugin-output.js';

const ZONE = 'check.kms-lab.test';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const BROKEN = 'broken.kms-lab.test';

describe('kms-monitor check from the command line', { timeout: 180_000 }, () => {
  let good: LabKmsHost;
  let other: LabKmsHost;
  let broken: LabKmsHost;
  let dns: DnsZoneServer;
  let hostile: HostileDns;
  let base: string[];

  before(async () => {
    // 30 other clients: the host reports 31 with the monitor, margin 31 - 25 = 6.
    good = await startLabKmsHost({ counts: { windows: 30, 'office-2013+': 10 } });
    // A second machine (own port, ePID and HWID), so no domain has a single KMS machine.
    other = await startLabKmsHost({
      counts: { windows: 30, 'office-2013+': 10 },
      hwid: '0123456789ABCDEF',
      epid: {
        windows: '03612-00206-551-654321-03-1033-17763.0000-2972018',
        'office-2013+': '06401-00206-438-654321-03-1033-9600.0000-2922017',
      },
    });
    broken = await startLabKmsHost({ fault: { mode: 'bind_nak' } });
    dns = await startDnsZoneServer({
      zones: {
        [ZONE]: [
          kmsSrvRecord(ZONE, { target: `kms1.${ZONE}`, port: good.port }),
          kmsSrvRecord(ZONE, { target: `kms2.${ZONE}`, port: other.port }),
          ...addressRecords(`kms1.${ZONE}`, ['127.0.0.1']),
          ...addressRecords(`kms2.${ZONE}`, ['127.0.0.1']),
        ],
        [BROKEN]: [
          kmsSrvRecord(BROKEN, { target: `kms1.${BROKEN}`, port: good.port }),
          kmsSrvRecord(BROKEN, { target: `kms2.${BROKEN}`, port: broken.port }),
          ...addressRecords(`kms1.${BROKEN}`, ['127.0.0.1']),
          ...addressRecords(`kms2.${BROKEN}`, ['127.0.0.1']),
        ],
      },
    });
    hostile = await startHostileDns(good.port, other.port);
    base = [`--dns.resolv-conf=${LOOPBACK_RESOLV_CONF}`, `--resolver=${dns.resolver}`];
  });
  after(async () => {
    await Promise.all([
      good?.close(),
      other?.close(),
      broken?.close(),
      dns?.close(),
      hostile?.close(),
    ]);
  });

  const check = (args: string[]) => runCli(['check', ...args]);
  const oneHost = () => [...base, `--domain=${ZONE}`, '--product=lab-windows', '--timeout=2s'];

  it('targets, products and timeout from flags alone: OK, exit 0, perfdata with the default ranges', async () => {
    const run = await check([...oneHost(), '--product=lab-office']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const out = parsePluginOutput(run.stdout);
    assert.match(out.status, /^KMS OK - 1 domain\(s\), 2\/2 host\(s\) up, 2 product\(s\)/);
    assert.ok(out.status.length <= 160);
    // Office: 10 other clients, at the host's cap of 2 × N.
    assert.deepEqual(
      out.perfdata.map((p) => [p.label, p.value, p.warn, p.crit, p.min, p.max]),
      [
        [`kms1.${ZONE}`, good.port],
        [`kms2.${ZONE}`, other.port],
      ].flatMap(([h, port]) => [
        [`${h}:${port} lab-windows`, 31, '25:', '', '0', ''],
        [`${h}:${port} lab-office`, 10, '5:', '', '0', ''],
      ]),
    );
  });

  // The margin is 6: each range is tried on both sides of it.
  for (const [flags, code, status] of [
    [['--warning=6:'], 0, 'OK'],
    [['--warning=7:'], 1, 'WARNING'],
    [['--warning=10', '--critical=20'], 0, 'OK'],
    [['--warning=5'], 1, 'WARNING'],
    [['--warning=~:5'], 1, 'WARNING'],
    [['--warning=~:6'], 0, 'OK'],
    [['--warning=@0:6'], 1, 'WARNING'],
    [['--warning=@7:9'], 0, 'OK'],
    [['--warning=10:', '--critical=7:'], 2, 'CRITICAL'],
    [['--warning=7:', '--critical=6:'], 1, 'WARNING'],
    [['--critical=@6:6'], 2, 'CRITICAL'],
    [['--warning=-1.5:6.5'], 0, 'OK'],
  ] as const) {
    it(`count margin 6 with ${flags.join(' ')}: ${status}, exit ${code}`, async () => {
      const run = await check([...oneHost(), ...flags]);
      assert.equal(run.code, code, run.stdout + run.stderr);
      const out = parsePluginOutput(run.stdout);
      assert.match(out.status, new RegExp(`^KMS ${status} - `));
      if (code !== 0) {
        assert.match(
          out.status,
          new RegExp(`counts 31 clients for lab-windows \\(margin 6 is .*, --(warning|critical) `),
        );
      }
      // The perfdata carries the count, the ranges moved by N = 25 into its units.
      const [item] = out.perfdata;
      const shifted = (flag: string) =>
        flags.find((f) => f.startsWith(`--${flag}=`))?.split('=')[1];
      if (shifted('warning') === '7:') assert.equal(item?.warn, '32:');
      if (shifted('warning') === '~:5') assert.equal(item?.warn, '~:30');
      if (shifted('warning') === '@0:6') assert.equal(item?.warn, '@25:31');
      if (shifted('critical') === '20') assert.equal(item?.crit, '25:45');
    });
  }

  it('a count below the threshold says what clients see; --critical=0: makes it critical', async () => {
    // One host below N while the other still activates: a host problem, not the domain's.
    await good.configure({ counts: { windows: 3 } });
    try {
      const warn = await check(oneHost());
      assert.equal(warn.code, 1, warn.stdout);
      assert.match(
        warn.stdout,
        /counts 4 clients for lab-windows, below the threshold 25: its clients get 0xC004F038 \(margin -21 is below 0, --warning 0:\)/,
      );
      const crit = await check([...oneHost(), '--critical=0:']);
      assert.equal(crit.code, 2, crit.stdout);
      assert.match(crit.stdout, /^KMS CRITICAL - kms1\.check\.kms-lab\.test:\d+ counts 4 clients/);
      assert.match(crit.stdout, /\nCRITICAL: kms1\..* \(margin -21 is below 0, --critical 0:\)\n/);
      assert.doesNotMatch(crit.stdout, /kms2\.\S+ counts/);
    } finally {
      await good.configure({ counts: { windows: 30 } });
    }
  });

  it('the same failure of a host for several products is one line naming the products', async () => {
    const run = await check([
      ...base,
      `--domain=${BROKEN}`,
      '--product=lab-windows',
      '--product=lab-office',
      '--product=lab-windows-server',
      '--timeout=2s',
    ]);
    assert.equal(run.code, 1, run.stdout);
    const out = parsePluginOutput(run.stdout);
    const failed = out.longText.filter((l) => l.includes(`kms2.${BROKEN}:${broken.port} failed`));
    assert.equal(failed.length, 1, run.stdout);
    assert.match(
      failed[0] ?? '',
      /^WARNING: kms2\.broken\.kms-lab\.test:\d+ failed lab-windows, lab-office, lab-windows-server: bind_rejected/,
    );
    // No line is printed twice.
    assert.equal(new Set(out.longText).size, out.longText.length, run.stdout);
  });

  for (const [args, message] of [
    [['--warning=abc'], /^KMS UNKNOWN - --warning: end "abc" of range "abc" is not a number/],
    [['--critical=10:5'], /^KMS UNKNOWN - --critical: range "10:5" starts above its end/],
    [['--prodcut=lab-windows'], /^KMS UNKNOWN - unknown flag --prodcut; did you mean --product\?/],
    [['--product=windows-11'], /unknown product "windows-11"; did you mean windows-10-11\b/],
    [['--resolver=dns.example'], /--resolver: invalid resolver "dns.example"/],
    [['--timeout=soon'], /--timeout: .*"soon"/],
    [['--host=bad host!'], /--host: host "bad host!"/],
    [['extra'], /unexpected argument "extra"/],
  ] as const) {
    it(`a usage error is UNKNOWN (exit 3) on stdout, not CRITICAL: ${args.join(' ')}`, async () => {
      const run = await check([...oneHost(), ...args]);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stdout, message);
      assert.equal(run.stdout.split('\n').length, 2, 'one line');
    });
  }

  it('with --json a usage error is JSON too: status unknown, exit 3', async () => {
    const run = await check([...oneHost(), '--warning=x', '--json']);
    assert.equal(run.code, 3);
    const body = JSON.parse(run.stdout) as { status: string; exitCode: number; summary: string };
    assert.deepEqual([body.status, body.exitCode], ['unknown', 3]);
    assert.match(body.summary, /^KMS UNKNOWN - --warning: /);
  });

  it('an unknown product lists a few near slugs, never the whole table', async () => {
    const run = await check([...oneHost(), '--product=windows']);
    assert.equal(run.code, 3);
    const hint = /did you mean ([^?]*)\?/.exec(run.stdout)?.[1] ?? '';
    assert.ok(hint.split(/, | or /).length <= 3, hint);
  });

  it('no resolver anywhere: the message names the resolv.conf actually given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kms-check-'));
    const empty = join(dir, 'resolv-empty.conf');
    writeFileSync(empty, '# no nameserver here\n');
    const run = await check([`--dns.resolv-conf=${empty}`, `--domain=${ZONE}`]);
    assert.equal(run.code, 3, run.stdout);
    assert.ok(run.stdout.includes(`give ${empty} a nameserver line`), run.stdout);
    assert.doesNotMatch(run.stdout, /\/etc\/resolv\.conf/);
    // A static host given by address needs no resolver at all.
    const byAddress = await check([
      `--dns.resolv-conf=${empty}`,
      `--host=127.0.0.1:${good.port}`,
      `--host=127.0.0.1:${other.port}`,
      '--product=lab-windows',
    ]);
    assert.equal(byAddress.code, 0, byAddress.stdout);
    const nothing = await check([`--dns.resolv-conf=${empty}`, `--resolver=${dns.resolver}`]);
    assert.equal(nothing.code, 3, nothing.stdout);
    assert.match(nothing.stdout, /^KMS UNKNOWN - nothing to check: give --domain or --host/);
    assert.ok(nothing.stdout.includes(`${empty} has no search line`));
  });

  it('SRV targets with ESC, NUL, newline, quote, = and |: escaped text, parseable perfdata, no forged line', async () => {
    const run = await check([
      `--dns.resolv-conf=${LOOPBACK_RESOLV_CONF}`,
      `--resolver=${hostile.resolver}`,
      `--domain=${HOSTILE_ZONE}`,
      '--product=lab-windows',
      '--timeout=2s',
    ]);
    assert.equal(run.code, 0, run.stdout);
    // Nothing unprintable but the line breaks; exactly one status line.
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(run.stdout, /[\x00-\x09\x0b-\x1f\x7f]/);
    assert.equal(run.stdout.match(/^KMS (OK|WARNING|CRITICAL|UNKNOWN)/gim)?.length, 1, run.stdout);
    for (const shown of [
      'esc\\x1b[31mred\\x1b[0m',
      'nul\\x00byte',
      'line\\nkms ok - forged', // DNS names come back in lower case
      "quote'eq=pipe\\x7cbell\\x07",
    ]) {
      assert.match(
        run.stdout,
        new RegExp(`\nhost ${escapeRegExp(`${shown}.${HOSTILE_ZONE}`)}:\\d+ up`),
        shown,
      );
    }
    const out = parsePluginOutput(run.stdout);
    assert.equal(out.perfdata.length, HOSTILE_TARGETS.length, run.stdout);
    for (const item of out.perfdata) {
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(item.label, /['=|\x00-\x1f]/);
      assert.equal(item.value, 31);
    }
    assert.ok(out.perfdata.some((p) => p.label.startsWith('quote_eq_pipe_bell_.')));
    const json = await check([
      `--dns.resolv-conf=${LOOPBACK_RESOLV_CONF}`,
      `--resolver=${hostile.resolver}`,
      `--domain=${HOSTILE_ZONE}`,
      '--product=lab-windows',
      '--json',
    ]);
    const body = JSON.parse(json.stdout) as { hosts: Array<{ host: string }>; perfdata: string[] };
    assert.deepEqual(
      body.hosts.map((h) => h.host).sort(),
      HOSTILE_TARGETS.map((t) => t.toLowerCase()).sort(),
    );
    assert.equal(body.perfdata.length, HOSTILE_TARGETS.length);
  });
});
