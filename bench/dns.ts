/**
 * SRV lookups per second against a local dnsmasq: kms-monitor's DNS client next to Node's
 * own resolver (dns.promises.Resolver.resolveSrv, i.e. c-ares), measured in the same run
 * over the same domains, rounds interleaved so machine load hits both alike.
 *
 *   npx tsx bench/dns.ts [--domains 1000] [--concurrency 64] [--rounds 3]
 *
 * Only 127.0.0.1 is ever queried. "lookupSrv" is the full discovery (SRV, CNAME handling,
 * ordering, addresses — from the additional section here); "DnsClient.query" is one SRV
 * query, the same work c-ares does.
 */
import { promises as dnsPromises } from 'node:dns';
import { parseArgs } from 'node:util';
import { DnsClient, discoverAll } from '../src/dns/index.js';
import { startDnsmasq } from '../test/fixtures/dns-dnsmasq.js';
import { manyDomainsZone } from '../test/fixtures/dns-zones.js';

const { values } = parseArgs({
  options: {
    domains: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '3' },
  },
});
const DOMAINS = Number(values.domains);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);

/** Runs `work` over every name with at most CONCURRENCY in flight; returns lookups/s. */
async function measure(names: string[], work: (name: string) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < names.length) await work(names[next++] as string);
    }),
  );
  return names.length / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const { domains, data } = manyDomainsZone(DOMAINS);
const srvNames = domains.map((d) => `_vlmcs._tcp.${d}`);
const dnsmasq = await startDnsmasq(data);
const client = new DnsClient();
const rates: Record<string, number[]> = {
  lookupSrv: [],
  'DnsClient.query': [],
  'c-ares resolveSrv': [],
};
try {
  // Warm-up: JIT, dnsmasq's first answers.
  await discoverAll(domains.slice(0, 100), {
    resolvers: [dnsmasq.resolver],
    concurrency: CONCURRENCY,
  });
  for (let round = 1; round <= ROUNDS; round++) {
    let failures = 0;
    rates.lookupSrv?.push(
      await measure(domains, async (domain) => {
        const results = await discoverAll([domain], { resolvers: [dnsmasq.resolver], client });
        if (!results[0]?.success || results[0].records.length !== 1) failures++;
      }),
    );
    rates['DnsClient.query']?.push(
      await measure(srvNames, (name) => client.query(dnsmasq.resolver, { name, type: 'SRV' })),
    );
    // A new Resolver per round: c-ares caches answers per channel, which would flatter it.
    const cares = new dnsPromises.Resolver({ timeout: 5000, tries: 2 });
    cares.setServers([`127.0.0.1:${dnsmasq.port}`]);
    rates['c-ares resolveSrv']?.push(await measure(srvNames, (name) => cares.resolveSrv(name)));
    if (failures > 0) console.error(`round ${round}: ${failures} lookups failed`);
    console.log(
      `round ${round}: ` +
        Object.entries(rates)
          .map(([name, list]) => `${name} ${Math.round(list.at(-1) ?? 0)}/s`)
          .join(', '),
    );
  }
} finally {
  await dnsmasq.stop();
}

console.log(
  `\n${DOMAINS} domains, ${CONCURRENCY} in flight, median of ${ROUNDS} rounds (node ${process.versions.node}, c-ares ${process.versions.ares}):`,
);
for (const [name, list] of Object.entries(rates)) {
  console.log(`  ${name.padEnd(18)} ${String(Math.round(median(list))).padStart(7)} lookups/s`);
}
