/**
 * `--product` applied to a configuration: the slugs become products, through the
 * configuration's schema for lab products. Apart from products.ts, which only names and
 * checks slugs, so that `probe` loads no schema library (docs/performance.md).
 */
import { customProductSchema } from '../config/products.js';
import { findProduct, type Product } from '../kms/products/index.js';
import { labProductConfigs } from '../lab/lab-products.js';
import { knownProductSlugs, normalizeSlugs, unknownProductError } from './products.js';

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
