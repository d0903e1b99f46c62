/**
 * Which host names are one machine. Redundancy is about machines, not names: three SRV
 * names (one a CNAME) that reach the same address and port, or that answer with the same
 * ePID and hardware ID, are one KMS host, and losing it loses all three.
 */
import type { StatusView } from './status-view.js';

type ViewHost = StatusView['hosts'][number];

/** Identities a host showed: `port@address` for each address, `epid|hwid` for each answer. */
function identities(host: ViewHost): string[] {
  const out = host.addresses.map((a) => `${host.port}@${a}`);
  for (const r of host.products) {
    // The hardware ID is only sent by v6 hosts; an ePID alone is shared by copies of a VM.
    if (r.success && r.epid && r.hwid) out.push(`${r.epid}|${r.hwid}`);
  }
  return out;
}

/** The hosts grouped into machines (union of hosts sharing any identity), in input order. */
export function groupMachines(hosts: readonly ViewHost[]): ViewHost[][] {
  const parent = hosts.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  hosts.forEach((host, i) => {
    for (const id of identities(host)) {
      const j = owner.get(id);
      if (j === undefined) owner.set(id, i);
      else parent[root(i)] = root(j);
    }
  });
  const groups = new Map<number, ViewHost[]>();
  hosts.forEach((host, i) => {
    const r = root(i);
    const group = groups.get(r);
    if (group) group.push(host);
    else groups.set(r, [host]);
  });
  return [...groups.values()];
}
