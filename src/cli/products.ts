/**
 * `--product SLUG` for every command: built-in products, custom products the configuration
 * file defines, and the lab's products (so `check --product lab-windows` and `probe
 * --product lab-windows` work against `kms-monitor demo` or a test lab with no file). An
 * unknown slug gets the nearest known ones, never the whole table.
 */
import { listProducts } from '../kms/products/index.js';
import { LAB_PRODUCTS } from '../lab/lab-products.js';
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
