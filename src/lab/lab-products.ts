/**
 * The lab's own product groups (docs/design.md principle 4). Their KMS counted IDs and SKU IDs
 * are made up — every one starts with `1ab0` ("lab") and none is a Microsoft ID — so the
 * lab KMS host can answer them without ever activating a real product. The application
 * IDs are the real ones (docs/protocol.md §6.1): the host keeps one client count per
 * application, and the lab must count the way a real host does (Windows clients and
 * servers share one count, each Office application has its own).
 */
import type { KmsProtocolVersion } from '../kms/protocol-version.js';

/** The three applications a KMS host keeps separate counts for. */
export type LabApplication = 'windows' | 'office-2010' | 'office-2013+';

export const LAB_APPLICATION_IDS: Readonly<Record<LabApplication, string>> = Object.freeze({
  windows: '55c92734-d682-4d71-983e-d6ec3f16059f',
  'office-2010': '59a52881-a989-479d-af46-f275c6370663',
  'office-2013+': '0ff1ce15-a989-479d-af46-f275c6370663',
});

/** A lab product as the monitor's configuration spells a custom product (snake_case). */
export interface LabProductConfig {
  slug: string;
  name: string;
  application_id: string;
  kms_counted_id: string;
  sku_id: string;
  n_policy: number;
  protocol: KmsProtocolVersion;
}

/** The same product in the camelCase the KMS code uses, with its application's name. */
export interface LabProduct {
  slug: string;
  name: string;
  application: LabApplication;
  applicationId: string;
  kmsCountedId: string;
  skuId: string;
  nPolicy: number;
  protocol: KmsProtocolVersion;
}

function labProduct(
  n: number,
  slug: string,
  name: string,
  application: LabApplication,
  nPolicy: number,
  protocol: KmsProtocolVersion,
): LabProduct {
  const suffix = n.toString(16).padStart(12, '0');
  return Object.freeze({
    slug,
    name,
    application,
    applicationId: LAB_APPLICATION_IDS[application],
    kmsCountedId: `1ab00000-0000-4000-a000-${suffix}`,
    skuId: `1ab05c00-0000-4000-a000-${suffix}`,
    nPolicy,
    protocol,
  });
}

/** Thresholds and protocols mirror the real groups they stand in for (25 / 5 / 5). */
export const LAB_PRODUCTS: readonly LabProduct[] = Object.freeze([
  labProduct(1, 'lab-windows', 'Lab Windows client', 'windows', 25, 6),
  labProduct(2, 'lab-windows-server', 'Lab Windows Server', 'windows', 5, 6),
  labProduct(3, 'lab-office', 'Lab Office (2013+ application)', 'office-2013+', 5, 6),
  labProduct(4, 'lab-windows-v4', 'Lab Windows client, protocol 4', 'windows', 25, 4),
  labProduct(5, 'lab-office-2010', 'Lab Office 2010 (protocol 4)', 'office-2010', 5, 4),
  labProduct(6, 'lab-windows-v5', 'Lab Windows client, protocol 5', 'windows', 25, 5),
]);

/** The lab products as custom `products:` entries of the monitor's configuration. */
export function labProductConfigs(): LabProductConfig[] {
  return LAB_PRODUCTS.map((p) => ({
    slug: p.slug,
    name: p.name,
    application_id: p.applicationId,
    kms_counted_id: p.kmsCountedId,
    sku_id: p.skuId,
    n_policy: p.nPolicy,
    protocol: p.protocol,
  }));
}

const BY_SLUG = new Map(LAB_PRODUCTS.map((p) => [p.slug, p]));
const BY_KMS_ID = new Map(LAB_PRODUCTS.map((p) => [p.kmsCountedId, p]));

export function findLabProduct(slug: string): LabProduct | undefined {
  return BY_SLUG.get(slug);
}

/** The lab product of a KMS counted ID (any case), or undefined for every other ID. */
export function labProductByKmsCountedId(kmsCountedId: string): LabProduct | undefined {
  return BY_KMS_ID.get(kmsCountedId.toLowerCase());
}

const APPLICATION_BY_ID = new Map(
  (Object.entries(LAB_APPLICATION_IDS) as [LabApplication, string][]).map(([name, id]) => [
    id,
    name,
  ]),
);

/**
 * The application meant by an application ID, an application name ('windows',
 * 'office-2010', 'office-2013+') or a lab product slug; undefined for anything else.
 */
export function resolveLabApplication(key: string): LabApplication | undefined {
  const lower = key.toLowerCase();
  if (lower in LAB_APPLICATION_IDS) return lower as LabApplication;
  return APPLICATION_BY_ID.get(lower) ?? BY_SLUG.get(lower)?.application;
}

/** The largest N of the lab's products of an application: what a prefilled table was sized by. */
export function largestLabNPolicy(application: LabApplication): number {
  return Math.max(
    0,
    ...LAB_PRODUCTS.filter((p) => p.application === application).map((p) => p.nPolicy),
  );
}
