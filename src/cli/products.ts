/**
 * `--product SLUG` for every command: built-in products, custom products the configuration
 * file defines, and the lab's products (so `check --product lab-windows` and `probe
 * --product lab-windows` work against `kms-monitor demo` or a test lab with no file). An
 * unknown slug gets the nearest known ones, never the whole table.
 */
import { customProductSchema } from '../config/products.js';
import { findProduct, listProducts, type Product } from '../kms/products/index.js';
import { LAB_PRODUCTS, labProductConfigs } from '../lab/index.js';
import { UsageError } from './parse.js';
import { didYouMean } from './suggest.js';

/** Every slug `--product` accepts, custom ones of the file included. */
export function knownProductSlugs(custom: readonly string[] = []): string[] {
  return [...listProducts().map((p) => p.slug), ...LAB_PRODUCTS.map((p) => p.slug), ...custom];
}

/** Lower case, trimmed, each once, in the order given. */
export function normalizeSlugs(slugs: readonly string[]): string[] {
  return [...new Set(slugs.map((s) => s.trim().toLowerCase()))];
}

export function unknownProductError(slug: string, known: readonly string[]): UsageError {
  const hint = didYouMean(slug, known);
  return new UsageError(
    `--product: unknown product ${JSON.stringify(slug)}${hint || '; no product slug is close to it'}` +
      ` (every slug is listed in the README's "Products" and by 'kms-monitor probe --help')`,
  );
}

/**
 * The products for these slugs: a custom product of the file wins, then a built-in one,
 * then a lab product (defined like a custom product, through the configuration's schema).
 */
export function productsFor(slugs: readonly string[], fileProducts: readonly Product[]): Product[] {
  const custom = new Map(fileProducts.filter((p) => !p.builtIn).map((p) => [p.slug, p]));
  const lab = new Map(
    customProductSchema
      .array()
      .parse(labProductConfigs())
      .map((p) => [p.slug, p]),
  );
  return normalizeSlugs(slugs).map((slug) => {
    const product = custom.get(slug) ?? findProduct(slug) ?? lab.get(slug);
    if (!product) throw unknownProductError(slug, knownProductSlugs([...custom.keys()]));
    return product;
  });
}
