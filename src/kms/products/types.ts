/** The shape of one product group the monitor can ask a KMS host about. */
import type { KmsProtocolVersion } from '../protocol-version.js';

export type ProductFamily = 'windows-client' | 'windows-server' | 'office' | 'other';

/**
 * How sure we are of the KMS counted ID (docs/protocol.md §6, "Src" column):
 * - captured: seen on the wire in test/vectors/ and answered by vlmcsd;
 * - confirmed: vlmcsd's and py-kms's product databases agree, or three independent
 *   sources do (Server 2022);
 * - secondary: only secondary sources (an ADBA script, License Manager, py-kms alone);
 * - unconfirmed: docs/protocol.md marks it unconfirmed;
 * - custom: defined in the monitor's configuration.
 */
export type ProductConfidence = 'captured' | 'confirmed' | 'secondary' | 'unconfirmed' | 'custom';

/** The host keeps one CMID count per application (docs/protocol.md §5.1). */
export type CounterName = 'windows' | 'office-2010' | 'office-2013+';

export interface Product {
  /** Stable lowercase id: the `product` label of every metric and the CLI's --product. */
  slug: string;
  /** Display name. */
  name: string;
  applicationId: string;
  /** What the host accepts or refuses. */
  kmsCountedId: string;
  /** An edition of the group; informational for the host, so any SKU of the group works. */
  skuId: string;
  /** The genuine N policy (25 Windows client, 5 Windows Server, 5 Office). */
  nPolicy: number;
  /** The protocol version real clients of the group send. */
  protocol: KmsProtocolVersion;
  family: ProductFamily;
  confidence: ProductConfidence;
  /** False for groups a genuine host always refuses (retail): useful only as a negative probe. */
  kmsActivatable: boolean;
  /** The count this product's answer reports; null for an application ID the table lacks. */
  counter: CounterName | null;
  builtIn: boolean;
  /**
   * Custom products only: the built-in group (slug) this product stands for, so the
   * coverage model can reason about it (docs/coverage.md §7); absent: the model cannot.
   */
  group?: string;
}
