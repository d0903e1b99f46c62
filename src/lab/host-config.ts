/**
 * The lab KMS host's knobs: what startLabKmsHost accepts, the defaults (vlmcsd's where it
 * has one), and validation. Every knob can change at run time through host.configure(),
 * so the demo can move the graphs of a running monitor.
 */
import { normalizeFault } from './faults.js';
import type { LabFault, LabFaultSpec } from './faults.js';
import { findLabProduct, resolveLabApplication } from './lab-products.js';
import type { CounterName } from '../kms/products/index.js';

/** Per-phase delays in milliseconds. */
export interface LabDelays {
  /** After accepting a connection, before reading anything from it. */
  accept?: number;
  /** Before sending a bind_ack / alter_context_resp. */
  bindAck?: number;
  /** Before sending the answer to a request. */
  response?: number;
}

/**
 * Records keyed by application: an application name ('windows', 'office-2010',
 * 'office-2013+'), an application ID, or a lab product slug (meaning its application).
 */
export type PerApplication<T> = Readonly<Record<string, T>>;

/** What can change at run time. */
export interface LabKmsHostSettings {
  /** ePID per application; defaults are lab ePIDs (key ID 999…, build 20348). */
  epid?: PerApplication<string>;
  /** 16 hex digits, sent in v6 answers. */
  hwid?: string;
  /** VL activation interval sent to clients (default 120 minutes). */
  activationIntervalMinutes?: number;
  /** VL renewal interval sent to clients (default 10080 minutes). */
  renewalIntervalMinutes?: number;
  /**
   * Sets an application's table to this many random clients that asked just now (they
   * expire after 30 days like real ones). At start: the prefill; through configure(): the
   * table is emptied and refilled, so the count becomes exactly this (capped at 2 × N).
   */
  counts?: PerApplication<number>;
  /** Lab product slugs to refuse with 0xC004F042, as a host without that CSVLK does. */
  refuse?: readonly string[];
  delays?: LabDelays;
  /** One fault mode, or null for a well-behaved host. */
  fault?: LabFault | null;
  /** Protocol versions served; any other version gets 0x8007000D (default [4, 5, 6]). */
  protocols?: readonly number[];
  /**
   * Accept NDR64 when a client offers it (and then reject NDR32 in the same bind), as
   * vlmcsd does by default; false rejects NDR64 like `vlmcsd -N0`. Default true.
   */
  ndr64?: boolean;
  /** Answer bind-time feature negotiation (BTFN); false rejects it like `vlmcsd -B0`. Default true. */
  btfn?: boolean;
  /** Refuse requests whose client time is further than this from the host's (0xC004F06C). */
  maxClockSkewMinutes?: number | null;
}

/** Fixed for the host's life. */
export interface LabKmsHostOptions extends LabKmsHostSettings {
  /** A loopback IP (127.0.0.0/8 or ::1); default 127.0.0.1. Anything else throws. */
  address?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The host's clock in ms since the epoch (default Date.now): expiry and clock checks. */
  now?: () => number;
  /** Close a connection idle this long (default 30 000 ms, like vlmcsd). */
  idleTimeoutMs?: number;
  /** Largest PDU accepted from a client (default 8 KiB; a KMS PDU is under 400 bytes). */
  maxPduSize?: number;
  /** Connections served at once (default 256); more are dropped on accept. */
  maxConnections?: number;
}

/** The settings after defaults and validation: what the sessions read. */
export interface LabHostConfig {
  epid: Readonly<Record<CounterName, string>>;
  hwid: string;
  activationIntervalMinutes: number;
  renewalIntervalMinutes: number;
  refuse: ReadonlySet<string>;
  delays: Readonly<Required<LabDelays>>;
  fault: LabFaultSpec | null;
  protocols: ReadonlySet<number>;
  ndr64: boolean;
  btfn: boolean;
  maxClockSkewMinutes: number | null;
}

/**
 * Lab ePIDs in the Microsoft form (so clients parse them): host platform 03612 and build
 * 20348 (Server 2022), key IDs 999-xxxxxx that no real CSVLK range uses, installed on day 1
 * of 2025.
 */
export const DEFAULT_LAB_EPIDS: Readonly<Record<CounterName, string>> = Object.freeze({
  windows: '03612-00206-999-100001-03-1033-20348.0000-0012025',
  'office-2010': '03612-00096-999-200002-03-1033-20348.0000-0012025',
  'office-2013+': '03612-00206-999-300003-03-1033-20348.0000-0012025',
});
/** A lab HWID (vlmcsd's default 3A1C049600B60076 would make the lab look like vlmcsd). */
export const DEFAULT_LAB_HWID = '1AB0C0FFEE000001';

export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_CONNECTIONS = 256;

export class LabConfigError extends Error {
  override readonly name = 'LabConfigError';
}

function fail(message: string): never {
  throw new LabConfigError(message);
}

function application(key: string): CounterName {
  return (
    resolveLabApplication(key) ?? fail(`unknown application or lab product ${JSON.stringify(key)}`)
  );
}

function interval(value: number, what: string): number {
  // slmgr accepts 15 minutes to 30 days; the lab allows anything a u32 holds above zero.
  if (!Number.isInteger(value) || value < 1 || value > 0xffffffff) {
    fail(`${what} must be a positive whole number of minutes, got ${value}`);
  }
  return value;
}

function delay(value: number | undefined, what: string): number {
  const v = value ?? 0;
  if (!Number.isFinite(v) || v < 0 || v > 600_000) fail(`delays.${what} must be 0..600000 ms`);
  return v;
}

export function defaultLabHostConfig(): LabHostConfig {
  return {
    epid: DEFAULT_LAB_EPIDS,
    hwid: DEFAULT_LAB_HWID,
    activationIntervalMinutes: 120,
    renewalIntervalMinutes: 10080,
    refuse: new Set(),
    delays: { accept: 0, bindAck: 0, response: 0 },
    fault: null,
    protocols: new Set([4, 5, 6]),
    ndr64: true,
    btfn: true,
    maxClockSkewMinutes: null,
  };
}

/** `base` with `settings` applied; throws LabConfigError on any invalid value. */
export function applyLabSettings(base: LabHostConfig, settings: LabKmsHostSettings): LabHostConfig {
  const next: LabHostConfig = { ...base };
  if (settings.epid !== undefined) {
    const epid = { ...base.epid };
    for (const [key, value] of Object.entries(settings.epid)) {
      // The base response carries at most 128 bytes of UTF-16 including the NUL.
      if (
        typeof value !== 'string' ||
        value.length < 1 ||
        value.length > 63 ||
        value.includes('\0')
      ) {
        fail(`epid for ${key} must be 1 to 63 characters without NUL`);
      }
      epid[application(key)] = value;
    }
    next.epid = epid;
  }
  if (settings.hwid !== undefined) {
    if (!/^[0-9a-fA-F]{16}$/.test(settings.hwid)) fail('hwid must be 16 hex digits');
    next.hwid = settings.hwid.toUpperCase();
  }
  if (settings.activationIntervalMinutes !== undefined) {
    next.activationIntervalMinutes = interval(
      settings.activationIntervalMinutes,
      'activationIntervalMinutes',
    );
  }
  if (settings.renewalIntervalMinutes !== undefined) {
    next.renewalIntervalMinutes = interval(
      settings.renewalIntervalMinutes,
      'renewalIntervalMinutes',
    );
  }
  if (settings.refuse !== undefined) {
    for (const slug of settings.refuse) {
      if (findLabProduct(slug) === undefined)
        fail(`refuse: ${JSON.stringify(slug)} is not a lab product`);
    }
    next.refuse = new Set(settings.refuse);
  }
  if (settings.delays !== undefined) {
    const d = { ...base.delays, ...settings.delays };
    next.delays = {
      accept: delay(d.accept, 'accept'),
      bindAck: delay(d.bindAck, 'bindAck'),
      response: delay(d.response, 'response'),
    };
  }
  if (settings.fault !== undefined) {
    try {
      next.fault = normalizeFault(settings.fault);
    } catch (error) {
      fail((error as Error).message);
    }
    for (const slug of next.fault?.products ?? []) {
      if (findLabProduct(slug) === undefined)
        fail(`fault.products: ${JSON.stringify(slug)} is not a lab product`);
    }
  }
  if (settings.protocols !== undefined) {
    for (const p of settings.protocols) {
      if (p !== 4 && p !== 5 && p !== 6) fail(`protocols: ${p} is not 4, 5 or 6`);
    }
    next.protocols = new Set(settings.protocols);
  }
  if (settings.ndr64 !== undefined) next.ndr64 = settings.ndr64;
  if (settings.btfn !== undefined) next.btfn = settings.btfn;
  if (settings.maxClockSkewMinutes !== undefined) {
    const skew = settings.maxClockSkewMinutes;
    if (skew !== null && (!Number.isFinite(skew) || skew < 0))
      fail('maxClockSkewMinutes must be ≥ 0 or null');
    next.maxClockSkewMinutes = skew;
  }
  return next;
}

/** Validated counts, keyed by application. */
export function parseCounts(counts: PerApplication<number>): Map<CounterName, number> {
  const out = new Map<CounterName, number>();
  for (const [key, value] of Object.entries(counts)) {
    if (!Number.isInteger(value) || value < 0 || value > 1000)
      fail(`counts.${key} must be 0..1000`);
    out.set(application(key), value);
  }
  return out;
}
