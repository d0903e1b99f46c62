/**
 * Products from the configuration (`products:` entries that are objects, snake_case as in
 * YAML) merged with the built-in table. Validation here repeats the config schema's rules on
 * purpose: the table is also built from the CLI and tests, and must never hold a product that
 * would put a malformed GUID or an absurd N policy on the wire.
 */
import { isGuid } from '../guid.js';
import { APPLICATION_IDS, counterForApplicationId } from './application.js';
import { BUILT_IN_PRODUCTS } from './table.js';
import type { Product, ProductFamily, ProtocolVersion } from './types.js';

export interface CustomProductInput {
  slug: string;
  name: string;
  application_id: string;
  kms_counted_id: string;
  sku_id: string;
  n_policy: number;
  protocol: number;
}

/** The same slug rule as the config schema: lowercase letters, digits, dots and dashes. */
export const PRODUCT_SLUG = /^[a-z0-9][a-z0-9.-]{0,62}$/;

/**
 * Largest N accepted. A host sizes its CMID table at twice the largest N it has seen and
 * never shrinks it, so a large N permanently changes a real host (docs/protocol.md §5.1-5.2);
 * 50 matches the config schema and is already twice the largest genuine N.
 */
export const MAX_N_POLICY = 50;

export class ProductConfigError extends Error {
  override readonly name = 'ProductConfigError';
  constructor(readonly issues: readonly string[]) {
    super(`invalid products: ${issues.join('; ')}`);
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

function validate(input: CustomProductInput, where: string, issues: string[]): Product | null {
  const before = issues.length;
  const slug = typeof input.slug === 'string' ? input.slug : '';
  if (!PRODUCT_SLUG.test(slug)) {
    issues.push(
      `${where}: slug ${JSON.stringify(input.slug)} must be lowercase letters, digits, dots and dashes`,
    );
  }
  if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 100) {
    issues.push(`${where}: name must be 1 to 100 characters`);
  }
  for (const field of ['application_id', 'kms_counted_id', 'sku_id'] as const) {
    const value: unknown = input[field];
    if (typeof value !== 'string' || !isGuid(value)) {
      issues.push(
        `${where}: ${field} ${JSON.stringify(value)} is not a GUID (8-4-4-4-12 hex digits)`,
      );
    }
  }
  if (!Number.isInteger(input.n_policy) || input.n_policy < 1 || input.n_policy > MAX_N_POLICY) {
    issues.push(
      `${where}: n_policy must be an integer from 1 to ${MAX_N_POLICY} (25 Windows client, 5 server or Office)`,
    );
  }
  if (input.protocol !== 4 && input.protocol !== 5 && input.protocol !== 6) {
    issues.push(`${where}: protocol must be 4, 5 or 6`);
  }
  if (issues.length > before) return null;

  const applicationId = input.application_id.toLowerCase();
  return Object.freeze({
    slug,
    name: input.name.trim(),
    applicationId,
    kmsCountedId: input.kms_counted_id.toLowerCase(),
    skuId: input.sku_id.toLowerCase(),
    nPolicy: input.n_policy,
    protocol: input.protocol as ProtocolVersion,
    family: familyOf(applicationId, input.n_policy),
    confidence: 'custom',
    kmsActivatable: true,
    counter: counterForApplicationId(applicationId),
    builtIn: false,
  });
}

/**
 * The built-in table plus `custom`. Throws ProductConfigError listing every problem: a bad
 * slug, GUID, N or protocol, a slug that is built in, or a slug defined twice.
 */
export function buildProductTable(custom: readonly CustomProductInput[] = []): ProductTable {
  const issues: string[] = [];
  const bySlug = new Map<string, Product>(BUILT_IN_PRODUCTS.map((p) => [p.slug, p]));
  const added: Product[] = [];
  custom.forEach((input, i) => {
    const where = `products[${i}]${typeof input?.slug === 'string' ? ` (${input.slug})` : ''}`;
    if (input === null || typeof input !== 'object') {
      issues.push(`${where}: must be an object`);
      return;
    }
    const product = validate(input, where, issues);
    if (product === null) return;
    const existing = bySlug.get(product.slug);
    if (existing?.builtIn) {
      issues.push(
        `${where}: slug '${product.slug}' is a built-in product (${existing.name}); pick another slug`,
      );
      return;
    }
    if (existing) {
      issues.push(`${where}: slug '${product.slug}' is defined more than once`);
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
