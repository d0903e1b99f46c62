/**
 * What the client needs to know about a product to ask a host about it. Deliberately the
 * bare wire fields, so built-in products, custom products from the configuration and the
 * lab's made-up products all fit without the client knowing the product table.
 */
import type { KmsProtocolVersion } from '../protocol-version.js';

export interface KmsProductSpec {
  /** The `product` label of results and metrics. */
  readonly slug: string;
  readonly applicationId: string;
  /** What the host accepts or refuses (docs/protocol.md §6.2). */
  readonly kmsCountedId: string;
  /** Informational for the host; any SKU of the group works. */
  readonly skuId: string;
  /** The genuine N policy (25 / 5 / 5): sent on the wire and reported as the threshold. */
  readonly nPolicy: number;
  /** The protocol version real clients of the group send; the first one tried. */
  readonly protocol: KmsProtocolVersion;
  /**
   * How far the request's client time is from now, in ms (default 0). A genuine host refuses
   * a client time more than 4 hours from its own clock with 0xC004F06C (docs/trust.md).
   */
  readonly clientTimeOffsetMs?: number;
}
