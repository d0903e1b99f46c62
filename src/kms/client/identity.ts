/**
 * Who the monitor says it is to a KMS host (docs/design.md principles 2 and 3).
 *
 * The CMID is what a host counts. One stable CMID per monitor instance adds the monitor to a
 * host's count once and only refreshes that entry afterwards; a CMID per probe would add a
 * new "machine" every time and could push a host over its activation threshold. The default
 * is derived from the host name, so it survives restarts without a state file:
 * an RFC 4122 version-5 (name-based, SHA-1) UUID of the lowercased host name in a fixed
 * kms-monitor namespace. Being a standard v5 UUID, anyone can recompute it with any UUID
 * tool (`uuidv5(hostname, KMS_MONITOR_CMID_NAMESPACE)`) to find the monitor in a host's log.
 *
 * The workstation name lands in the host's event log (event 12290), so it names the
 * monitor: `kms-monitor.<hostname>`, cut to the 63 characters the request can carry.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { canonicalName } from '../../dns/index.js';
import { isGuid } from '../guid.js';
import { WORKSTATION_UNITS } from '../messages/index.js';

export interface KmsIdentity {
  /** Client machine ID, lowercase 8-4-4-4-12. */
  readonly cmid: string;
  /** At most 63 UTF-16 units. */
  readonly workstation: string;
}

export interface IdentityOverrides {
  cmid?: string;
  workstation?: string;
  /** Default os.hostname(); for tests and for instances that want another name. */
  hostname?: string;
}

export class IdentityError extends Error {
  override readonly name = 'IdentityError';
}

/** RFC 4122 appendix C namespace for DNS names. */
const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/** The longest workstation name the request carries (64 WCHARs including the NUL). */
export const MAX_WORKSTATION_LENGTH = WORKSTATION_UNITS - 1;

/** RFC 4122 §4.3: SHA-1 of namespace bytes ‖ name, version 5, RFC 4122 variant. */
export function uuidV5(name: string, namespace: string): string {
  if (!isGuid(namespace)) throw new TypeError(`namespace is not a UUID: ${namespace}`);
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The namespace of every kms-monitor CMID: itself the v5 UUID of the DNS name below. */
export const KMS_MONITOR_CMID_NAMESPACE = uuidV5('cmid.kms-monitor.invalid', NAMESPACE_DNS);

function normalizeHostname(hostname: string): string {
  const name = canonicalName(hostname.trim());
  return name === '.' ? 'localhost' : name;
}

/** The default CMID of a machine: stable for a host name, different between host names. */
export function defaultCmid(hostname: string = os.hostname()): string {
  return uuidV5(normalizeHostname(hostname), KMS_MONITOR_CMID_NAMESPACE);
}

/** Cuts to `max` UTF-16 units without leaving half of a surrogate pair at the end. */
function truncateUtf16(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

export function defaultWorkstation(hostname: string = os.hostname()): string {
  return truncateUtf16(`kms-monitor.${normalizeHostname(hostname)}`, MAX_WORKSTATION_LENGTH);
}

/** Checks an operator-supplied CMID; returns it lowercased. */
export function parseCmid(text: string): string {
  const trimmed = text.trim().replace(/^\{(.*)\}$/, '$1');
  if (!isGuid(trimmed)) {
    throw new IdentityError(
      `CMID ${JSON.stringify(text)} is not a GUID (8-4-4-4-12 hex digits, e.g. ${defaultCmid('example')})`,
    );
  }
  if (/^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(trimmed)) {
    throw new IdentityError('the all-zero CMID is what a client sends as "no previous CMID"');
  }
  return trimmed.toLowerCase();
}

/** Checks an operator-supplied workstation name: 1 to 63 UTF-16 units, no control characters. */
export function parseWorkstation(text: string): string {
  if (text.length === 0 || text.length > MAX_WORKSTATION_LENGTH) {
    throw new IdentityError(
      `workstation name must be 1 to ${MAX_WORKSTATION_LENGTH} characters, got ${text.length}`,
    );
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) {
      throw new IdentityError('workstation name must not contain control characters');
    }
  }
  return text;
}

/** The identity of this instance: the defaults above unless overridden. */
export function resolveIdentity(overrides: IdentityOverrides = {}): KmsIdentity {
  const hostname = overrides.hostname ?? os.hostname();
  return Object.freeze({
    cmid: overrides.cmid === undefined ? defaultCmid(hostname) : parseCmid(overrides.cmid),
    workstation:
      overrides.workstation === undefined
        ? defaultWorkstation(hostname)
        : parseWorkstation(overrides.workstation),
  });
}
