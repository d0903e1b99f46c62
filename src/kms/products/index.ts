/**
 * The KMS product table (docs/protocol.md §6): built-in product groups, lookups, the default
 * monitoring set and the merge with custom products from the configuration.
 */
import { BUILT_IN_PRODUCTS } from './table.js';
import { buildProductTable } from './custom.js';
import type { Product } from './types.js';

export type { CounterName, Product, ProductConfidence, ProductFamily } from './types.js';
export { APPLICATION_IDS, counterForApplicationId } from './application.js';
export { BUILT_IN_PRODUCTS } from './table.js';
export {
  MAX_N_POLICY,
  PRODUCT_SLUG,
  ProductConfigError,
  buildProductTable,
  coverageGroupOf,
  customProduct,
} from './custom.js';
export type { CustomProductFields, ProductTable, ProductTableIssue } from './custom.js';

const builtIn = buildProductTable([]);

/** A built-in product by slug. */
export function findProduct(slug: string): Product | undefined {
  return builtIn.find(slug);
}

/** Every built-in product, in table order. */
export function listProducts(): readonly Product[] {
  return BUILT_IN_PRODUCTS;
}

/**
 * What the monitor probes when the configuration names no products. Every product is one
 * real activation request per host per KMS interval, so the set is small and chosen to
 * answer the questions admins have:
 * - windows-10-11: the group nearly every Windows KMS host serves; its answer carries the
 *   Windows count (shared by clients and servers) against the client threshold of 25;
 * - windows-server-2019 and windows-server-2022: whether the host's CSVLK is new enough for
 *   current servers (an older host key answers 0xC004F042 for them), both IDs well sourced;
 *   Server 2025 stays out of the default until its ID is confirmed, so an unverified GUID
 *   cannot raise a false "cannot activate" alert;
 * - office-2016: whether an Office host key is installed at all, and the Office 2013+ count
 *   (threshold 5). Microsoft documents newer Office host keys as activating older Office
 *   versions too, so 2016 is the group most Office hosts answer (not verified on a real host).
 * The monitor's one CMID joins each application's count once (Windows, Office 2013+).
 */
export const defaultProductSlugs: readonly string[] = Object.freeze([
  'windows-10-11',
  'windows-server-2019',
  'windows-server-2022',
  'office-2016',
]);
