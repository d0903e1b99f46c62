/**
 * The lab's own product groups (docs/design.md principle 4): ordinary custom products of
 * the product model (src/kms/products/), built by the same code as a configuration's
 * `products:` entries. Their KMS counted IDs and SKU IDs are made up — every one starts
 * with `1ab0` ("lab") and none is a Microsoft ID — so the lab KMS host can answer them
 * without ever activating a real product. The application IDs are the real ones
 * (docs/protocol.md §6.1): the host keeps one client count per application, and the lab
 * must count the way a real host does (Windows clients and servers share one count, each
 * Office application has its own).
 */
import {
  APPLICATION_IDS,
  buildProductTable,
  counterForApplicationId,
  customProduct,
} from '../kms/products/index.js';
import type { CounterName, Product } from '../kms/products/index.js';
import type { KmsProtocolVersion } from '../kms/protocol-version.js';

/** A custom product entry as the configuration file spells it (snake_case). */
export interface LabProductInput {
  slug: string;
  name: string;
  application_id: string;
  kms_counted_id: string;
  sku_id: string;
  n_policy: number;
  protocol: KmsProtocolVersion;
  /** The built-in group the lab product stands for, so the coverage model reasons about it. */
  group?: string;
}

/** The counts a host keeps, one per application ID, in APPLICATION_IDS order. */
export const LAB_COUNTERS: readonly CounterName[] = Object.freeze(
  Object.values(APPLICATION_IDS).map((id) => counterForApplicationId(id) as CounterName),
);

function labProductInput(
  n: number,
  slug: string,
  name: string,
  applicationId: string,
  nPolicy: number,
  protocol: KmsProtocolVersion,
  group?: string,
): LabProductInput {
  const suffix = n.toString(16).padStart(12, '0');
  return Object.freeze({
    slug,
    name,
    application_id: applicationId,
    kms_counted_id: `1ab00000-0000-4000-a000-${suffix}`,
    sku_id: `1ab05c00-0000-4000-a000-${suffix}`,
    n_policy: nPolicy,
    protocol,
    ...(group === undefined ? {} : { group }),
  });
}

/**
 * Thresholds and protocols mirror the real groups they stand in for (25 / 5 / 5), and so
 * does the group the coverage model reads them as (docs/coverage.md §7): the default lab
 * ePIDs carry keys that cover these groups.
 */
const LAB_PRODUCT_INPUTS: readonly LabProductInput[] = Object.freeze([
  labProductInput(
    1,
    'lab-windows',
    'Lab Windows client',
    APPLICATION_IDS.windows,
    25,
    6,
    'windows-10-11',
  ),
  labProductInput(
    2,
    'lab-windows-server',
    'Lab Windows Server',
    APPLICATION_IDS.windows,
    5,
    6,
    'windows-server-2022',
  ),
  labProductInput(
    3,
    'lab-office',
    'Lab Office (2013+ application)',
    APPLICATION_IDS.office2013Plus,
    5,
    6,
    'office-ltsc-2021',
  ),
  labProductInput(
    4,
    'lab-windows-v4',
    'Lab Windows client, protocol 4',
    APPLICATION_IDS.windows,
    25,
    4,
  ),
  labProductInput(
    5,
    'lab-office-2010',
    'Lab Office 2010 (protocol 4)',
    APPLICATION_IDS.office2010,
    5,
    4,
  ),
  labProductInput(
    6,
    'lab-windows-v5',
    'Lab Windows client, protocol 5',
    APPLICATION_IDS.windows,
    25,
    5,
  ),
  // Planned products of the demo (docs/coverage.md §7).
  labProductInput(
    7,
    'lab-office-ltsc-2024',
    'Lab Office LTSC 2024',
    APPLICATION_IDS.office2013Plus,
    5,
    6,
    'office-ltsc-2024',
  ),
  labProductInput(
    8,
    'lab-windows-server-2025',
    'Lab Windows Server 2025',
    APPLICATION_IDS.windows,
    5,
    6,
    'windows-server-2025',
  ),
]);

/** The lab products, as the monitor builds them from its configuration. */
export const LAB_PRODUCTS: readonly Product[] = Object.freeze(
  buildProductTable(
    LAB_PRODUCT_INPUTS.map((p) =>
      customProduct({
        slug: p.slug,
        name: p.name,
        applicationId: p.application_id,
        kmsCountedId: p.kms_counted_id,
        skuId: p.sku_id,
        nPolicy: p.n_policy,
        protocol: p.protocol,
        ...(p.group === undefined ? {} : { group: p.group }),
      }),
    ),
  )
    .list()
    .filter((p) => !p.builtIn),
);

/** The lab products as custom `products:` entries of the monitor's configuration. */
export function labProductConfigs(): LabProductInput[] {
  return LAB_PRODUCT_INPUTS.map((p) => ({ ...p }));
}

const BY_SLUG = new Map(LAB_PRODUCTS.map((p) => [p.slug, p]));
const BY_KMS_ID = new Map(LAB_PRODUCTS.map((p) => [p.kmsCountedId, p]));

export function findLabProduct(slug: string): Product | undefined {
  return BY_SLUG.get(slug);
}

/** The lab product of `slug`; throws RangeError naming the lab's slugs for any other. */
export function labProduct(slug: string): Product {
  const product = BY_SLUG.get(slug);
  if (product === undefined) {
    throw new RangeError(
      `no lab product ${JSON.stringify(slug)}; one of ${[...BY_SLUG.keys()].join(', ')}`,
    );
  }
  return product;
}

/**
 * The lab product of a KMS counted ID (any case), or undefined for every other ID: the
 * one gate through which the lab host answers a request (only made-up IDs pass).
 */
export function labProductByKmsCountedId(kmsCountedId: string): Product | undefined {
  return BY_KMS_ID.get(kmsCountedId.toLowerCase());
}

/** The count a lab product's answers report (every lab product has a known application). */
export function labCounterOf(product: Product): CounterName {
  if (product.counter === null) throw new RangeError(`${product.slug} has no known application`);
  return product.counter;
}

/**
 * The count meant by a counter name ('windows', 'office-2010', 'office-2013+'), an
 * application ID or a lab product slug; undefined for anything else.
 */
export function resolveLabApplication(key: string): CounterName | undefined {
  const lower = key.toLowerCase();
  const named = LAB_COUNTERS.find((c) => c === lower);
  return named ?? counterForApplicationId(lower) ?? BY_SLUG.get(lower)?.counter ?? undefined;
}

/** The largest N of the lab's products of a count: what a prefilled table was sized by. */
export function largestLabNPolicy(counter: CounterName): number {
  return Math.max(0, ...LAB_PRODUCTS.filter((p) => p.counter === counter).map((p) => p.nPolicy));
}
