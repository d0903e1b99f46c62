/**
 * Against a real dnsmasq: `discover --json` must show what dig shows for the same server,
 * every domain, every resolver; and a thousand domains must finish well within the timeout.
 */
import assert from 'node:assert/strict';
import { promises as dnsPromises } from 'node:dns';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createDiscoverCommand } from '../../src/commands/discover.js';
import { DnsClient, discoverAll, lookupSrv, type SrvLookupResult } from '../../src/dns/index.js';
import { startDnsmasq, dnsmasqAvailable, type Dnsmasq } from '../fixtures/dns-dnsmasq.js';
import { KMS_TEST_DOMAINS, KMS_ZONES, manyDomainsZone } from '../fixtures/dns-zones.js';
import { digAddresses, digSrv } from './dig.js';
import { withoutLeaks } from '../helpers/leaks.js';

const skip = dnsmasqAvailable() ? false : 'dnsmasq is not installed';

type JsonResult = {
  domain: string;
  resolver: string;
  rcode: string | null;
  ttl: number | null;
  records: Array<{
    host: string;
    port: number;
    priority: number;
    weight: number;
    addresses: string[];
  }>;
  error: { reason: string; message: string } | null;
  serviceUnavailable: boolean;
};

async function discoverJson(argv: string[]): Promise<{ code: number; results: JsonResult[] }> {
  let out = '';
  const command = createDiscoverCommand({
    stdout: (text) => (out += text),
    stderr: (text) => assert.fail(`unexpected stderr: ${text}`),
    // Domains and resolvers are always given; the loopback file keeps the machine's out.
    resolvConfPath: fileURLToPath(new URL('../fixtures/resolv-loopback.conf', import.meta.url)),
  });
  const code = await command.run([...argv, '--json']);
  return { code, results: JSON.parse(out) as JsonResult[] };
}

/** Independent of src/dns: numeric address order, IPv4 before IPv6. */
function addressKey(address: string): string {
  if (isIP(address) === 4)
    return `4:${address
      .split('.')
      .map((n) => n.padStart(3, '0'))
      .join('.')}`;
  return `6:${address}`;
}
const sortAddresses = (list: string[]): string[] =>
  [...list].sort((a, b) =>
    addressKey(a) < addressKey(b) ? -1 : addressKey(a) > addressKey(b) ? 1 : 0,
  );

describe('discover against a real dnsmasq', { skip }, () => {
  let dnsmasq: Dnsmasq;
  before(async () => {
    dnsmasq = await startDnsmasq(KMS_ZONES, { ipv6: true });
  });
  after(async () => {
    await dnsmasq?.stop();
  });

  it('discover --json matches dig for every domain', async () => {
    const domains = Object.values(KMS_TEST_DOMAINS);
    const { code, results } = await discoverJson([
      ...domains,
      `--resolver=127.0.0.1:${dnsmasq.port}`,
    ]);
    assert.equal(code, 0, 'every domain answered (NOERROR or NXDOMAIN)');
    assert.equal(results.length, domains.length);
    for (const [i, domain] of domains.entries()) {
      const ours = results[i]!;
      assert.equal(ours.domain, domain);
      assert.equal(ours.resolver, `127.0.0.1:${dnsmasq.port}`);
      const reference = await digSrv(dnsmasq.port, `_vlmcs._tcp.${domain}`);
      assert.equal(ours.rcode, reference.status, `${domain}: rcode`);
      if (reference.records.length === 1 && reference.records[0]?.target === '.') {
        assert.equal(ours.serviceUnavailable, true, `${domain}: "." target`);
        assert.deepEqual(ours.records, []);
        continue;
      }
      if (reference.records.length > 0)
        assert.equal(ours.ttl, Math.min(...reference.records.map((r) => r.ttl)));
      const expected = [];
      for (const r of reference.records) {
        expected.push({
          host: r.target,
          port: r.port,
          priority: r.priority,
          weight: r.weight,
          addresses: sortAddresses(await digAddresses(dnsmasq.port, r.target)),
        });
      }
      // RFC 2782 order as documented: priority ascending, weight descending, host, port.
      expected.sort(
        (a, b) =>
          a.priority - b.priority ||
          b.weight - a.weight ||
          (a.host < b.host ? -1 : a.host > b.host ? 1 : 0) ||
          a.port - b.port,
      );
      assert.deepEqual(
        ours.records.map(({ host, port, priority, weight, addresses }) => ({
          host,
          port,
          priority,
          weight,
          addresses,
        })),
        expected,
        `${domain}: records`,
      );
    }
  });

  it('shows the cases an admin must tell apart', async () => {
    const { results } = await discoverJson([
      KMS_TEST_DOMAINS.alpha,
      KMS_TEST_DOMAINS.empty,
      KMS_TEST_DOMAINS.nodata,
      KMS_TEST_DOMAINS.stale,
      `--resolver=127.0.0.1:${dnsmasq.port}`,
    ]);
    const [alpha, empty, nodata, stale] = results;
    assert.deepEqual(
      alpha?.records.map((r) => [r.host, r.priority, r.weight]),
      [
        ['kms1.alpha.test', 0, 60],
        ['kms2.alpha.test', 0, 40],
        ['kms3.alpha.test', 10, 100],
      ],
    );
    assert.deepEqual(alpha?.records[0]?.addresses, [
      '127.0.1.1',
      '127.0.1.2',
      'fd00::1:1',
      'fd00::1:2',
    ]);
    assert.equal(empty?.rcode, 'NXDOMAIN');
    assert.equal(empty?.error?.reason, 'nxdomain');
    assert.equal(nodata?.rcode, 'NOERROR');
    assert.deepEqual(nodata?.records, []);
    assert.equal(stale?.records[0]?.host, 'gone.stale.test');
    assert.deepEqual(stale?.records[0]?.addresses, []);
  });

  it('an IPv6 resolver ([::1]:port) gives the same answers, one result per resolver', async () => {
    const { code, results } = await discoverJson([
      KMS_TEST_DOMAINS.beta,
      `--resolver=127.0.0.1:${dnsmasq.port}`,
      `--resolver=[::1]:${dnsmasq.port}`,
    ]);
    assert.equal(code, 0);
    assert.deepEqual(
      results.map((r) => r.resolver),
      [`127.0.0.1:${dnsmasq.port}`, `[::1]:${dnsmasq.port}`],
    );
    assert.deepEqual(results[0]?.records, results[1]?.records);
    const reference = await digSrv(dnsmasq.port, '_vlmcs._tcp.beta.test', '::1');
    assert.equal(results[1]?.records.length, reference.records.length);
  });

  it("agrees with Node's own resolver (c-ares resolveSrv) on the SRV data", async () => {
    const resolver = new dnsPromises.Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${dnsmasq.port}`]);
    for (const domain of [KMS_TEST_DOMAINS.alpha, KMS_TEST_DOMAINS.beta, KMS_TEST_DOMAINS.gamma]) {
      const cares = await resolver.resolveSrv(`_vlmcs._tcp.${domain}`);
      const [ours] = await lookupSrv(domain, {
        resolvers: [dnsmasq.resolver],
        resolveAddresses: false,
      });
      const key = (r: {
        name?: string;
        host?: string;
        port: number;
        priority: number;
        weight: number;
      }) => `${r.priority} ${r.weight} ${r.port} ${r.name ?? r.host}`;
      assert.deepEqual(ours?.records.map(key).sort(), cares.map(key).sort());
    }
  });

  it('leaves no socket or timer open', async () => {
    await withoutLeaks(() => lookupSrv(KMS_TEST_DOMAINS.alpha, { resolvers: [dnsmasq.resolver] }));
  });
});

/** Counts queries in flight, to check the concurrency bound from outside. */
class InFlightClient extends DnsClient {
  private inFlight = 0;
  peak = 0;
  override async query(...args: Parameters<DnsClient['query']>): ReturnType<DnsClient['query']> {
    this.peak = Math.max(this.peak, ++this.inFlight);
    try {
      return await super.query(...args);
    } finally {
      this.inFlight--;
    }
  }
}

describe('many domains at once', { skip }, () => {
  const COUNT = 1000;
  const TIMEOUT_MS = 5000;
  let dnsmasq: Dnsmasq;
  let domains: string[];
  before(async () => {
    const zone = manyDomainsZone(COUNT);
    domains = zone.domains;
    dnsmasq = await startDnsmasq(zone.data);
  });
  after(async () => {
    await dnsmasq?.stop();
  });

  it(`${COUNT} domains with bounded concurrency finish well within the timeout`, async () => {
    const client = new InFlightClient();
    const started = performance.now();
    const results: SrvLookupResult[] = await withoutLeaks(() =>
      discoverAll(domains, {
        resolvers: [dnsmasq.resolver],
        timeoutMs: TIMEOUT_MS,
        concurrency: 16,
        client,
      }),
    );
    const elapsed = performance.now() - started;
    assert.equal(results.length, COUNT);
    assert.deepEqual(
      results.filter((r) => !r.success || r.records.length !== 1),
      [],
    );
    assert.deepEqual(
      results.map((r) => r.domain),
      domains,
      'results in input order',
    );
    assert.deepEqual(results[7]?.records[0]?.addresses, ['127.1.0.8', 'fd00::1:7']);
    assert.ok(client.peak <= 32, `${client.peak} queries were in flight at once`);
    assert.ok(client.peak > 1, 'lookups ran in parallel');
    assert.ok(elapsed < TIMEOUT_MS / 2, `${COUNT} domains took ${Math.round(elapsed)} ms`);
  });
});
