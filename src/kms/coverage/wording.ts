/** How fix texts name releases, keys and lists (docs/coverage.md §6). */
import { hostOs, hostOsReleases, type HostOs, type HostOsId, type HostOsKind } from '../host-os.js';
import type { HostProfile } from './host-profile.js';
import type { HostSpec } from './types.js';

/** Each kind's release ids, oldest first. */
const ORDER: Readonly<Record<HostOsKind, readonly HostOsId[]>> = {
  server: hostOsReleases('server').map((os) => os.id),
  client: hostOsReleases('client').map((os) => os.id),
};

/** 'A', 'A or B', 'A, B or C'. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** 'A', 'A and B', 'A, B and C'. */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function specName(spec: HostSpec): string {
  if (typeof spec === 'string') return hostOs(spec).name;
  // The only build floor in the tables: Windows 7 Service Pack 1 (7601).
  return spec.os === 'windows-7' && spec.minBuild === 7601
    ? 'Windows 7 SP1'
    : `${hostOs(spec.os).name} (build ${spec.minBuild} or later)`;
}

function describeKind(specs: readonly HostSpec[], kind: HostOsKind): string | null {
  const order = ORDER[kind];
  const of = (s: HostSpec): HostOsId => (typeof s === 'string' ? s : s.os);
  const sorted = specs
    .filter((s) => order.includes(of(s)))
    .sort((a, b) => order.indexOf(of(a)) - order.indexOf(of(b)));
  const oldest = sorted[0];
  if (oldest === undefined) return null;
  const tail = order.slice(order.indexOf(of(oldest)));
  const contiguous = tail.length === sorted.length && sorted.every((s, i) => of(s) === tail[i]);
  if (contiguous && tail.length > 1) return `${specName(oldest)} or later`;
  return orList(sorted.map(specName));
}

/** 'Windows Server 2022 or later, or Windows 10 or later'. */
export function describeReleases(specs: readonly HostSpec[]): string {
  const parts = [describeKind(specs, 'server'), describeKind(specs, 'client')];
  return parts.filter((p): p is string => p !== null).join(', or ');
}

/**
 * 'Windows Server 2019 (17763)'; for a shared build read without proof, 'Windows Server
 * 2016 (14393; assumed, build 14393 is also Windows 10)'.
 */
export function describeHost(profile: HostProfile, running: HostOs): string {
  const build = profile.build ?? '?';
  const other = running.kind === 'server' ? profile.os?.client : profile.os?.server;
  if (!profile.assumed || other === null || other === undefined)
    return `${running.name} (${build})`;
  return `${running.name} (${build}; assumed, build ${build} is also ${other.name})`;
}
