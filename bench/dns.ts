/**
 * (2) SRV lookups per second against a local DNS server, next to two baselines measured in
 * the same run over the same names:
 *  - Node's own resolver, c-ares (`dns.promises.Resolver#resolveSrv`, setServers to it);
 *  - Debian's prometheus-blackbox-exporter DNS prober (`query_type: SRV` for one name),
 *    driven over HTTP on keep-alive connections; its HTTP cost alone (`/-/healthy` at the
 *    same concurrency) is measured too and named next to the figure.
 * "DnsClient.query" is one SRV query — the work c-ares and blackbox do. "lookupSrv" is the
 * monitor's full discovery (SRV, CNAME handling, RFC 2782 order, addresses). Both servers
 * put every target's A and AAAA in the additional section, so lookupSrv sends one SRV query
 * here, like resolveSrv: its goal stays against resolveSrv. c-ares never reads the
 * additional section, so getting the same result (targets with addresses) costs it
 * resolveSrv + resolve4 + resolve6; that is shown as a reference row, without a goal.
 *
 * Two servers serve the same 1,000 SRV records and their targets' A/AAAA:
 *  - Knot DNS (test/fixtures/dns-knot.ts): authoritative, the zone compiled into a tree,
 *    two UDP threads; ~15 us of its CPU per answer. The goal rows are measured here: the
 *    server costs less than either client, so the rate measures the clients.
 *  - dnsmasq (test/fixtures/dns-dnsmasq.ts), as reference rows: single-threaded, its
 *    srv-host records a list walked per query, so its CPU per answer grows with their
 *    number (~15 us at 10 records, ~50-70 us at 1,000) and, at 1,000, it is the
 *    bottleneck: those rows measure dnsmasq more than the clients. Node's c-ares asks
 *    without EDNS and DnsClient with it (53 bytes against 42), which costs dnsmasq about a
 *    tenth more per answer; a reference row shows DnsClient.query without EDNS.
 * Every load run reads the server's CPU time (all its threads, /proc) and reports it per
 * answer beside the rows, so a reader sees which side bounded the rate.
 *
 * Fairness on a small machine (the server, the client and the bench share the cores):
 * the same names, the same concurrency, the same number of operations for both clients;
 * each round runs both servers, in alternating order, and within a server each DnsClient
 * row is paired with its c-ares row, the pair's order alternating per round too. The goal
 * rows name every round's ratio, so a reader can see whether it is stable.
 *
 *   npm run bench -- dns      node --import tsx bench/dns.ts [--domains 1000] [--concurrency 64] [--rounds 5]
 *
 * Only 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { promises as dnsPromises } from 'node:dns';
import os from 'node:os';
import { DnsClient, lookupSrv } from '../src/dns/index.js';
import { DNSMASQ_BINARY, startDnsmasq } from '../test/fixtures/dns-dnsmasq.js';
import { KNOTD_BINARY, knotAvailable, knotVersion, startKnot } from '../test/fixtures/dns-knot.js';
import { manyDomainsZone } from '../test/fixtures/dns-zones.js';
import { blackboxAvailable, probeSucceeded, startBlackbox } from './lib/blackbox.js';
import { commandFor, figure, type BenchReport, type Figure } from './lib/figures.js';
import { load, summarize, type Sample } from './lib/measure.js';
import { benchMain } from './lib/main.js';
import { processCpuNs } from './lib/process-cpu.js';

const BENCH = 'dns';
/** Operations per warm-up batch. */
const WARM_UP = 1000;

/** A server under test: its key in the sample names, its process, where to ask it. */
interface Server {
  key: 'knot' | 'dnsmasq';
  pid: number;
  resolver: { address: string; port: number };
}
type CaresChannel = InstanceType<typeof dnsPromises.Resolver>;

function dnsmasqVersion(): string {
  const text = execFileSync(DNSMASQ_BINARY, ['--version'], { encoding: 'utf8' });
  return /version (\S+)/.exec(text)?.[1] ?? 'unknown';
}

export async function run(options: {
  domains: number;
  concurrency: number;
  rounds: number;
}): Promise<BenchReport> {
  const { domains: n, concurrency, rounds } = options;
  const { domains, data } = manyDomainsZone(n);
  const srvNames = domains.map((d) => `_vlmcs._tcp.${d}`);
  const figures: Figure[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  if (!knotAvailable()) {
    failures.push(`${KNOTD_BINARY} is not installed (apt-get install knot): no goal rows`);
  }
  const dnsmasq = await startDnsmasq(data);
  const knot = knotAvailable() ? await startKnot(data, { origin: 'many.test' }) : null;
  const servers: Server[] = [{ key: 'dnsmasq', pid: dnsmasq.pid, resolver: dnsmasq.resolver }];
  if (knot) servers.unshift({ key: 'knot', pid: knot.pid, resolver: knot.resolver });
  const oneName = srvNames[0] as string;
  const resolver = dnsmasq.resolver;
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

  const samples: Record<string, Sample[]> = {};
  const serverMsPerOp: Record<string, number[]> = {};
  const add = (k: string, s: Sample): void => {
    (samples[k] ??= []).push(s);
  };
  /** One load run of `count` operations, with the server's CPU per answer beside it. */
  const measure = async (
    server: Server,
    k: string,
    work: (i: number) => Promise<boolean>,
  ): Promise<void> => {
    const before = processCpuNs(server.pid);
    const sample = await load(work, { concurrency, count: n });
    const after = processCpuNs(server.pid);
    if (before !== null && after !== null) {
      (serverMsPerOp[`${server.key}.${k}`] ??= []).push(
        (after - before) / 1e6 / sample.latenciesMs.length,
      );
    }
    add(`${server.key}.${k}`, sample);
  };
  const newChannel = (server: Server): InstanceType<typeof dnsPromises.Resolver> => {
    const channel = new dnsPromises.Resolver({ timeout: 5000, tries: 2 });
    channel.setServers([`127.0.0.1:${server.resolver.port}`]);
    return channel;
  };
  const kinds = (server: Server, client: DnsClient, cares: CaresChannel) => ({
    lookupSrv: (i: number) =>
      lookupSrv(domains[i % n] as string, { resolvers: [server.resolver], client }).then(
        (r) => r[0]?.success === true && r[0].records.length === 1,
      ),
    query: (i: number) =>
      client
        .query(server.resolver, { name: srvNames[i % n] as string, type: 'SRV' })
        .then((a) => a.response.rcode === 'NOERROR'),
    cares: (i: number) => cares.resolveSrv(srvNames[i % n] as string).then((r) => r.length === 1),
    /** c-ares producing what lookupSrv returns: the SRV targets and their addresses. */
    caresFull: async (i: number) => {
      const srv = await cares.resolveSrv(srvNames[i % n] as string);
      const addresses = await Promise.all(
        srv.flatMap((r) => [cares.resolve4(r.name), cares.resolve6(r.name)]),
      );
      return srv.length === 1 && addresses.flat().length === 2;
    },
  });
  /** Runs a DnsClient row and its c-ares row back to back, in the order of this round. */
  const pair = async (
    server: Server,
    round: number,
    ours: [string, (i: number) => Promise<boolean>],
    theirs: [string, (i: number) => Promise<boolean>],
  ): Promise<void> => {
    for (const [k, work] of round % 2 === 0 ? [ours, theirs] : [theirs, ours]) {
      await measure(server, k, work);
    }
  };
  const bbCpu: number[] = [];
  try {
    // Warm-up: JIT, the servers' first answers, blackbox's first connections. The monitor is
    // a long-running process; 300 lookups left its code half-optimized (CPU per lookupSrv
    // fell from ~0.26 to ~0.07 ms over the first five rounds of 1000), which c-ares, native
    // code, never pays. Several thousand of each bring both clients to their steady state.
    // c-ares itself is native, but Node's resolveSrv wraps it in JavaScript (the promise,
    // the result objects): it gets the same number of warm-up lookups as DnsClient.
    for (const server of servers) {
      const warm = newChannel(server);
      const k = kinds(server, new DnsClient(), warm);
      const count = server === servers[0] ? 5 * WARM_UP : WARM_UP;
      await load(k.lookupSrv, { concurrency, count });
      await load(k.query, { concurrency, count });
      await load(k.cares, { concurrency, count });
      warm.cancel();
    }
    if (bb) await load(() => bbProbe(), { concurrency, count: 300 });
    for (let round = 0; round < rounds; round++) {
      // Cold: a new DnsClient and a new c-ares channel, each name asked for the first time
      // by that client (sockets opened). Warm: the same client and channel asking the same
      // names again, sockets open. Neither caches answers: Node's c-ares channel asks the
      // server every time (checked: with dnsmasq stopped a repeated resolveSrv fails).
      for (const server of round % 2 === 0 ? servers : [...servers].reverse()) {
        const cares = newChannel(server);
        const caresFull = newChannel(server);
        let k = kinds(server, new DnsClient(), cares);
        await pair(server, round, ['queryCold', k.query], ['caresCold', k.cares]);
        k = { ...kinds(server, new DnsClient(), caresFull), cares: k.cares };
        await pair(server, round, ['lookupSrvCold', k.lookupSrv], ['caresFullCold', k.caresFull]);
        await pair(server, round, ['lookupSrv', k.lookupSrv], ['caresFull', k.caresFull]);
        await pair(server, round, ['query', k.query], ['cares', k.cares]);
        cares.cancel();
        caresFull.cancel();
      }
      // References on dnsmasq only: the query c-ares sends, and one name for blackbox.
      const plainClient = new DnsClient({ edns: false });
      const dnsmasqServer = servers.find((x) => x.key === 'dnsmasq') as Server;
      // Node's c-ares (1.34) asks without EDNS (42 bytes for the first name, against
      // DnsClient's 53 with its OPT record), and dnsmasq answers it without one.
      await measure(dnsmasqServer, 'queryNoEdns', (i) =>
        plainClient
          .query(resolver, { name: srvNames[i % n] as string, type: 'SRV' })
          .then((a) => a.response.rcode === 'NOERROR'),
      );
      const one = new DnsClient();
      const caresOneChannel = newChannel(dnsmasqServer);
      await measure(dnsmasqServer, 'queryOne', () =>
        one
          .query(resolver, { name: oneName, type: 'SRV' })
          .then((a) => a.response.rcode === 'NOERROR'),
      );
      await measure(dnsmasqServer, 'caresOne', () =>
        caresOneChannel.resolveSrv(oneName).then((r) => r.length === 1),
      );
      caresOneChannel.cancel();
      if (bb) {
        const cpu0 = bb.cpuSeconds();
        add('blackbox', await load(() => bbProbe(), { concurrency, count: n }));
        bbCpu.push(bb.cpuSeconds() - cpu0);
        add(
          'http',
          await load(() => bb.get('/-/healthy').then((r) => r.status === 200), {
            concurrency,
            count: n,
          }),
        );
      }
    }
  } finally {
    await bb?.stop();
    await knot?.stop();
    await dnsmasq.stop();
  }
  function bbProbe(): Promise<boolean> {
    return bb
      ? bb
          .get(`/probe?module=srv&target=127.0.0.1:${resolver.port}`)
          .then((r) => probeSucceeded(r.body))
      : Promise.resolve(false);
  }
  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
  for (const [k, v] of Object.entries(s)) {
    if (v.failures > 0) failures.push(`${k}: ${v.failures} of ${v.count} lookups failed`);
  }
  const command = commandFor(BENCH);
  const loadNow = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const serverMs = (k: string): number => {
    const v = serverMsPerOp[k] ?? [];
    return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
  };
  /** Each round's rate ratio ours/theirs: the goal rows show whether it is stable. */
  const perRound = (ours: string, theirs: string): string =>
    (samples[ours] ?? [])
      .map((o, i) => {
        const t = samples[theirs]?.[i];
        return t ? `×${(summarize([o]).perSecond / summarize([t]).perSecond).toFixed(2)}` : '';
      })
      .join(' ');
  const serverNames: Record<string, string> = {
    knot: `Knot DNS ${knot ? knotVersion() : ''}, 2 UDP threads`,
    dnsmasq: `dnsmasq ${dnsmasqVersion()}, 1 thread`,
  };
  /** The cold and warm rate rows of one server; goals only where the server is not the bottleneck. */
  const rateRows = (server: string, goals: boolean): void => {
    const on = serverNames[server] as string;
    const prefix = server === 'knot' ? BENCH : `${BENCH}.${server}`;
    const rows = [
      {
        ours: 'queryCold',
        theirs: 'caresCold',
        id: 'query.cold.rate',
        what: 'SRV queries/s cold (new client), DnsClient.query',
        factor: 1,
        theirName: 'c-ares resolveSrv, same names, new channel',
      },
      {
        ours: 'lookupSrvCold',
        theirs: 'caresCold',
        id: 'lookupSrv.cold.rate',
        what: 'SRV discoveries/s cold (new client), lookupSrv',
        factor: 0.8,
        theirName: 'c-ares resolveSrv, same names, new channel',
      },
      {
        ours: 'query',
        theirs: 'cares',
        id: 'query.rate',
        what: 'SRV queries/s warm, DnsClient.query',
        factor: 1,
        theirName: 'c-ares resolveSrv, same names',
      },
      {
        ours: 'lookupSrv',
        theirs: 'cares',
        id: 'lookupSrv.rate',
        what: 'SRV discoveries/s warm, lookupSrv',
        factor: 0.8,
        theirName: 'c-ares resolveSrv, same names',
      },
    ];
    for (const row of rows) {
      const ours = s[`${server}.${row.ours}`];
      const theirs = s[`${server}.${row.theirs}`];
      if (!ours || !theirs) continue;
      const cpu = `${on} CPU per answer: ${serverMs(`${server}.${row.ours}`).toFixed(4)} ms to ${row.ours}, ${serverMs(`${server}.${row.theirs}`).toFixed(4)} ms to c-ares; client CPU per operation ${ours.cpuMsPerOp.toFixed(4)} against c-ares ${theirs.cpuMsPerOp.toFixed(4)} ms`;
      figures.push(
        figure({
          id: `${prefix}.${row.id}`,
          bench: BENCH,
          name: `${row.what}, against ${on} (${n} names, ${concurrency} in flight)${goals ? '' : ' (reference: the server is the bottleneck)'}`,
          value: ours.perSecond,
          unit: '/s',
          better: 'higher',
          baseline: { name: `${row.theirName}, same server`, value: theirs.perSecond, unit: '/s' },
          ...(goals
            ? {
                goal: {
                  text: row.factor === 1 ? 'at or above c-ares' : `≥ ${row.factor}× c-ares`,
                  met: ours.perSecond >= row.factor * theirs.perSecond,
                },
              }
            : {}),
          command,
          note: `${cpu}; rounds ${perRound(`${server}.${row.ours}`, `${server}.${row.theirs}`)}; load ${loadNow}`,
        }),
      );
    }
  };
  if (knot) rateRows('knot', true);
  rateRows('dnsmasq', false);

  const fast = knot ? 'knot' : 'dnsmasq';
  const cares = s[`${fast}.cares`];
  const query = s[`${fast}.query`];
  const lookup = s[`${fast}.lookupSrv`];
  const lookupCold = s[`${fast}.lookupSrvCold`];
  const caresFull = s[`${fast}.caresFull`];
  const caresFullCold = s[`${fast}.caresFullCold`];
  if (cares && query) {
    figures.push(
      figure({
        id: `${BENCH}.query.p50`,
        bench: BENCH,
        name: `SRV query latency p50 at ${concurrency} in flight, DnsClient.query (${serverNames[fast]})`,
        value: query.p50,
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'c-ares resolveSrv p50', value: cares.p50, unit: 'ms' },
        command,
      }),
      figure({
        id: `${BENCH}.query.cpu`,
        bench: BENCH,
        name: `CPU per SRV query, DnsClient.query (${serverNames[fast]})`,
        value: query.cpuMsPerOp,
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'CPU per c-ares resolveSrv', value: cares.cpuMsPerOp, unit: 'ms' },
        command,
      }),
    );
  }
  if (cares && lookup && lookupCold && caresFull && caresFullCold) {
    const sameResult = 'c-ares resolveSrv + resolve4 + resolve6 of the target (same result)';
    figures.push(
      figure({
        id: `${BENCH}.lookupSrv.cold.sameResult`,
        bench: BENCH,
        name: `SRV discoveries/s cold, lookupSrv, against c-ares doing its whole job (reference; ${serverNames[fast]})`,
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
        name: `SRV discoveries/s warm, lookupSrv, against c-ares doing its whole job (reference; ${serverNames[fast]})`,
        value: lookup.perSecond,
        unit: '/s',
        better: 'higher',
        baseline: { name: sameResult, value: caresFull.perSecond, unit: '/s' },
        command,
      }),
      figure({
        id: `${BENCH}.lookupSrv.cpu`,
        bench: BENCH,
        name: `CPU per SRV discovery, lookupSrv (${serverNames[fast]})`,
        value: lookup.cpuMsPerOp,
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'CPU per c-ares resolveSrv', value: cares.cpuMsPerOp, unit: 'ms' },
        command,
      }),
    );
  }
  if (knot) {
    figures.push(
      figure({
        id: `${BENCH}.knot.query.serverCpu`,
        bench: BENCH,
        name: `Knot DNS CPU per SRV query from DnsClient.query (all its threads; warm)`,
        value: serverMs('knot.query'),
        unit: 'ms',
        better: 'lower',
        baseline: {
          name: 'Knot DNS CPU per c-ares resolveSrv query',
          value: serverMs('knot.cares'),
          unit: 'ms',
        },
        command,
        note: `the clients' own CPU per query: DnsClient ${query?.cpuMsPerOp.toFixed(4) ?? '?'} ms, c-ares ${cares?.cpuMsPerOp.toFixed(4) ?? '?'} ms`,
      }),
    );
  }
  const queryOne = s['dnsmasq.queryOne'];
  const caresOne = s['dnsmasq.caresOne'];
  const blackbox = s['blackbox'];
  const http = s['http'];
  if (queryOne && blackbox && http) {
    const bbCpuMs = (bbCpu.reduce((a, b) => a + b, 0) * 1000) / blackbox.count;
    figures.push(
      figure({
        id: `${BENCH}.blackbox.rate`,
        bench: BENCH,
        name: `SRV queries/s for one name, DnsClient.query (${concurrency} in flight, dnsmasq)`,
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
  const queryNoEdns = s['dnsmasq.queryNoEdns'];
  const dnsmasqCares = s['dnsmasq.cares'];
  if (queryNoEdns && dnsmasqCares) {
    figures.push(
      figure({
        id: `${BENCH}.query.noEdns.rate`,
        bench: BENCH,
        name: `SRV queries/s warm, DnsClient.query without EDNS against dnsmasq: the 42-byte query c-ares sends (reference: like for like on the wire)`,
        value: queryNoEdns.perSecond,
        unit: '/s',
        better: 'higher',
        baseline: {
          name: 'c-ares resolveSrv, same names, dnsmasq',
          value: dnsmasqCares.perSecond,
          unit: '/s',
        },
        command,
      }),
    );
  }
  if (serverMsPerOp['dnsmasq.query'] && serverMsPerOp['dnsmasq.cares']) {
    figures.push(
      figure({
        id: `${BENCH}.query.serverCpu`,
        bench: BENCH,
        name: 'dnsmasq CPU per SRV query from DnsClient.query (EDNS, 53 bytes)',
        value: serverMs('dnsmasq.query'),
        unit: 'ms',
        better: 'lower',
        baseline: {
          name: 'dnsmasq CPU per c-ares resolveSrv query (no EDNS, 42 bytes)',
          value: serverMs('dnsmasq.cares'),
          unit: 'ms',
        },
        command,
        note: `without EDNS, DnsClient's query costs dnsmasq ${serverMs('dnsmasq.queryNoEdns').toFixed(4)} ms`,
      }),
    );
  }
  notes.push(
    `node ${process.version}, c-ares ${process.versions.ares}, ${servers.map((x) => serverNames[x.key]).join(' and ')} on 127.0.0.1; ${rounds} rounds; load ${loadNow}`,
  );
  return { bench: BENCH, figures, notes, failures };
}

await benchMain(import.meta.url, { domains: 1000, concurrency: 64, rounds: 5 }, run);
