/**
 * Product entries checked against the product table when the configuration loads, so an
 * unknown slug or a custom slug that shadows a built-in one is reported with its line.
 */
import { buildProductTable, ProductConfigError, type Product } from '../kms/products/index.js';
import type { Config, CustomProductConfig } from './schema.js';

export interface ResolvedProducts {
  /** The configured products in config order, or the default set when none are listed. */
  products: Product[];
}

function customEntries(config: Config): CustomProductConfig[] {
  return config.products.filter((p): p is CustomProductConfig => typeof p === 'object');
}

/** Returns the problem with its key path, or the resolved products. */
export function resolveProducts(
  config: Config,
  defaults: readonly string[],
): { path: PropertyKey[]; message: string } | ResolvedProducts {
  let table;
  try {
    table = buildProductTable(customEntries(config));
  } catch (err) {
    if (!(err instanceof ProductConfigError)) throw err;
    const first = err.issues[0] ?? err.message;
    const index = Number(/^products\[(\d+)\]/.exec(first)?.[1] ?? NaN);
    const customIndexes = config.products.flatMap((p, i) => (typeof p === 'object' ? [i] : []));
    const at = Number.isNaN(index) ? undefined : customIndexes[index];
    return {
      path: at === undefined ? ['products'] : ['products', at],
      message: first.replace(/^products\[\d+\]( \([^)]*\))?: /, ''),
    };
  }
  const entries = config.products.length > 0 ? config.products : defaults;
  const products: Product[] = [];
  const seen = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const slug = typeof entry === 'string' ? entry : entry.slug;
    const product = table.find(slug);
    if (!product) {
      return {
        path: ['products', i],
        message: `unknown product ${JSON.stringify(slug)}; see the README's product list or define a custom product`,
      };
    }
    if (seen.has(slug))
      return { path: ['products', i], message: `product ${slug} is listed twice` };
    seen.add(slug);
    products.push(product);
  }
  return { products };
}
