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
 * - office-2016: whether the Office 2016 host key is installed, and the Office 2013+ count
 *   (threshold 5). Each Office release needs its own host key and Volume License Pack
 *   (docs/coverage.md §3.2): a host with only a newer Office key refuses office-2016, so
 *   list the Office releases you deploy (e.g. office-ltsc-2021) instead of the default.
 * The monitor's one CMID joins each application's count once (Windows, Office 2013+).
 */
export const defaultProductSlugs: readonly string[] = Object.freeze([
  'windows-10-11',
  'windows-server-2019',
  'windows-server-2022',
  'office-2016',
]);
