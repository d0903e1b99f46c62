/** What a caller tells probeKms / probeTcp: where to go, who to be, how long to wait. */
import type { KmsIdentity } from './identity.js';
import type { KmsProtocolVersion } from '../protocol-version.js';

export interface ProbeTarget {
  /** Host name or IP as configured or published in SRV: the `host` of results. */
  host: string;
  port: number;
  /** An address already resolved (e.g. from the SRV answer's A/AAAA); else `host` is resolved. */
  address?: string;
}

export interface KmsTimeouts {
  /** TCP connect (and name resolution when no address is given). */
  connectMs: number;
  /** Bind → bind_ack, including an alter-context round trip. */
  bindMs: number;
  /** Each request → response (a protocol fallback gets a fresh request timeout). */
  requestMs: number;
  /** Everything, all products included. */
  overallMs: number;
}

/** Generous for a LAN host, short enough that a dead host does not stall a poll. */
export const DEFAULT_KMS_TIMEOUTS: Readonly<KmsTimeouts> = Object.freeze({
  connectMs: 3000,
  bindMs: 3000,
  requestMs: 3000,
  overallMs: 10_000,
});

/**
 * How the first bind offers transfer syntaxes:
 * - 'ndr32' (default, docs/protocol.md's recommendation): NDR32 alone, so no host can ask for an
 *   alter-context in favour of NDR64;
 * - 'windows': what vlmcs and Windows clients offer (NDR32, NDR64, BTFN). A host that
 *   prefers NDR64 then gets vlmcs's alter-context for NDR32. Useful to see what a Windows
 *   client sees.
 */
export type BindStyle = 'ndr32' | 'windows';

export interface KmsProbeOptions {
  identity: KmsIdentity;
  timeouts: KmsTimeouts;
  /** Force a protocol version for every product (no fallback then); default each product's own. */
  protocol?: KmsProtocolVersion;
  signal?: AbortSignal;
  /** Wall clock for the request's client time and the result timestamps (tests pin it). */
  now?: () => Date;
  bind?: BindStyle;
}

export interface TcpProbeOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  now?: () => Date;
}
