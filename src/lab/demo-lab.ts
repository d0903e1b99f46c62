/**
 * The demo lab: everything `kms-monitor demo` needs, on loopback, in this process. Two lab
 * DNS servers (resolver A and resolver B) serve one zone per scenario of demo-scenarios.ts,
 * lab KMS hosts answer at the ports the SRV records name, and a monitor configuration
 * points at all of it. SRV targets resolve through the lab zones (glue in the additional
 * section), so nothing ever asks the system resolver.
 */
import { stringify } from 'yaml';
import { parseConfig } from '../config/load.js';
import type { Config, ConfigInput } from '../config/schema.js';
import type { CounterName } from '../kms/products/index.js';
import { addressRecords, kmsSrvRecord, startDnsZoneServer } from './dns-zone-server.js';
import type { DnsZoneServer, ZoneRecord } from './dns-zone-server.js';
import {
  DEMO_EPIDS,
  DEMO_OFFICE_LTSC_2024_EPID,
  DEMO_PLANNED_PRODUCTS,
  DEMO_PRODUCTS,
  DEMO_SCENARIOS,
} from './demo-scenarios.js';
import type { DemoCount, DemoHostSpec, DemoResolver, DemoScenario } from './demo-scenarios.js';
import { freePort } from './free-port.js';
import { DEFAULT_LAB_EPIDS, withEpidSerial } from './host-config.js';
import { startLabKmsHost } from './kms-host.js';
import type { LabKmsHost } from './kms-host.js';
import { labProductConfigs } from './lab-products.js';
import { loopbackListenAddress } from './loopback.js';
import { GENUINE_CLOCK_WINDOW_MINUTES, LAB_PERSONALITIES } from './personalities.js';
import { Serial } from './serial.js';

/** The monitor's identity in the demo: one fixed CMID, a workstation name hosts can log. */
export const DEMO_CMID = '1ab0de70-0000-4000-a000-000000000001';
export const DEMO_WORKSTATION = 'kms-monitor-demo';
export const DEMO_LISTEN_ADDRESS = '127.0.0.1:9688';
/** How often `kms-monitor demo` moves the counts. */
export const DEMO_DRIFT_EVERY_MS = 30_000;

/**
 * Each demo host is its own machine, as genuine hosts are: its own ePIDs (the serial
 * group of the lab ePID) and hardware ID. The monitor counts machines by them, so hosts
 * sharing one identity would look like one machine under several names.
 */
function demoHostIdentity(
  index: number,
  spec: DemoHostSpec,
): { epid: Record<CounterName, string>; productEpid: Record<string, string>; hwid: string } {
  // Only the key serial changes, so every demo host's key stays inside its real block.
  const serial = (base: string) =>
    withEpidSerial(base, (old) => `${old[0] ?? '0'}${String(index + 1).padStart(5, '0')}`);
  const office = spec.epid?.['office-2013+'];
  return {
    epid: {
      windows: serial(spec.epid?.windows ?? DEMO_EPIDS.windows),
      'office-2010': serial(DEFAULT_LAB_EPIDS['office-2010']),
      'office-2013+': serial(office ?? DEMO_EPIDS['office-2013+']),
    },
    // A second Office key, for the planned LTSC 2024 product: its answers carry that key's
    // ePID, as a genuine host's do. An emulator's personality keeps its own identity.
    productEpid: spec.personality
      ? {}
      : { 'lab-office-ltsc-2024': serial(DEMO_OFFICE_LTSC_2024_EPID) },
    hwid: `1AB0C0FFEE${(index + 1).toString(16).toUpperCase().padStart(6, '0')}`,
  };
}

export interface DemoLabOptions {
  /** Loopback address of every lab server (default 127.0.0.1). */
  address?: string;
  /** Monitor schedule, as YAML durations (defaults 5s, 15s, 2s: a demo that moves). */
  interval?: string;
  kmsInterval?: string;
  timeout?: string;
  /** `web.listen_address` written into the configuration (default 127.0.0.1:9688). */
  listenAddress?: string;
  /** Call tick() this often; 0 or absent: only when the caller does (tests). */
  driftEveryMs?: number;
  /** Random source of the drift (default Math.random); tests pass a seeded one. */
  random?: () => number;
}

export interface DemoLabHost {
  spec: DemoHostSpec;
  scenario: DemoScenario['key'];
  /** The SRV target name. */
  host: string;
  port: number;
  /** The running lab host; null for a `down` host (nothing listens on its port). */
  kms: LabKmsHost | null;
  /** The prefill counts in force (what tick() last set). */
  counts: { windows: number; 'office-2013+': number };
}

/** Changing what the lab's DNS publishes, on both resolvers at once. */
export interface DemoLabDns {
  /** Removes a host's `_vlmcs._tcp` record wherever it is published; returns records removed. */
  unpublish(hostId: string): number;
  /** Publishes it again as its scenario does (no duplicates if it is still there). */
  republish(hostId: string): void;
  /** Every zone back to the scenarios' data on both resolvers. */
  reset(): void;
}

export interface DemoLab {
  /** The validated configuration for the monitor (what `serve` would load from configYaml). */
  config: Config;
  /** The same configuration as written in YAML, before defaults. */
  configInput: ConfigInput;
  configYaml: string;
  resolvers: Readonly<Record<DemoResolver, DnsZoneServer>>;
  /** By host id (`healthy-kms1`, `stale-old-kms`, ...). */
  hosts: Readonly<Record<string, DemoLabHost>>;
  dns: DemoLabDns;
  scenarios: readonly DemoScenario[];
  /** Nudges every count within its scenario's bounds (a random walk of ±3). */
  tick(): Promise<void>;
  /** Stops the drift timer, every lab host and both DNS servers. Safe to call twice. */
  close(): Promise<void>;
}

const DRIFT_STEP = 3;

function srvOf(spec: DemoHostSpec, domain: string, port: number): ZoneRecord {
  return kmsSrvRecord(domain, {
    target: spec.name,
    port,
    priority: spec.priority ?? 0,
    weight: spec.weight ?? 100,
  });
}

/**
 * One scenario's zone as resolver `which` serves it: the SRV records it publishes, an A
 * record for every host (a host exists even where its SRV record is missing), and an
 * intranet name so the `norecord` zone is a real, non-empty zone.
 */
function zoneFor(
  scenario: DemoScenario,
  which: DemoResolver,
  ports: ReadonlyMap<string, number>,
  address: string,
): ZoneRecord[] {
  const records: ZoneRecord[] = addressRecords(`intranet.${scenario.domain}`, [address]);
  for (const spec of scenario.hosts) {
    const port = ports.get(spec.id) as number;
    if (spec.publishedBy.includes(which)) records.push(srvOf(spec, scenario.domain, port));
    records.push(...addressRecords(spec.name, [address]));
  }
  return records;
}

function configFor(
  resolvers: readonly string[],
  options: DemoLabOptions,
): { input: ConfigInput; yaml: string; config: Config } {
  const products = [
    ...labProductConfigs().filter((p) => (DEMO_PRODUCTS as readonly string[]).includes(p.slug)),
    ...labProductConfigs()
      .filter((p) => (DEMO_PLANNED_PRODUCTS as readonly string[]).includes(p.slug))
      .map((p) => ({ ...p, planned: true })),
  ];
  const input = {
    interval: options.interval ?? '5s',
    kms_interval: options.kmsInterval ?? '15s',
    timeout: options.timeout ?? '2s',
    concurrency: 16,
    domains: DEMO_SCENARIOS.map((s) => ({
      name: s.domain,
      resolvers: [...resolvers],
      ...(s.allowed ? { allowed_hosts: s.allowed.map((label) => `${label}.${s.domain}`) } : {}),
      ...(s.replaces ? { replaces: { ...s.replaces } } : {}),
    })),
    // The demo shows every authenticity check, the optional one too.
    trust: { clock_window_check: true },
    products,
    identity: { cmid: DEMO_CMID, workstation: DEMO_WORKSTATION },
    web: { listen_address: options.listenAddress ?? DEMO_LISTEN_ADDRESS },
  } satisfies ConfigInput;
  const yaml =
    '# kms-monitor demo lab: every domain, resolver and host below is on loopback.\n' +
    stringify(input);
  // Through the same parser as a configuration file: the demo cannot drift from the schema.
  return { input, yaml, config: parseConfig(yaml, '<demo lab>') };
}

function startCounts(spec: DemoHostSpec): DemoLabHost['counts'] {
  return {
    windows: spec.counts.windows?.start ?? 0,
    'office-2013+': spec.counts['office-2013+']?.start ?? 0,
  };
}

function drift(value: number, bounds: DemoCount | undefined, random: () => number): number {
  if (bounds === undefined) return value;
  const step = Math.round((random() * 2 - 1) * DRIFT_STEP);
  return Math.min(bounds.max, Math.max(bounds.min, value + step));
}

export async function startDemoLab(options: DemoLabOptions = {}): Promise<DemoLab> {
  const address = loopbackListenAddress(options.address);
  const random = options.random ?? Math.random;
  const started: Array<{ close(): Promise<void> }> = [];
  const closeStarted = () => Promise.all(started.map((s) => s.close().catch(() => undefined)));

  try {
    const hosts: Record<string, DemoLabHost> = {};
    const ports = new Map<string, number>();
    for (const scenario of DEMO_SCENARIOS) {
      for (const spec of scenario.hosts.filter((h) => !h.down)) {
        const counts = startCounts(spec);
        const kms = await startLabKmsHost({
          address,
          counts,
          ...demoHostIdentity(started.length, spec),
          ...(spec.refuse ? { refuse: spec.refuse } : {}),
          // An emulator brings its own identity; a genuine host keeps its clock window.
          ...(spec.personality
            ? LAB_PERSONALITIES[spec.personality]
            : { maxClockSkewMinutes: GENUINE_CLOCK_WINDOW_MINUTES }),
        });
        started.push(kms);
        ports.set(spec.id, kms.port);
        hosts[spec.id] = {
          spec,
          scenario: scenario.key,
          host: spec.name,
          port: kms.port,
          kms,
          counts,
        };
      }
    }
    // Stale records last: their ports were free a moment ago and stay free, since every
    // lab listener is already bound.
    for (const scenario of DEMO_SCENARIOS) {
      for (const spec of scenario.hosts.filter((h) => h.down)) {
        const port = await freePort(address);
        ports.set(spec.id, port);
        hosts[spec.id] = {
          spec,
          scenario: scenario.key,
          host: spec.name,
          port,
          kms: null,
          counts: startCounts(spec),
        };
      }
    }

    const zonesFor = (which: DemoResolver) =>
      Object.fromEntries(DEMO_SCENARIOS.map((s) => [s.domain, zoneFor(s, which, ports, address)]));
    const a = await startDnsZoneServer({ address, zones: zonesFor('a') });
    started.push(a);
    const b = await startDnsZoneServer({ address, zones: zonesFor('b') });
    started.push(b);
    const resolvers = { a, b };
    const { input, yaml, config } = configFor([a.resolver, b.resolver], options);

    const scenarioOf = (hostId: string) => {
      const entry = hosts[hostId];
      const scenario = DEMO_SCENARIOS.find((s) => s.key === entry?.scenario);
      if (!entry || !scenario) throw new RangeError(`no demo host ${JSON.stringify(hostId)}`);
      return { entry, scenario };
    };
    const dns: DemoLabDns = {
      unpublish(hostId) {
        const { entry, scenario } = scenarioOf(hostId);
        return (
          a.removeSrv(scenario.domain, entry.host, entry.port) +
          b.removeSrv(scenario.domain, entry.host, entry.port)
        );
      },
      republish(hostId) {
        const { entry, scenario } = scenarioOf(hostId);
        for (const which of entry.spec.publishedBy) {
          resolvers[which].removeSrv(scenario.domain, entry.host, entry.port);
          resolvers[which].addRecords(scenario.domain, [
            srvOf(entry.spec, scenario.domain, entry.port),
          ]);
        }
      },
      reset() {
        for (const which of ['a', 'b'] as const) {
          for (const [zone, records] of Object.entries(zonesFor(which))) {
            resolvers[which].setZone(zone, records);
          }
        }
      },
    };

    let closed = false;
    // Ticks run one after another: two configure() calls on a host never interleave.
    const ticks = new Serial();
    const tick = (): Promise<void> =>
      ticks.run(async () => {
        if (closed) return;
        for (const entry of Object.values(hosts)) {
          if (entry.kms === null) continue;
          entry.counts = {
            windows: drift(entry.counts.windows, entry.spec.counts.windows, random),
            'office-2013+': drift(
              entry.counts['office-2013+'],
              entry.spec.counts['office-2013+'],
              random,
            ),
          };
          await entry.kms.configure({ counts: entry.counts });
        }
      });
    const timer =
      options.driftEveryMs && options.driftEveryMs > 0
        ? setInterval(() => void tick().catch(() => undefined), options.driftEveryMs)
        : null;

    return {
      config,
      configInput: input,
      configYaml: yaml,
      resolvers,
      hosts,
      dns,
      scenarios: DEMO_SCENARIOS,
      tick,
      async close() {
        if (closed) return;
        closed = true;
        if (timer !== null) clearInterval(timer);
        await ticks.idle();
        await closeStarted();
      },
    };
  } catch (error) {
    await closeStarted();
    throw error;
  }
}
