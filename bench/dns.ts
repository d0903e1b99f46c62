/**
 * (2) SRV lookups per second against a local dnsmasq, next to two baselines measured in the
 * same run over the same names:
 *  - Node's own resolver, c-ares (`dns.promises.Resolver#resolveSrv`, setServers to dnsmasq);
 *  - Debian's prometheus-blackbox-exporter DNS prober (`query_type: SRV` for one name),
 *    driven over HTTP on keep-alive connections; its HTTP cost alone (`/-/healthy` at the
 *    same concurrency) is measured too and named next to the figure.
 * "DnsClient.query" is one SRV query — the work c-ares and blackbox do. "lookupSrv" is the
 * monitor's full discovery (SRV, CNAME handling, RFC 2782 order, addresses). dnsmasq puts
 * every target's A and AAAA in the additional section, so lookupSrv sends one SRV query
 * here, like resolveSrv: its goal stays against resolveSrv. c-ares never reads the
 * additional section, so getting the same result (targets with addresses) costs it
 * resolveSrv + resolve4 + resolve6; that is shown as a reference row, without a goal.
 * Node's c-ares asks without EDNS and DnsClient with it (an OPT record: 53 bytes against
 * 42), which costs dnsmasq about a tenth more per answer; dnsmasq is single-threaded and the
 * bottleneck on an idle machine, so two reference rows show DnsClient.query without EDNS
 * (like for like on the wire) and dnsmasq's CPU per query from each client.
 *
 *   npm run bench -- dns      node --import tsx bench/dns.ts [--domains 1000] [--concurrency 64] [--rounds 3]
 *
 * Rounds interleave the clients so machine load hits them alike. Only 127.0.0.1.
 */
import { promises as dnsPromises } from 'node:dns';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { DnsClient, lookupSrv } from '../src/dns/index.js';
import { startDnsmasq } from '../test/fixtures/dns-dnsmasq.js';
import { manyDomainsZone } from '../test/fixtures/dns-zones.js';
import { blackboxAvailable, probeSucceeded, startBlackbox } from './lib/blackbox.js';
import { commandFor, figure, type BenchReport, type Figure } from './lib/figures.js';
import { load, summarize, type Sample } from './lib/measure.js';
import { benchMain } from './lib/main.js';

const BENCH = 'dns';
/** Operations per warm-up batch. */
const WARM_UP = 1000;

export async function run(options: {
  domains: number;
  concurrency: number;
  rounds: number;
}): Promise<BenchReport> {
  const { domains: n, concurrency, rounds } = options;
  const { domains, data } = manyDomainsZone(n);
  const srvNames = domains.map((d) => `_vlmcs._tcp.${d}`);
  const dnsmasq = await startDnsmasq(data);
  const resolver = dnsmasq.resolver;
  let client = new DnsClient();
  let plainClient = new DnsClient({ edns: false });
  const figures: Figure[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  const one = domains[0] as string;
  const oneName = srvNames[0] as string;
  const bb = blackboxAvailable()
    ? await startBlackbox({
        srv: {
          prober: 'dns',
          timeout: '5s',
          dns: {
            query_name: oneName,
            query_type: 'SRV',
            transport_protocol: 'udp',
            preferred_ip_protocol: 'ip4',
            ip_protocol_fallback: false,
            recursion_desired: true,
          },
        },
      })
    : null;
  if (!bb) notes.push('prometheus-blackbox-exporter is not installed: its baseline is missing');

  const kinds = {
    lookupSrv: (i: number) =>
      lookupSrv(domains[i % n] as string, { resolvers: [resolver], client }).then(
        (r) => r[0]?.success === true && r[0].records.length === 1,
      ),
    query: (i: number) =>
      client
        .query(resolver, { name: srvNames[i % n] as string, type: 'SRV' })
        .then((a) => a.response.rcode === 'NOERROR'),
    // The query c-ares sends: Node's c-ares (1.34) asks without EDNS (42 bytes for the first
    // name, against DnsClient's 53 with its OPT record), and dnsmasq answers it without one.
    queryNoEdns: (i: number) =>
      plainClient
        .query(resolver, { name: srvNames[i % n] as string, type: 'SRV' })
        .then((a) => a.response.rcode === 'NOERROR'),
    cares: null as null | ((i: number) => Promise<boolean>),
    // The single-name comparison with blackbox_exporter: every client asks the same name.
    queryOne: () =>
      client
        .query(resolver, { name: oneName, type: 'SRV' })
        .then((a) => a.response.rcode === 'NOERROR'),
    caresOne: null as null | (() => Promise<boolean>),
    /** c-ares producing what lookupSrv returns: the SRV targets and their addresses. */
    caresFull: null as null | ((i: number) => Promise<boolean>),
    blackbox: () =>
      bb
        ? bb
            .get(`/probe?module=srv&target=127.0.0.1:${resolver.port}`)
            .then((r) => probeSucceeded(r.body))
        : Promise.resolve(false),
    http: () => (bb ? bb.get('/-/healthy').then((r) => r.status === 200) : Promise.resolve(false)),
  };
  const samples: Record<string, Sample[]> = {};
  // dnsmasq is single-threaded and, on an idle machine, the bottleneck (~60 us of its CPU
  // per answer here): what a client's query costs the server bounds the client's rate as
  // much as the client's own CPU does. Linux reports a process's CPU time in ns.
  const serverNs = (): number | null => {
    try {
      return Number(readFileSync(`/proc/${dnsmasq.pid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      return null;
    }
  };
  const serverMsPerOp: Record<string, number[]> = {};
  const measureServer = async (k: string, work: (i: number) => Promise<boolean>) => {
    const before = serverNs();
    const sample = await load(work, { concurrency, count: n });
    const after = serverNs();
    if (before !== null && after !== null) {
      (serverMsPerOp[k] ??= []).push((after - before) / 1e6 / sample.latenciesMs.length);
    }
    add(k, sample);
  };
  const bbCpu: number[] = [];
  const add = (k: string, s: Sample): void => {
    (samples[k] ??= []).push(s);
  };
  try {
    // Warm-up: JIT, dnsmasq's first answers, blackbox's first connections. The monitor is
    // a long-running process; 300 lookups left its code half-optimized (CPU per lookupSrv
    // fell from ~0.26 to ~0.07 ms over the first five rounds of 1000), which c-ares, native
    // code, never pays. Several thousand of each bring both clients to their steady state.
    await load(kinds.lookupSrv, { concurrency, count: 5 * WARM_UP });
    await load(kinds.query, { concurrency, count: 5 * WARM_UP });
    if (bb) await load(kinds.blackbox, { concurrency, count: 300 });
    // c-ares itself is native, but Node's resolveSrv wraps it in JavaScript (the promise,
    // the result objects): it gets the same number of warm-up lookups as DnsClient.
    {
      const warm = new dnsPromises.Resolver({ timeout: 5000, tries: 2 });
      warm.setServers([`127.0.0.1:${resolver.port}`]);
      await load((i) => warm.resolveSrv(srvNames[i % n] as string).then(() => true), {
        concurrency,
        count: 5 * WARM_UP,
      });
      warm.cancel();
    }
    for (let round = 0; round < rounds; round++) {
      // Cold: a new DnsClient and a new c-ares channel, each name asked for the first time
      // by that client (sockets opened). Warm: the same client and channel asking the same
      // names again, sockets open. Neither caches answers: Node's c-ares channel asks the
      // server every time (checked: with dnsmasq stopped a repeated resolveSrv fails).
      const newChannel = (): InstanceType<typeof dnsPromises.Resolver> => {
        const channel = new dnsPromises.Resolver({ timeout: 5000, tries: 2 });
        channel.setServers([`127.0.0.1:${resolver.port}`]);
        return channel;
      };
      const cares = newChannel();
      kinds.cares = (i) => cares.resolveSrv(srvNames[i % n] as string).then((r) => r.length === 1);
      kinds.caresOne = () => cares.resolveSrv(oneName).then((r) => r.length === 1);
      const caresFullChannel = newChannel();
      kinds.caresFull = async (i) => {
        const srv = await caresFullChannel.resolveSrv(srvNames[i % n] as string);
        const addresses = await Promise.all(
          srv.flatMap((r) => [
            caresFullChannel.resolve4(r.name),
            caresFullChannel.resolve6(r.name),
          ]),
        );
        return srv.length === 1 && addresses.flat().length === 2;
      };
      client = new DnsClient();
      add('queryCold', await load(kinds.query, { concurrency, count: n }));
      add('caresCold', await load(kinds.cares, { concurrency, count: n }));
      client = new DnsClient();
      add('lookupSrvCold', await load(kinds.lookupSrv, { concurrency, count: n }));
      add('caresFullCold', await load(kinds.caresFull, { concurrency, count: n }));
      add('lookupSrv', await load(kinds.lookupSrv, { concurrency, count: n }));
      add('caresFull', await load(kinds.caresFull, { concurrency, count: n }));
      await measureServer('query', kinds.query);
      await measureServer('cares', kinds.cares);
      plainClient = new DnsClient({ edns: false });
      await measureServer('queryNoEdns', kinds.queryNoEdns);
      add('queryOne', await load(kinds.queryOne, { concurrency, count: n }));
      add('caresOne', await load(kinds.caresOne, { concurrency, count: n }));
      if (bb) {
        const cpu0 = bb.cpuSeconds();
        add('blackbox', await load(kinds.blackbox, { concurrency, count: n }));
        bbCpu.push(bb.cpuSeconds() - cpu0);
        add('http', await load(kinds.http, { concurrency, count: n }));
      }
      cares.cancel();
      caresFullChannel.cancel();
    }
  } finally {
    await bb?.stop();
    await dnsmasq.stop();
  }
  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
  for (const [k, v] of Object.entries(s)) {
    if (v.failures > 0) failures.push(`${k}: ${v.failures} of ${v.count} lookups failed`);
  }
  const command = commandFor(BENCH);
  const cares = s['cares'];
  const query = s['query'];
  const lookup = s['lookupSrv'];
  const queryCold = s['queryCold'];
  const caresCold = s['caresCold'];
  const lookupCold = s['lookupSrvCold'];
  if (cares && query && lookup && queryCold && caresCold && lookupCold) {
    const caresBase = { name: 'c-ares resolveSrv, same names', value: cares.perSecond, unit: '/s' };
    const caresColdBase = {
      name: 'c-ares resolveSrv, same names, new channel',
      value: caresCold.perSecond,
      unit: '/s',
    };
    figures.push(
      figure({
        id: `${BENCH}.query.cold.rate`,
        bench: BENCH,
        name: `SRV queries/s cold (new client), DnsClient.query (${n} names, ${concurrency} in flight)`,
        value: queryCold.perSecond,
        unit: '/s',
        better: 'higher',
        baseline: caresColdBase,
        goal: { text: 'at or above c-ares', met: queryCold.perSecond >= caresCold.perSecond },
        command,
      }),
      figure({
        id: `${BENCH}.lookupSrv.cold.rate`,
        bench: BENCH,
        name: `SRV discoveries/s cold (new client), lookupSrv (${n} domains, ${concurrency} in flight)`,
        value: lookupCold.perSecond,
        unit: '/s',
        better: 'higher',
        baseline: caresColdBase,
        goal: {
          text: '≥ 0.8× c-ares',
          met: lookupCold.perSecond >= 0.8 * caresCold.perSecond,
        },
        command,
      }),
      figure({
        id: `${BENCH}.query.rate`,
        bench: BENCH,
        name: `SRV queries/s warm, DnsClient.query (${n} names, ${concurrency} in flight)`,
        value: query.perSecond,
        unit: '/s',
        better: 'higher',
        baseline: caresBase,
        goal: { text: 'at or above c-ares', met: query.perSecond >= cares.perSecond },
        command,
      }),
      figure({
        id: `${BENCH}.lookupSrv.rate`,
        bench: BENCH,
        name: `SRV discoveries/s warm, lookupSrv (${n} domains, ${concurrency} in flight)`,
        value: lookup.perSecond,
        unit: '/s',
        better: 'higher',
        baseline: caresBase,
        goal: { text: '≥ 0.8× c-ares', met: lookup.perSecond >= 0.8 * cares.perSecond },
        command,
      }),
      figure({
        id: `${BENCH}.query.p50`,
        bench: BENCH,
        name: `SRV query latency p50 at ${concurrency} in flight, DnsClient.query`,
        value: query.p50,
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'c-ares resolveSrv p50', value: cares.p50, unit: 'ms' },
        command,
      }),
      figure({
        id: `${BENCH}.query.cpu`,
        bench: BENCH,
        name: 'CPU per SRV query, DnsClient.query',
        value: query.cpuMsPerOp,
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'CPU per c-ares resolveSrv', value: cares.cpuMsPerOp, unit: 'ms' },
        command,
      }),
    );
  }
  const caresFull = s['caresFull'];
  const caresFullCold = s['caresFullCold'];
  if (lookup && lookupCold && caresFull && caresFullCold) {
    const sameResult = 'c-ares resolveSrv + resolve4 + resolve6 of the target (same result)';
    figures.push(
      figure({
        id: `${BENCH}.lookupSrv.cold.sameResult`,
        bench: BENCH,
        name: `SRV discoveries/s cold, lookupSrv, against c-ares doing its whole job (reference)`,
        value: lookupCold.perSecond,
        unit: '/s',
        better: 'higher',
        baseline: {
          name: `${sameResult}, new channel`,
          value: caresFullCold.perSecond,
          unit: '/s',
        },
        command,
      }),
      figure({
        id: `${BENCH}.lookupSrv.sameResult`,
        bench: BENCH,
        name: `SRV discoveries/s warm, lookupSrv, against c-ares doing its whole job (reference)`,
        value: lookup.perSecond,
        unit: '/s',
        better: 'higher',
        baseline: { name: sameResult, value: caresFull.perSecond, unit: '/s' },
        command,
      }),
      figure({
        id: `${BENCH}.lookupSrv.cpu`,
        bench: BENCH,
        name: 'CPU per SRV discovery, lookupSrv',
        value: lookup.cpuMsPerOp,
        unit: 'ms',
        better: 'lower',
        baseline: {
          name: 'CPU per c-ares resolveSrv',
          value: cares?.cpuMsPerOp ?? NaN,
          unit: 'ms',
        },
        command,
      }),
    );
  }
  const queryOne = s['queryOne'];
  const caresOne = s['caresOne'];
  const blackbox = s['blackbox'];
  const http = s['http'];
  if (queryOne && blackbox && http) {
    const bbCpuMs = (bbCpu.reduce((a, b) => a + b, 0) * 1000) / blackbox.count;
    figures.push(
      figure({
        id: `${BENCH}.blackbox.rate`,
        bench: BENCH,
        name: `SRV queries/s for one name, DnsClient.query (${concurrency} in flight)`,
        value: queryOne.perSecond,
        unit: '/s',
        better: 'higher',
        baseline: {
          name: `blackbox_exporter ${bb?.version ?? ''} dns probe, same name (via HTTP)`,
          value: blackbox.perSecond,
          unit: '/s',
        },
        command,
        note: `blackbox's HTTP round trip alone (/-/healthy, same concurrency): ${http.perSecond.toFixed(0)}/s, p50 ${http.p50.toFixed(3)} ms — the ceiling of any probe through its HTTP API`,
      }),
      figure({
        id: `${BENCH}.blackbox.cpu`,
        bench: BENCH,
        name: 'CPU per SRV query for one name, DnsClient.query',
        value: queryOne.cpuMsPerOp,
        unit: 'ms',
        better: 'lower',
        baseline: {
          name: 'blackbox_exporter CPU per dns probe (its process only, HTTP included)',
          value: bbCpuMs,
          unit: 'ms',
        },
        command,
      }),
    );
    if (caresOne) {
      notes.push(
        `one name: DnsClient.query ${queryOne.perSecond.toFixed(0)}/s, c-ares ${caresOne.perSecond.toFixed(0)}/s, blackbox ${blackbox.perSecond.toFixed(0)}/s (HTTP alone ${http.perSecond.toFixed(0)}/s)`,
      );
    }
  }
  const queryNoEdns = s['queryNoEdns'];
  if (queryNoEdns && cares) {
    figures.push(
      figure({
        id: `${BENCH}.query.noEdns.rate`,
        bench: BENCH,
        name: `SRV queries/s warm, DnsClient.query without EDNS: the 42-byte query c-ares sends (reference: like for like on the wire)`,
        value: queryNoEdns.perSecond,
        unit: '/s',
        better: 'higher',
        baseline: { name: 'c-ares resolveSrv, same names', value: cares.perSecond, unit: '/s' },
        command,
      }),
    );
  }
  const serverMs = (k: string): number =>
    (serverMsPerOp[k] ?? []).reduce((a, b) => a + b, 0) / (serverMsPerOp[k]?.length ?? NaN);
  if (serverMsPerOp['query'] && serverMsPerOp['cares']) {
    figures.push(
      figure({
        id: `${BENCH}.query.serverCpu`,
        bench: BENCH,
        name: 'dnsmasq CPU per SRV query from DnsClient.query (EDNS, 53 bytes)',
        value: serverMs('query'),
        unit: 'ms',
        better: 'lower',
        baseline: {
          name: 'dnsmasq CPU per c-ares resolveSrv query (no EDNS, 42 bytes)',
          value: serverMs('cares'),
          unit: 'ms',
        },
        command,
        note: `without EDNS, DnsClient's query costs dnsmasq ${serverMs('queryNoEdns').toFixed(4)} ms`,
      }),
    );
  }
  notes.push(
    `node ${process.version}, c-ares ${process.versions.ares}, dnsmasq on 127.0.0.1; ${rounds} rounds; load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  void one;
  return { bench: BENCH, figures, notes, failures };
}

await benchMain(import.meta.url, { domains: 1000, concurrency: 64, rounds: 3 }, run);
