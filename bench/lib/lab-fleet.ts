/**
 * A lab fleet for whole-monitor benchmarks: `domains` zones, each publishing `perDomain`
 * `_vlmcs._tcp` targets whose A records spread over `hosts` lab KMS hosts listening on
 * 127.0.0.x addresses, all on one port (so every SRV record can name it). The zone server
 * and the hosts run in one child process (bench/lab-child.ts).
 */
import { addressRecords, kmsSrvRecord, type ZoneRecord } from '../../src/lab/dns-zone-server.js';
import { freePort } from '../../src/lab/free-port.js';
import { startLabProcess, type LabProcess } from './lab-process.js';

export interface Fleet {
  lab: LabProcess;
  domains: string[];
  /** `127.0.0.1:PORT` of the zone server. */
  resolver: string;
  targets: number;
}

export function fleetAddresses(hosts: number, base = 30): string[] {
  return Array.from({ length: hosts }, (_, i) => `127.0.0.${base + 1 + i}`);
}

export async function startFleet(options: {
  domains: number;
  perDomain: number;
  hosts: number;
  base?: number;
}): Promise<Fleet> {
  const addresses = fleetAddresses(options.hosts, options.base);
  const domains = Array.from({ length: options.domains }, (_, i) => `d${i}.bench.kms-lab.test`);
  const records: Record<string, ZoneRecord[]> = {};
  let n: number;
  let lastError: unknown;
  // One port for every host: a port free on the first address may be taken on another;
  // then try again with another port.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort(addresses[0]);
    n = 0;
    for (const domain of domains) {
      const zone: ZoneRecord[] = [];
      for (let j = 0; j < options.perDomain; j++) {
        const target = `kms${j + 1}.${domain}`;
        zone.push(kmsSrvRecord(domain, { target, port, priority: j, weight: 10 }));
        zone.push(...addressRecords(target, [addresses[n++ % addresses.length] as string]));
      }
      records[domain] = zone;
    }
    try {
      const lab = await startLabProcess({
        hosts: addresses.map((address) => ({ address, port, maxConnections: 4096 })),
        zones: { address: '127.0.0.1', records },
      });
      return {
        lab,
        domains,
        resolver: `127.0.0.1:${lab.dns?.port ?? 0}`,
        targets: n,
      };
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`could not start the lab fleet: ${String(lastError)}`);
}
