/**
 * Whether two views of a host or a domain are equal as far as evaluate() can tell: the
 * test of evaluate-memo.ts for keeping a part. Every round replaces each result with a
 * new object whose timings moved (connect and exchange durations, when it finished) and
 * discovery makes new targets and lookups, so identity alone would recompute the whole
 * estate at every round's end.
 *
 * The fields of each result are classified once below, exhaustively (a field added to a
 * result type does not compile until it is put in one class): `read` fields are compared,
 * `timing` fields, which the evaluation never reads, are not. The comparisons are written
 * out field by field because they run for every host at every evaluation (a generic walk
 * over keys was half of a round-end evaluation at 10,000 hosts);
 * test/monitor/evaluate-inputs.test.ts checks that they follow the classification and
 * that evaluate() ignores the timing fields.
 */
import type { KmsProductResult, TcpProbeResult } from '../kms/client/index.js';
import type { SrvRecord } from '../dns/index.js';
import type { StatusView } from './status-view.js';

type ViewHost = StatusView['hosts'][number];
type ViewDomain = StatusView['domains'][number];
type ViewLookup = ViewDomain['resolvers'][number];
type FieldClass = 'read' | 'timing';

export const TCP_FIELDS: Record<keyof TcpProbeResult, FieldClass> = {
  host: 'read',
  port: 'read',
  address: 'read',
  up: 'read',
  error: 'read',
  durationSeconds: 'timing',
  timestamp: 'timing',
};

export const KMS_FIELDS: Record<keyof KmsProductResult, FieldClass> = {
  host: 'read',
  port: 'read',
  address: 'read',
  product: 'read',
  success: 'read',
  protocol: 'read',
  epid: 'read',
  hwid: 'read',
  hostBuild: 'read',
  keyInstallDate: 'read',
  activeClients: 'read',
  threshold: 'read',
  activationIntervalMinutes: 'read',
  renewalIntervalMinutes: 'read',
  error: 'read',
  association: 'read',
  durationSeconds: 'timing',
  phases: 'timing',
  timestamp: 'timing',
};

export const LOOKUP_FIELDS: Record<keyof ViewLookup, FieldClass> = {
  resolver: 'read',
  success: 'read',
  rcode: 'read',
  ttl: 'read',
  serviceUnavailable: 'read',
  truncatedRecords: 'read',
  records: 'read',
  error: 'read',
  durationSeconds: 'timing',
};

/** Keys never compared in nested data (a trust verdict's time, an error's). */
const TIMING_KEYS: ReadonlySet<string> = new Set(['durationSeconds', 'timestamp', 'phases']);

/** Equal as plain data (objects, arrays, primitives), timing keys aside; for rare nested values. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const list = b as unknown[];
    if (a.length !== list.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], list[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const key in x) {
    count++;
    if (!(key in y)) return false;
    if (!TIMING_KEYS.has(key) && !sameData(x[key], y[key])) return false;
  }
  for (const _ in y) count--;
  return count === 0;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
}

export function sameTcp(a: TcpProbeResult | null, b: TcpProbeResult | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return (
    a.host === b.host &&
    a.port === b.port &&
    a.address === b.address &&
    a.up === b.up &&
    sameData(a.error, b.error)
  );
}

export function sameKms(a: KmsProductResult, b: KmsProductResult): boolean {
  if (a === b) return true;
  return (
    a.host === b.host &&
    a.port === b.port &&
    a.address === b.address &&
    a.product === b.product &&
    a.success === b.success &&
    a.protocol === b.protocol &&
    a.epid === b.epid &&
    a.hwid === b.hwid &&
    a.hostBuild === b.hostBuild &&
    a.keyInstallDate === b.keyInstallDate &&
    a.activeClients === b.activeClients &&
    a.threshold === b.threshold &&
    a.activationIntervalMinutes === b.activationIntervalMinutes &&
    a.renewalIntervalMinutes === b.renewalIntervalMinutes &&
    sameData(a.error, b.error) &&
    sameData(a.association, b.association)
  );
}

function sameRecord(a: SrvRecord, b: SrvRecord): boolean {
  return (
    a.host === b.host &&
    a.port === b.port &&
    a.priority === b.priority &&
    a.weight === b.weight &&
    a.ttl === b.ttl &&
    sameStrings(a.addresses, b.addresses) &&
    sameData(a.addressError, b.addressError)
  );
}

export function sameLookup(a: ViewLookup, b: ViewLookup): boolean {
  if (a === b) return true;
  return (
    a.resolver === b.resolver &&
    a.success === b.success &&
    a.rcode === b.rcode &&
    a.ttl === b.ttl &&
    a.serviceUnavailable === b.serviceUnavailable &&
    a.truncatedRecords === b.truncatedRecords &&
    sameList(a.records, b.records, sameRecord) &&
    sameData(a.error, b.error)
  );
}

/** Two views of a host with equal inputs for its evaluation part. */
export function sameHostInputs(a: ViewHost, b: ViewHost): boolean {
  return (
    a.host === b.host &&
    a.port === b.port &&
    a.static === b.static &&
    sameStrings(a.domains, b.domains) &&
    sameStrings(a.addresses, b.addresses) &&
    sameData(a.addressError, b.addressError) &&
    sameTcp(a.tcp, b.tcp) &&
    sameList(a.reachability, b.reachability, (x, y) => sameTcp(x, y)) &&
    sameList(a.products, b.products, sameKms) &&
    sameData(a.trust ?? null, b.trust ?? null) &&
    a.history === b.history
  );
}

/** Two views of a domain with equal inputs for its evaluation part (its hosts aside). */
export function sameDomainInputs(a: ViewDomain, b: ViewDomain): boolean {
  return (
    a.domain === b.domain &&
    a.resolversDisagree === b.resolversDisagree &&
    sameStrings(a.missingExpectedHosts, b.missingExpectedHosts) &&
    sameData(a.authorization ?? null, b.authorization ?? null) &&
    sameData(a.replaces, b.replaces) &&
    sameList(a.resolvers, b.resolvers, sameLookup)
  );
}
