/**
 * What planFromConfig takes from the system: resolv.conf when it exists, the operating
 * system's DNS servers when the default file does not (Windows), and errors that name the
 * file actually read. The server list is injected: nothing here asks a resolver.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { readResolvConf } from '../../src/dns/index.js';
import { planFromConfig } from '../../src/monitor/plan-from-config.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kms-plan-system-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('planFromConfig and the system resolver configuration', () => {
  it('"no resolvers" names the resolv.conf that was read, not /etc/resolv.conf', async () => {
    const given = join(dir, 'given-resolv.conf');
    await writeFile(given, 'search corp.example\n');
    const config = parseConfig('domains: [corp.example]\n');
    await assert.rejects(
      planFromConfig(config, () => readResolvConf(given)),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message.includes(`give ${given} a nameserver line`) &&
        !err.message.includes('/etc/resolv.conf'),
    );
  });

  it('without the default file, the OS servers are used and the admin is told about domains', async () => {
    const notes: string[] = [];
    const readSystem = () =>
      readResolvConf(undefined, {
        defaultPath: join(dir, 'absent', 'resolv.conf'),
        systemServers: () => ['127.0.0.1:5353', '::1'],
      });
    const plan = await planFromConfig(
      parseConfig('domains: [corp.example]\n'),
      readSystem,
      (note) => notes.push(note),
    );
    assert.deepEqual(plan.domains[0]?.resolvers, [
      { address: '127.0.0.1', port: 5353 },
      { address: '::1', port: 53 },
    ]);
    assert.equal(notes.length, 1);
    assert.match(notes[0] ?? '', /dns\.getServers\(\): 127\.0\.0\.1:5353, \[::1\]:53/);
    assert.match(notes[0] ?? '', /list the domains to watch under domains:/);

    // No domains configured: nothing to search, no error (static hosts may be all there is).
    const hostsOnly = await planFromConfig(parseConfig('hosts: [127.0.0.1]\n'), readSystem);
    assert.deepEqual(hostsOnly.domains, []);
  });

  it('no file and no OS server: the error says both', async () => {
    const readSystem = () =>
      readResolvConf(undefined, {
        defaultPath: join(dir, 'absent', 'resolv.conf'),
        systemServers: () => [],
      });
    await assert.rejects(
      planFromConfig(parseConfig('domains: [corp.example]\n'), readSystem),
      /no resolvers: set resolvers in the configuration \(.*absent\/resolv\.conf does not exist, and dns\.getServers\(\) lists no DNS server\)$/,
    );
  });
});
