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
  /** ePID per application; the defaults look genuine (DEFAULT_LAB_EPIDS). */
  epid?: PerApplication<string>;
  /**
   * ePID per lab product, for a host holding several keys of one application (an Office
   * host has one key and ePID per Office release, docs/coverage.md §3.2); others: `epid`.
   */
  productEpid?: Readonly<Record<string, string>>;
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
  /**
   * Emulator behaviours (docs/trust.md; presets in personalities.ts). Each reproduces what
   * a public emulator does and a genuine host never does; all off by default.
   *
   * Answer a KMS counted ID that is not a lab product, as vlmcsd `-K0` and py-kms do,
   * counting it in the table of the request's application (Windows when unknown). A real
   * Microsoft product is still refused with 0xC004F042 (docs/design.md principle 4).
   */
  acceptUnknownIds?: boolean;
  /** Report 2 × the request's N policy as the count (vlmcsd `-M0`, py-kms). */
  echoCount?: boolean;
  /** A new random key-ID serial in the ePID of every answer (py-kms, vlmcsd `-r2`). */
  epidPerRequest?: boolean;
  /** This association group in every bind_ack (py-kms: 0x1063BF3F); null picks one per association. */
  associationGroup?: number | null;
  /** Close the connection after each response (py-kms). */
  closeAfterAnswer?: boolean;
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
  productEpid: ReadonlyMap<string, string>;
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
  acceptUnknownIds: boolean;
  echoCount: boolean;
  epidPerRequest: boolean;
  associationGroup: number | null;
  closeAfterAnswer: boolean;
}

/**
 * Lab ePIDs that look genuine, so the lab passes the ePID consistency check
 * (docs/trust.md): one host on build 20348 (Server 2022, platform 03612), channel 03, each
 * application's key inside a real key block (docs/coverage.md §3) — a Windows Server 2022
 * key (group 04573), an Office 2010 key (group 00096, 199–217 million), an Office LTSC 2021
 * key (group 00206, 571–590 million) — installed on day 45 of 2024, after every release.
 * Any 6-digit serial (part 4) keeps each key inside its block, so demo hosts and the
 * per-answer ePIDs of an emulator personality vary it freely.
 */
export const DEFAULT_LAB_EPIDS: Readonly<Record<CounterName, string>> = Object.freeze({
  windows: '03612-04573-012-100001-03-1033-20348.0000-0452024',
  'office-2010': '03612-00096-205-200001-03-1033-20348.0000-0452024',
  'office-2013+': '03612-00206-580-300001-03-1033-20348.0000-0452024',
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

/** The base response carries at most 128 bytes of UTF-16 including the NUL. */
function checkEpidText(key: string, value: unknown): void {
  if (typeof value !== 'string' || value.length < 1 || value.length > 63 || value.includes('\0')) {
    fail(`epid for ${key} must be 1 to 63 characters without NUL`);
  }
}

function delay(value: number | undefined, what: string): number {
  const v = value ?? 0;
  if (!Number.isFinite(v) || v < 0 || v > 600_000) fail(`delays.${what} must be 0..600000 ms`);
  return v;
}

export function defaultLabHostConfig(): LabHostConfig {
  return {
    epid: DEFAULT_LAB_EPIDS,
    productEpid: new Map(),
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
    acceptUnknownIds: false,
    echoCount: false,
    epidPerRequest: false,
    associationGroup: null,
    closeAfterAnswer: false,
  };
}

/** `base` with `settings` applied; throws LabConfigError on any invalid value. */
export function applyLabSettings(base: LabHostConfig, settings: LabKmsHostSettings): LabHostConfig {
  const next: LabHostConfig = { ...base };
  if (settings.epid !== undefined) {
    const epid = { ...base.epid };
    for (const [key, value] of Object.entries(settings.epid)) {
      checkEpidText(key, value);
      epid[application(key)] = value;
    }
    next.epid = epid;
  }
  if (settings.productEpid !== undefined) {
    for (const [slug, value] of Object.entries(settings.productEpid)) {
      if (findLabProduct(slug) === undefined)
        fail(`productEpid: ${JSON.stringify(slug)} is not a lab product`);
      checkEpidText(slug, value);
    }
    next.productEpid = new Map(Object.entries(settings.productEpid));
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
  applyEmulation(next, settings);
  return next;
}

function flag(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') fail(`${what} must be true or false`);
  return value;
}

/** The emulator switches, in place on `next`; checks they fit the ePIDs in force. */
function applyEmulation(next: LabHostConfig, settings: LabKmsHostSettings): void {
  if (settings.acceptUnknownIds !== undefined)
    next.acceptUnknownIds = flag(settings.acceptUnknownIds, 'acceptUnknownIds');
  if (settings.echoCount !== undefined) next.echoCount = flag(settings.echoCount, 'echoCount');
  if (settings.epidPerRequest !== undefined)
    next.epidPerRequest = flag(settings.epidPerRequest, 'epidPerRequest');
  if (settings.closeAfterAnswer !== undefined)
    next.closeAfterAnswer = flag(settings.closeAfterAnswer, 'closeAfterAnswer');
  if (settings.associationGroup !== undefined) {
    const group = settings.associationGroup;
    // 0 in a bind means "make me a new group", so a host never hands it out.
    if (group !== null && (!Number.isInteger(group) || group < 1 || group > 0xffffffff))
      fail('associationGroup must be 1..0xFFFFFFFF or null');
    next.associationGroup = group;
  }
  if (next.epidPerRequest) {
    for (const [application, epid] of Object.entries(next.epid)) {
      if (!hasEpidSerial(epid))
        fail(
          `epidPerRequest needs ePIDs with a 6-digit key serial (part 4); ${application}'s is ${JSON.stringify(epid)}`,
        );
    }
  }
}

/** Parts 1-3 of an ePID, then part 4 (the 6-digit key serial), then the rest. */
const EPID_SERIAL = /^(\d{5}-\d{5}-\d{3}-)(\d{6})(-.*)$/;

function hasEpidSerial(epid: string): boolean {
  return EPID_SERIAL.test(epid);
}

/** `epid` with its 6-digit key serial replaced by `serial(old)`; unchanged without one. */
export function withEpidSerial(epid: string, serial: (old: string) => string): string {
  return epid.replace(
    EPID_SERIAL,
    (_, head: string, old: string, tail: string) => `${head}${serial(old)}${tail}`,
  );
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
