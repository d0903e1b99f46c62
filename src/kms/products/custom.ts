/**
 * Custom products (`products:` entries of the configuration that are objects) and their
 * merge with the built-in table. The fields arrive checked and canonical: the rules for a
 * slug, a GUID, an N policy and a protocol version are applied once, by the configuration
 * schema (src/config/products.ts), whose constants come from here and src/kms/. What this
 * file decides is what only the table knows: the family and counter a product gets, and
 * which slugs are already taken.
 */
import { APPLICATION_IDS, counterForApplicationId } from './application.js';
import { BUILT_IN_PRODUCTS } from './table.js';
import type { Product, ProductFamily } from './types.js';

/** Lowercase letters, digits, dots and dashes: a slug is a metric label value and a flag. */
export const PRODUCT_SLUG = /^[a-z0-9][a-z0-9.-]{0,62}$/;

/**
 * Largest N accepted. A host sizes its CMID table at twice the largest N it has seen and
 * never shrinks it, so a large N permanently changes a real host (docs/protocol.md §5.1-5.2);
 * 50 is already twice the largest genuine N.
 */
export const MAX_N_POLICY = 50;

/** What a custom product states; the table derives the rest (family, counter, …). */
export type CustomProductFields = Pick<
  Product,
  'slug' | 'name' | 'applicationId' | 'kmsCountedId' | 'skuId' | 'nPolicy' | 'protocol'
> &
  Pick<Partial<Product>, 'group'>;

/** A custom product that cannot join the table; `index` is its place in the custom list. */
export interface ProductTableIssue {
  index: number;
  slug: string;
  message: string;
}

export class ProductConfigError extends Error {
  override readonly name = 'ProductConfigError';
  constructor(readonly issues: readonly ProductTableIssue[]) {
    super(
      `invalid products: ${issues.map((i) => `products[${i.index}] (${i.slug}): ${i.message}`).join('; ')}`,
    );
  }
}

export interface ProductTable {
  /** Built-in products first, in table order, then the custom ones in config order. */
  list(): readonly Product[];
  find(slug: string): Product | undefined;
  /** Every product of a KMS counted ID (a custom product may reuse a built-in group). */
  findByKmsCountedId(kmsCountedId: string): Product[];
}

function familyOf(applicationId: string, nPolicy: number): ProductFamily {
  if (applicationId === APPLICATION_IDS.windows)
    return nPolicy >= 25 ? 'windows-client' : 'windows-server';
  if (
    applicationId === APPLICATION_IDS.office2010 ||
    applicationId === APPLICATION_IDS.office2013Plus
  ) {
    return 'office';
  }
  return 'other';
}

/** The product a custom definition stands for. */
export function customProduct(fields: CustomProductFields): Product {
  return Object.freeze({
    ...fields,
    family: familyOf(fields.applicationId, fields.nPolicy),
    confidence: 'custom',
    kmsActivatable: true,
    counter: counterForApplicationId(fields.applicationId),
    builtIn: false,
  });
}

/**
 * Why a custom product cannot stand for its `group`, or null when it can: the group must be
 * a built-in slug of the same application (its host key and count are that group's).
 */
function checkGroup(product: Product): string | null {
  const group = BUILT_IN_PRODUCTS.find((p) => p.slug === product.group);
  if (group === undefined) {
    return `group '${product.group}' is not a built-in product group; see the README's product list`;
  }
  if (group.applicationId !== product.applicationId) {
    return `group '${group.slug}' (${group.name}) has application ID ${group.applicationId}, not ${product.applicationId}`;
  }
  return null;
}

/**
 * The built-in group the coverage model reasons with for a product: the product itself when
 * built in, the group a custom product names, else null (docs/coverage.md §7).
 */
export function coverageGroupOf(
  product: Pick<Product, 'slug' | 'builtIn' | 'group'>,
): Product | null {
  if (product.builtIn) return BUILT_IN_PRODUCTS.find((p) => p.slug === product.slug) ?? null;
  if (product.group === undefined) return null;
  return BUILT_IN_PRODUCTS.find((p) => p.slug === product.group) ?? null;
}

/**
 * The built-in table plus `custom`. Throws ProductConfigError listing every slug that is
 * built in or defined twice.
 */
export function buildProductTable(custom: readonly Product[] = []): ProductTable {
  const issues: ProductTableIssue[] = [];
  const bySlug = new Map<string, Product>(BUILT_IN_PRODUCTS.map((p) => [p.slug, p]));
  const added: Product[] = [];
  custom.forEach((product, index) => {
    const groupIssue = product.group === undefined ? null : checkGroup(product);
    if (groupIssue !== null) {
      issues.push({ index, slug: product.slug, message: groupIssue });
      return;
    }
    const existing = bySlug.get(product.slug);
    if (existing?.builtIn) {
      const message = `slug '${product.slug}' is a built-in product (${existing.name}); pick another slug`;
      issues.push({ index, slug: product.slug, message });
      return;
    }
    if (existing) {
      const message = `slug '${product.slug}' is defined more than once`;
      issues.push({ index, slug: product.slug, message });
      return;
    }
    bySlug.set(product.slug, product);
    added.push(product);
  });
  if (issues.length > 0) throw new ProductConfigError(issues);

  const all: readonly Product[] = Object.freeze([...BUILT_IN_PRODUCTS, ...added]);
  return {
    list: () => all,
    find: (slug) => bySlug.get(slug),
    findByKmsCountedId: (id) => all.filter((p) => p.kmsCountedId === id.toLowerCase()),
  };
}
