// deploy/nagios/: the Icinga 2 CheckCommand and the Nagios command, read the way Icinga and
// Nagios build a command line from them, then RUN through the built `kms-monitor check`
// against a lab DNS zone and lab KMS hosts on 127.0.0.1 (the example's own addresses are
// documentation addresses and never asked).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLabKmsHost, type LabKmsHost } from '../../src/lab/index.js';
import {
  addressRecords,
  kmsSrvRecord,
  startDnsZoneServer,
  type DnsZoneServer,
} from '../../src/lab/dns-zone-server.js';
import { LOOPBACK_RESOLV_CONF, REPO, runCli } from '../helpers/cli.js';
import { icingaCommandLine, parseIcinga, varsOf, type DslValue } from './icinga-dsl.js';
import { parsePluginOutput } from './plugin-output.js';

const ICINGA = readFileSync(join(REPO, 'deploy/nagios/kms-monitor.conf'), 'utf8');
const NAGIOS = readFileSync(join(REPO, 'deploy/nagios/kms-monitor.cfg'), 'utf8');
const BINARY = '/usr/local/bin/kms-monitor';
const DOMAIN = 'nagios.kms-lab.test';

const blocks = parseIcinga(ICINGA);
const command = blocks.find((b) => b.kind === 'object' && b.type === 'CheckCommand')!;
const service = blocks.find((b) => b.kind === 'apply' && b.type === 'Service')!;

/** Runs an argv whose first two words are the shipped binary and `check`. */
function runDefinition(argv: string[]) {
  assert.deepEqual(argv.slice(0, 2), [BINARY, 'check']);
  return runCli(['check', ...argv.slice(2)]);
}

describe(
  'deploy/nagios: the definitions as Icinga 2 and Nagios build them',
  { timeout: 120_000 },
  () => {
    let kms1: LabKmsHost;
    let kms2: LabKmsHost;
    let dns: DnsZoneServer;
    before(async () => {
      kms1 = await startLabKmsHost({ counts: { windows: 30, 'office-2013+': 10 } });
      kms2 = await startLabKmsHost({
        counts: { windows: 30, 'office-2013+': 10 },
        hwid: '0123456789ABCDEF',
        epid: {
          windows: '03612-00206-551-654321-03-1033-17763.0000-2972018',
          'office-2013+': '06401-00206-438-654321-03-1033-9600.0000-2922017',
        },
      });
      dns = await startDnsZoneServer({
        zones: {
          [DOMAIN]: [
            kmsSrvRecord(DOMAIN, { target: `kms1.${DOMAIN}`, port: kms1.port }),
            kmsSrvRecord(DOMAIN, { target: `kms2.${DOMAIN}`, port: kms2.port }),
            ...addressRecords(`kms1.${DOMAIN}`, ['127.0.0.1']),
            ...addressRecords(`kms2.${DOMAIN}`, ['127.0.0.1']),
          ],
        },
      });
    });
    after(async () => {
      await Promise.all([kms1.close(), kms2.close(), dns.close()]);
    });

    it('the Icinga CheckCommand: every argument is a check flag, every service var an argument', async () => {
      assert.equal(command.name, 'kms-monitor');
      assert.deepEqual(command.attrs.command, [BINARY, 'check']);
      const help = (await runCli(['check', '--help'])).stdout;
      const args = Object.keys(command.attrs.arguments as Record<string, unknown>);
      for (const flag of args) assert.ok(help.includes(`  ${flag}=`), `${flag} in check --help`);
      const macros = new Set(
        Object.values(command.attrs.arguments as Record<string, { value: string }>).flatMap((a) =>
          [...a.value.matchAll(/\$([a-z_]+)\$/g)].map((m) => m[1]),
        ),
      );
      for (const name of Object.keys(varsOf(service))) assert.ok(macros.has(name), name);
      for (const name of Object.keys(varsOf(command))) assert.ok(macros.has(name), name);
    });

    it('the example service builds the command line a real Icinga 2 (2.13.6) daemon ran', () => {
      const argv = icingaCommandLine(command, { ...varsOf(command), ...varsOf(service) });
      // Recorded from `icinga2 daemon` running this file with the binary swapped for a script
      // that logs its argv: unset macros left out, keys sorted, arrays repeating their key.
      assert.deepEqual(argv, [
        BINARY,
        'check',
        '--critical=0:',
        '--domain',
        'corp.example.com',
        '--product',
        'windows-10-11',
        '--product',
        'windows-server-2022',
        '--product',
        'office-2016',
        '--resolver',
        '192.0.2.53',
        '--resolver',
        '192.0.2.54',
        '--timeout',
        '5s',
        '--warning=5:',
      ]);
    });

    it('the Icinga definition RUN through check against the lab: OK, then WARNING from the ranges', async () => {
      const labVars: Record<string, DslValue> = {
        ...varsOf(command),
        ...varsOf(service),
        kms_domains: [DOMAIN],
        kms_resolvers: [dns.resolver],
        kms_products: ['lab-windows', 'lab-office'],
        kms_resolv_conf: LOOPBACK_RESOLV_CONF,
        kms_timeout: '2s',
      };
      // The service's ranges: --warning 5: and --critical 0: against margins 6 (31 - 25) and 5 (10 - 5).
      const ok = await runDefinition(icingaCommandLine(command, labVars));
      assert.equal(ok.code, 0, ok.stdout);
      const out = parsePluginOutput(ok.stdout);
      assert.match(out.status, /^KMS OK - 1 domain\(s\), 2\/2 host\(s\) up, 2 product\(s\)/);
      assert.deepEqual(
        out.perfdata.map((p) => [p.value, p.warn, p.crit]),
        [
          [31, '30:', '25:'],
          [10, '10:', '5:'],
          [31, '30:', '25:'],
          [10, '10:', '5:'],
        ],
      );
      const negative = await runDefinition(
        icingaCommandLine(command, { ...labVars, kms_warning: '-5:7' }),
      );
      assert.equal(
        negative.code,
        0,
        `a range starting with '-' is a value, not a flag: ${negative.stdout}`,
      );
      const warn = await runDefinition(
        icingaCommandLine(command, { ...labVars, kms_warning: '6:' }),
      );
      assert.equal(warn.code, 1, warn.stdout);
      assert.match(
        warn.stdout,
        /counts 10 clients for lab-office \(margin 5 is below 6, --warning 6:\)/,
      );
      const unknown = await runDefinition(
        icingaCommandLine(command, { ...labVars, kms_products: ['windows-11'] }),
      );
      assert.equal(unknown.code, 3, 'a typo in a service definition is UNKNOWN, not CRITICAL');
    });

    it('the Nagios command and service, $ARGn$ substituted and split as the shell does, RUN against the lab', async () => {
      const commandLine = /command_line\s+(.+)/.exec(NAGIOS)?.[1] ?? '';
      const checkCommand = /check_command\s+(\S+)/.exec(NAGIOS)?.[1] ?? '';
      const [name, ...args] = checkCommand.split('!');
      assert.equal(name, /command_name\s+(\S+)/.exec(NAGIOS)?.[1]);
      assert.deepEqual(args, ['corp.example.com', '192.0.2.53', '5:', '0:']);
      // The example's own arguments, then the lab's in their place.
      const build = (argn: string[]) =>
        shellWords(
          commandLine.replace(/\$ARG(\d)\$/g, (_, n: string) => argn[Number(n) - 1] ?? ''),
        );
      assert.deepEqual(build(args).slice(0, 5), [
        BINARY,
        'check',
        '--domain=corp.example.com',
        '--resolver=192.0.2.53',
        '--product=windows-10-11',
      ]);
      const argv = build([DOMAIN, dns.resolver, '5:', '0:']).map((a) =>
        a.startsWith('--product=') ? '--product=lab-windows' : a,
      );
      const run = await runDefinition([...argv, `--dns.resolv-conf=${LOOPBACK_RESOLV_CONF}`]);
      assert.equal(run.code, 0, run.stdout);
      assert.match(run.stdout, /^KMS OK - /);
      const low = await runDefinition([
        ...build([DOMAIN, dns.resolver, '~:3', '~:5']).map((a) =>
          a.startsWith('--product=') ? '--product=lab-windows' : a,
        ),
        `--dns.resolv-conf=${LOOPBACK_RESOLV_CONF}`,
      ]);
      assert.equal(low.code, 2, low.stdout);
      assert.match(low.stdout, /^KMS CRITICAL - .*margin 6 is above 5, --critical ~:5/);
    });
  },
);

/** POSIX shell words for the subset the .cfg uses: blanks, and '...' quoting inside a word. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('unbalanced quote');
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (/["\\$`;&|<>()*?]/.test(c)) {
      throw new Error(`shell metacharacter ${c} outside quotes`);
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
